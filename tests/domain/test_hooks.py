"""Webhook rules: which URLs may be called, signatures, backoff."""

from __future__ import annotations

import random

import pytest

from songgate.domain.hooks import (
    PinnedUrl,
    check_hook_url,
    event_id,
    is_forbidden_address,
    next_delay,
    pin_url,
    signature,
    verify,
)
from songgate.errors import InvalidNotifyHook


@pytest.mark.parametrize("url", [
    "ftp://example.com/x", "file:///etc/passwd", "http://127.0.0.1/x", "http://127.9.9.9:8080/",
    "http://10.0.0.5/", "http://192.168.1.1/", "http://172.16.0.1/", "http://169.254.169.254/",
    "http://[::1]/", "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/",
    "http://localhost/", "http://LOCALHOST./", "http://api.localhost/", "http://metadata/",
    "http://user:pw@example.com/", "http:///nohost", "http://example.com:99999/",
    "http://224.0.0.1/",
])
def test_forbidden_hook_urls(url: str) -> None:
    with pytest.raises(InvalidNotifyHook):
        check_hook_url(url, allow_private=False)


@pytest.mark.parametrize("url", ["https://hooks.example.com/songgate?x=1",
                                 "http://93.184.216.34:8080/hook", "http://[2606:4700::1]/"])
def test_public_hook_urls(url: str) -> None:
    assert check_hook_url(url, allow_private=False) == url


def test_operators_may_allow_private_addresses() -> None:
    assert check_hook_url("http://127.0.0.1:9/x", allow_private=True)
    with pytest.raises(InvalidNotifyHook):  # never another scheme, nor credentials
        check_hook_url("gopher://127.0.0.1/", allow_private=True)


def test_addresses() -> None:
    assert is_forbidden_address("127.0.0.1") and is_forbidden_address("fe80::1%eth0")
    assert is_forbidden_address("not an address")
    assert not is_forbidden_address("8.8.8.8")


def test_signatures_verify_and_detect_tampering() -> None:
    body = b'{"code":"success"}'
    header = signature("whsec_x", 1700000000, body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert verify("whsec_x", "1700000000", body, header)
    assert not verify("whsec_x", "1700000001", body, header)
    assert not verify("whsec_y", "1700000000", body, header)
    assert not verify("whsec_x", "1700000000", body + b" ", header)
    assert not verify("whsec_x", "soon", body, header)


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    rng = random.Random(3)
    delays = [next_delay(n, base=5, rng=rng) for n in range(1, 8)]
    for n, delay in enumerate(delays, start=1):
        step = min(5 * 2 ** (n - 1), 3600)
        assert 0.5 * step <= delay <= 1.5 * step
    assert next_delay(30, base=5, rng=rng) <= 5400


def test_a_pinned_url_connects_to_the_address_and_names_the_host() -> None:
    pinned = pin_url("https://hooks.example.com/in?x=1", "93.184.216.34")
    assert pinned == PinnedUrl("https://93.184.216.34/in?x=1", "hooks.example.com",
                               "hooks.example.com")
    six = pin_url("http://hooks.example.com:8080/", "2606:2800:220:1::1")
    assert six.url == "http://[2606:2800:220:1::1]:8080/"
    assert six.host == "hooks.example.com:8080"


def test_an_event_id_names_one_notification() -> None:
    one = event_id("task-1", "task.success", b'{"code": "success"}')
    assert one == event_id("task-1", "task.success", b'{"code": "success"}')
    assert one.startswith("evt_") and len(one) == 36
    assert len({one, event_id("task-2", "task.success", b'{"code": "success"}'),
                event_id("task-1", "task.failure", b'{"code": "success"}'),
                event_id("task-1", "task.success", b'{"code": "other"}')}) == 4
