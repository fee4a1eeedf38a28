"""What a real ``songgate serve`` and ``songgate api`` show the network.

Raw bytes over loopback, so nothing between the test and the server tidies a path
or a header: no ``Server`` header or version anywhere, request heads bounded while
they arrive, media names that cannot be turned into other files, X-Forwarded-For
not believed, and tokens in no log, database file or metric.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from prometheus_client import CONTENT_TYPE_LATEST

from songgate import __version__
from tests.support.server import Process, free_port, songgate_env, start

CLIP = str(uuid.uuid4())
SIDECAR_MARK = "sidecar-secret-seed-" + uuid.uuid4().hex
MAX_FAILURES = 3


def make_token(data_dir: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "songgate", "tokens", "create", "--account", "probe",
         "--create-account"],
        capture_output=True, text=True, check=True, env=songgate_env(data_dir), timeout=60,
    )
    return result.stdout.strip()


def raw(server: Process, request: bytes, *, limit: int = 1 << 20) -> tuple[int, dict[str, str],
                                                                            bytes]:
    """Send bytes as they are; the status, headers and body of the answer."""
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        # the server may answer and close before taking it all
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)
        received = b""
        while len(received) < limit:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
            if _complete(received):
                break
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def _complete(received: bytes) -> bool:
    head, sep, body = received.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def get(path: bytes, *extra: bytes) -> bytes:
    return b"".join([b"GET ", path, b" HTTP/1.1\r\nHost: songgate\r\n", *extra,
                     b"Connection: close\r\n\r\n"])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    """``songgate serve`` over a media directory that holds more than media."""
    data = tmp_path_factory.mktemp("serve")
    media = data / "media"
    (media / ".meta").mkdir(parents=True)
    (media / ".work" / "render").mkdir(parents=True)
    (media / f"{CLIP}.mp3").write_bytes(b"ID3" + bytes(500))
    (media / ".meta" / f"{CLIP}.json").write_text(SIDECAR_MARK)
    (media / ".meta" / f".{CLIP}.json.part").write_text(SIDECAR_MARK)
    (media / f"{CLIP}.mp4.part").write_text(SIDECAR_MARK)
    (media / ".work" / "render" / f"{CLIP}.wav").write_text(SIDECAR_MARK)
    (data / "secret.txt").write_text(SIDECAR_MARK)
    process = start("serve", data, port=free_port(), SONGGATE_LOG_LEVEL="DEBUG")
    yield process
    process.stop()


@pytest.fixture(scope="module")
def api_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    """``songgate api`` alone, counting bad tokens after a few."""
    data = tmp_path_factory.mktemp("api")
    process = start("api", data, port=free_port(),
                    SONGGATE_BAD_TOKEN_MAX_FAILURES=str(MAX_FAILURES),
                    SONGGATE_BAD_TOKEN_WINDOW_SECONDS="600")
    process.token = make_token(data)
    yield process
    process.stop()


def assert_plain(status: int, headers: dict[str, str], body: bytes) -> None:
    """No software names or versions, and the declared type is the one to trust."""
    assert "server" not in headers, (status, headers)
    assert "x-powered-by" not in headers
    assert headers.get("x-content-type-options") == "nosniff", (status, headers)
    lowered = body.lower()
    for word in (b"uvicorn", b"starlette", b"fastapi", b"python", b"traceback"):
        assert word not in lowered, (status, body[:200])
    if headers.get("content-type") == "application/json":
        assert __version__.encode() not in body


SERVE_REQUESTS = [
    (get(b"/healthz"), 200, "application/json"),
    (get(b"/nowhere"), 404, "application/json"),
    (get(b"/suno/fetch/abc"), 401, "application/json"),
    (get(b"/suno/fetch/abc", b"Authorization: Bearer nonsense\r\n"), 401, "application/json"),
    (b"DELETE /healthz HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n", 405,
     "application/json"),
    (b"POST /suno/fetch HTTP/1.1\r\nHost: s\r\nContent-Length: 999999999\r\n"
     b"Connection: close\r\n\r\n", 413, "application/json"),
    (b"NOT HTTP AT ALL\r\n\r\n", 400, "application/json"),
    (b"GET /healthz HTTP/1.1\r\nHost: s\r\nContent-Length: x1\r\n\r\n", 400,
     "application/json"),
    (get(f"/media/{CLIP}.mp3".encode()), 200, "audio/mpeg"),
    (get(b"/"), 200, "text/html; charset=utf-8"),
    (get(b"/dashboard/app.js"), 200, "text/javascript; charset=utf-8"),
    (get(b"/dashboard/style.css"), 200, "text/css; charset=utf-8"),
    (get(b"/metrics"), 200, CONTENT_TYPE_LATEST),
]


@pytest.mark.parametrize(("request_bytes", "status", "content_type"), SERVE_REQUESTS)
def test_answers_name_no_software_and_declare_their_type(
    served: Process, request_bytes: bytes, status: int, content_type: str
) -> None:
    got_status, headers, body = raw(served, request_bytes)
    assert got_status == status, body[:300]
    assert headers["content-type"] == content_type
    assert_plain(got_status, headers, body)


def test_the_api_process_names_no_software_either(api_only: Process) -> None:
    for request_bytes in (get(b"/healthz"), get(b"/nowhere"), get(b"/suno/fetch/x")):
        assert_plain(*raw(api_only, request_bytes))


@pytest.mark.parametrize("server", ["served", "api_only"])
def test_request_heads_are_bounded_while_they_arrive(
    request: pytest.FixtureRequest, server: str
) -> None:
    process: Process = request.getfixturevalue(server)
    header = get(b"/healthz", b"X-Big: " + b"a" * 2_000_000 + b"\r\n")
    many = get(b"/healthz", *[b"X-%d: a\r\n" % n for n in range(20_000)])
    url = get(b"/healthz?" + b"q" * 2_000_000)
    for request_bytes in (header, many, url):
        status, headers, body = raw(process, request_bytes)
        assert status == 431 and headers["content-type"] == "application/json"
        assert orjson.loads(body)["code"] == "headers_too_large"
        assert headers["connection"] == "close"
        assert_plain(status, headers, body)
    status, headers, body = raw(process, get(b"/healthz", b"X-Fine: " + b"a" * 8000 + b"\r\n"))
    assert status == 200  # the server goes on answering


MEDIA_PATHS = [
    b"/media", b"/media/", b"/media/.", b"/media/..", b"/media/.meta",
    b"/media/.meta/", f"/media/.meta/{CLIP}.json".encode(),
    f"/media/.meta%2F{CLIP}.json".encode(), f"/media/.meta%2f{CLIP}.json".encode(),
    f"/media/%2Emeta%2F{CLIP}.json".encode(), f"/media/{CLIP}.json".encode(),
    f"/media/.meta/.{CLIP}.json.part".encode(), f"/media/{CLIP}.mp4.part".encode(),
    f"/media/.work/render/{CLIP}.wav".encode(), f"/media/.work%2Frender%2F{CLIP}.wav".encode(),
    b"/media/../secret.txt", b"/media/..%2Fsecret.txt", b"/media/..%2fsecret.txt",
    b"/media/%2e%2e%2fsecret.txt", b"/media/%2E%2E/secret.txt", b"/media/..%5Csecret.txt",
    b"/media/..\\secret.txt", b"/media/../../../../etc/passwd",
    b"/media/%2Fetc%2Fpasswd", b"/media//etc/passwd", b"/media/%252e%252e%252fsecret.txt",
    f"/media/{CLIP}.mp3%00.json".encode(), f"/media/{CLIP}.mp3/".encode(),
    f"/media/{CLIP}.mp3/..".encode(), f"/media/{CLIP.upper()}.mp3".encode(),
    f"/media/./{CLIP}.mp3".encode(), f"/media/{CLIP}.MP3".encode(),
    b"/dashboard", b"/dashboard/", b"/dashboard/../config.py", b"/dashboard/%2e%2e/routes.py",
    b"/dashboard/..%2Froutes.py", b"/dashboard/..%2F..%2Fconfig.py", b"/dashboard/static/",
    b"/media/*", b"/media/%2A.mp3",
]


@pytest.mark.parametrize("path", MEDIA_PATHS)
def test_no_route_lists_or_reaches_other_files(served: Process, path: bytes) -> None:
    status, headers, body = raw(served, get(path))
    assert status in (400, 404), (path, status, body[:200])
    assert SIDECAR_MARK.encode() not in body and CLIP.encode() not in body
    if status == 404:
        assert headers["content-type"] == "application/json"
        assert orjson.loads(body)["data"] is None


def test_media_are_capability_urls_open_to_anyone(served: Process) -> None:
    name = f"/media/{CLIP}.mp3".encode()
    plain = raw(served, get(name))
    with_token = raw(served, get(name, f"Authorization: Bearer {served.token}\r\n".encode()))
    assert plain[0] == with_token[0] == 200 and plain[2] == with_token[2]
    assert uuid.UUID(CLIP).version == 4  # 122 random bits name each clip's files


def test_forwarded_for_does_not_move_a_client(api_only: Process) -> None:
    bad = "sk-" + "b" * 40
    for n in range(MAX_FAILURES):
        status, _, _ = raw(api_only, get(b"/suno/fetch/x", f"Authorization: Bearer {bad}\r\n"
                                         f"X-Forwarded-For: 192.0.2.{n}\r\n".encode()))
        assert status == 401
    good = f"Authorization: Bearer {api_only.token}\r\nX-Forwarded-For: 192.0.2.99\r\n"
    status, headers, body = raw(api_only, get(b"/songgate/tasks", good.encode()))
    assert status == 429 and int(headers["retry-after"]) > 500
    assert orjson.loads(body)["code"] == "rate_limited"
    assert raw(api_only, get(b"/healthz"))[0] == 200  # no token, no refusal


def test_a_token_is_in_no_log_database_file_or_metric(served: Process) -> None:
    data_dir = served.log_path.parent
    secret = make_token(data_dir)
    auth = {"Authorization": f"Bearer {secret}"}
    with httpx.Client(base_url=served.url, headers=auth, timeout=10) as client:
        task_id = client.post("/suno/submit/lyrics", json={"prompt": "rain"}).json()["data"]
        assert client.post("/suno/fetch", json={"ids": [task_id]}).status_code == 200
        assert client.get("/songgate/tasks").status_code == 200
        assert client.post("/suno/fetch", content=b"{broken").status_code == 400
        assert client.get("/songgate/tasks", params={"before": secret}).status_code == 400
        near = secret[:-1] + ("A" if secret[-1] != "A" else "B")
        assert client.get("/songgate/tasks",
                          headers={"Authorization": f"Bearer {near}"}).status_code == 401
        assert client.get("/songgate/tasks", headers={"Authorization": secret}).status_code == 401
        metrics = client.get("/metrics").text
    pieces = {secret[i:i + 16] for i in range(len(secret) - 15)}
    where = {"log": served.log_text(), "metrics": metrics}
    for path in data_dir.glob("songgate.db*"):
        where[path.name] = path.read_bytes().decode("latin-1")
    assert "songgate.db" in where
    for name, text in where.items():
        assert not any(piece in text for piece in pieces), name
