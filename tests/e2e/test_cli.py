"""The token commands, run as a user would run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import requests

from tests.support.server import free_port, songgate_env, start


def songgate(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "songgate", *args], capture_output=True, text=True,
        env=songgate_env(data_dir), timeout=60, check=check,
    )


def test_tokens_create_list_revoke(tmp_path: Path) -> None:
    missing = songgate(tmp_path, "tokens", "create", "--account", "zoe", check=False)
    assert missing.returncode == 1 and "no account named 'zoe'" in missing.stderr
    secret = songgate(tmp_path, "tokens", "create", "--account", "zoe",
                      "--create-account", "--name", "laptop").stdout.strip()
    assert secret.startswith("sk-")
    listing = songgate(tmp_path, "tokens", "list").stdout
    assert "zoe\tlaptop" in listing and "active" in listing
    assert secret not in listing and secret[:10] in listing
    token_id = listing.splitlines()[1].split("\t")[0]

    api = start("api", tmp_path, port=free_port())
    try:
        auth = {"Authorization": f"Bearer {secret}"}
        ok = requests.post(f"{api.url}/suno/fetch", json={"ids": []}, headers=auth, timeout=10)
        assert ok.status_code == 200
        assert songgate(tmp_path, "tokens", "revoke", token_id).stdout.strip() == \
            f"revoked {token_id}"
        refused = requests.post(f"{api.url}/suno/fetch", json={"ids": []}, headers=auth,
                                timeout=10)
        assert refused.status_code == 401 and refused.json()["code"] == "token_revoked"
    finally:
        api.stop()
    assert "revoked" in songgate(tmp_path, "tokens", "list", "--account", "zoe").stdout
    again = songgate(tmp_path, "tokens", "revoke", token_id, check=False)
    assert again.returncode == 1


def test_bad_configuration_is_reported_plainly(tmp_path: Path) -> None:
    env = songgate_env(tmp_path, SONGGATE_PORT="not-a-port")
    result = subprocess.run([sys.executable, "-m", "songgate", "migrate"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 2 and "SONGGATE_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_doctor_reports_capabilities_and_fallbacks(tmp_path: Path) -> None:
    present = songgate(tmp_path, "doctor").stdout
    for name in ("rendering", "singing", "chinese singing", "video", "cover font", "mp3"):
        assert f"  {name} " in present
    bare = subprocess.run(  # the same machine with no system tools on the PATH
        [sys.executable, "-m", "songgate", "doctor"], capture_output=True, text=True,
        env={**songgate_env(tmp_path), "PATH": ""}, timeout=60, check=True,
    ).stdout
    assert "MISS  rendering        fallback: the numpy synthesiser" in bare
    # Flite is a library, not a program on the PATH: English still sings, Chinese does not
    assert "ok    singing          Flite (slt, rms) whole phrases" in bare
    assert "MISS  chinese singing  fallback: Chinese lyrics are left unsung" in bare
    assert "MISS  video            fallback: no video_url" in bare


def test_accounts_topup_show_and_list(tmp_path: Path) -> None:
    songgate(tmp_path, "accounts", "create", "ann")
    assert songgate(tmp_path, "accounts", "topup", "ann", "40", "--note", "welcome"
                    ).stdout.strip() == "ann: balance 40"
    assert songgate(tmp_path, "accounts", "topup", "ann", "--", "-15").stdout.strip() == \
        "ann: balance 25"
    below = songgate(tmp_path, "accounts", "topup", "ann", "--", "-26", check=False)
    assert below.returncode == 2 and "cannot go below 0" in below.stderr
    nobody = songgate(tmp_path, "accounts", "topup", "bob", "5", check=False)
    assert nobody.returncode == 2 and "no account named 'bob'" in nobody.stderr
    shown = songgate(tmp_path, "accounts", "show", "ann").stdout.splitlines()
    assert shown[0].endswith("balance 25")
    assert [line.split("\t")[1:3] for line in shown[1:]] == [["-15", "topup"], ["+40", "topup"]]
    assert "balance 25" in songgate(tmp_path, "accounts", "list").stdout


def test_request_limits_hold_across_api_processes(tmp_path: Path) -> None:
    import time

    secret = songgate(tmp_path, "tokens", "create", "--account", "lim",
                      "--create-account").stdout.strip()
    assert "7 requests per minute" in songgate(tmp_path, "accounts", "limits", "lim",
                                               "--rpm", "7").stdout
    if time.time() % 60 > 40:  # keep the whole run inside one minute window
        time.sleep(61 - time.time() % 60)
    apis = [start("api", tmp_path, port=free_port()) for _ in range(2)]
    try:
        auth = {"Authorization": f"Bearer {secret}"}
        statuses = [requests.post(f"{apis[n % 2].url}/suno/fetch", json={"ids": []},
                                  headers=auth, timeout=10).status_code for n in range(14)]
    finally:
        for api in apis:
            api.stop()
    assert statuses.count(200) == 7 and statuses.count(429) == 7
    assert "no limit requests" in songgate(tmp_path, "accounts", "limits", "lim",
                                           "--default").stdout
