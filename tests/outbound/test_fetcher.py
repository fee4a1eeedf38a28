"""The safe fetcher against a real HTTP server on loopback: every forbidden address form
refused, names resolved once (by a resolver the test controls) and pinned, redirects
checked at every hop, downloads bounded in bytes and time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from songgate.domain.addresses import parse_networks
from songgate.outbound.fetcher import FetchRefused, FetchRules, SafeFetcher
from tests.support.file_server import FileServer

NAMES = {"files.test": ["127.0.0.1"], "private.test": ["10.1.2.3"],
         "mixed.test": ["93.184.216.34", "192.168.1.9"], "metadata.test": ["169.254.169.254"],
         "mapped.test": ["::ffff:127.0.0.1"], "cgnat.test": ["100.64.0.7"]}


async def fake_resolver(host: str, port: int) -> list[str]:
    """DNS as the test says it is: no real lookup ever leaves the machine."""
    if host not in NAMES:
        raise OSError("no such name")
    return NAMES[host]


@pytest.fixture
def server() -> Iterator[FileServer]:
    with FileServer() as running:
        yield running


def fetcher(allowed: str = "", *, max_bytes: int = 1 << 20,
            timeout: float = 5.0) -> SafeFetcher:
    return SafeFetcher(FetchRules(timeout_seconds=timeout, max_bytes=max_bytes,
                                  allowed_networks=parse_networks(allowed)),
                       user_agent="test", resolver=fake_resolver)


@pytest.fixture
async def strict() -> AsyncIterator[SafeFetcher]:
    made = fetcher()
    yield made
    await made.close()


@pytest.fixture
async def allowing() -> AsyncIterator[SafeFetcher]:
    """Loopback allowed, as an operator lists a private file server's network."""
    made = fetcher("127.0.0.1/32")
    yield made
    await made.close()


async def refusal(fetch: SafeFetcher, url: str, tmp_path: Path) -> FetchRefused:
    with pytest.raises(FetchRefused) as caught:
        await fetch.download(url, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    return caught.value


@pytest.mark.parametrize("host", [
    "127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "127.1",
    "017700000001", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:7f00:1]",
    "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254", "[fd00:ec2::254]",
    "100.64.0.1", "224.0.0.1", "[ff02::1]", "0.0.0.0", "0", "[::]", "[fe80::1]",
    "[64:ff9b::a9fe:a9fe]", "[2002:7f00:1::]", "255.255.255.255", "240.0.0.1",
])
async def test_every_form_of_a_forbidden_address_is_refused(
    strict: SafeFetcher, server: FileServer, tmp_path: Path, host: str
) -> None:
    server.add("a.mp3", b"ID3")
    refused = await refusal(strict, f"http://{host}:{server.port}/f/a.mp3", tmp_path)
    assert refused.kind == "address" and "forbidden" in refused.message
    assert server.hosts == []  # nothing reached the server


@pytest.mark.parametrize("name", ["private.test", "mixed.test", "metadata.test", "mapped.test",
                                  "cgnat.test", "files.test"])
async def test_names_resolving_to_forbidden_addresses_are_refused(
    strict: SafeFetcher, server: FileServer, tmp_path: Path, name: str
) -> None:
    refused = await refusal(strict, f"http://{name}:{server.port}/f/a.mp3", tmp_path)
    assert refused.kind == "address" and refused.message == (
        "the host resolves to a forbidden (non-public) address")
    assert server.hosts == []


@pytest.mark.parametrize("url", [
    "http://localhost/x", "http://LOCALHOST./x", "http://api.localhost/x",
    "http://metadata.google.internal/computeMetadata/v1/",
])
async def test_names_meaning_this_machine_are_refused_unresolved(
    strict: SafeFetcher, tmp_path: Path, url: str
) -> None:
    assert (await refusal(strict, url, tmp_path)).kind == "address"


@pytest.mark.parametrize(("url", "kind"), [
    ("file:///etc/passwd", "url"), ("ftp://files.test/a", "url"), ("gopher://x/", "url"),
    ("http://user:pw@files.test/a", "url"), ("http:///nohost", "url"),
    ("http://files.test:99999/a", "url"), ("http://nowhere.test/a", "resolve"),
])
async def test_urls_that_cannot_be_fetched_say_why(
    strict: SafeFetcher, tmp_path: Path, url: str, kind: str
) -> None:
    assert (await refusal(strict, url, tmp_path)).kind == kind


async def test_an_allowed_network_is_fetched_by_name_pinned_to_the_checked_address(
    allowing: SafeFetcher, server: FileServer, tmp_path: Path
) -> None:
    server.add("a.mp3", b"ID3 and some audio")
    got = await allowing.download(f"http://files.test:{server.port}/f/a.mp3", tmp_path / "out")
    assert got.size == 18 and got.content_type == "audio/mpeg"
    assert (tmp_path / "out").read_bytes() == b"ID3 and some audio"
    assert server.hosts == [f"files.test:{server.port}"]  # the name, on the checked address


async def test_allowing_a_network_allows_only_it(
    allowing: SafeFetcher, server: FileServer, tmp_path: Path
) -> None:
    for url in (f"http://127.0.0.2:{server.port}/f/a", f"http://private.test:{server.port}/",
                "http://169.254.169.254/latest/meta-data/"):
        assert (await refusal(allowing, url, tmp_path)).kind == "address"


@pytest.mark.parametrize("target", [
    "http://10.0.0.1/x", "http://2130706434/x", "http://0x7f.0.0.2/x", "http://private.test/x",
    "http://[::ffff:10.0.0.1]/x", "http://169.254.169.254/latest/meta-data/",
    "http://localhost/x", "file:///etc/passwd",
])
async def test_a_redirect_to_a_forbidden_address_is_refused(
    allowing: SafeFetcher, server: FileServer, tmp_path: Path, target: str
) -> None:
    refused = await refusal(allowing, f"{server.url}/redirect?to={target}", tmp_path)
    assert refused.kind in ("address", "url")
    assert len(server.hosts) == 1  # only the first hop was made


async def test_redirects_to_allowed_places_are_followed_and_bounded(
    allowing: SafeFetcher, server: FileServer, tmp_path: Path
) -> None:
    server.add("b.wav", b"RIFF....", "audio/wav")
    got = await allowing.download(
        f"{server.url}/redirect?to=http://files.test:{server.port}/f/b.wav", tmp_path / "o")
    assert got.size == 8 and server.hosts[-1] == f"files.test:{server.port}"
    refused = await refusal(allowing, f"{server.url}/loop", tmp_path)
    assert refused.kind == "redirect" and "more than 5 redirects" in refused.message
    assert len(server.hosts) == 2 + 6


async def test_downloads_stop_at_the_byte_bound(server: FileServer, tmp_path: Path) -> None:
    bounded = fetcher("127.0.0.1/32", max_bytes=100_000)
    try:
        server.add("big.mp3", b"\0" * 100_001)
        assert (await refusal(bounded, f"{server.url}/f/big.mp3", tmp_path)).kind == "too_big"
        assert (await refusal(bounded, f"{server.url}/endless", tmp_path)).kind == "too_big"
        server.add("fits.mp3", b"\0" * 100_000)
        assert (await bounded.download(f"{server.url}/f/fits.mp3", tmp_path / "f")).size == 100_000
    finally:
        await bounded.close()


async def test_downloads_stop_at_the_time_bound(server: FileServer, tmp_path: Path) -> None:
    bounded = fetcher("127.0.0.1/32", timeout=0.5)
    try:
        assert (await refusal(bounded, f"{server.url}/slow", tmp_path)).kind == "timeout"
    finally:
        await bounded.close()


async def test_answers_other_than_200_and_wrong_types_are_refused(
    allowing: SafeFetcher, server: FileServer, tmp_path: Path
) -> None:
    assert (await refusal(allowing, f"{server.url}/f/missing", tmp_path)).kind == "status"
    server.add("page", b"<html>", "text/html")
    with pytest.raises(FetchRefused) as caught:
        await allowing.download(f"{server.url}/f/page", tmp_path / "p",
                                content_types=("audio/",))
    assert caught.value.kind == "type" and caught.value.message == "the download is text/html"


async def test_a_dns_answer_that_changes_after_the_check_is_never_followed(
    server: FileServer, tmp_path: Path
) -> None:
    lookups: list[str] = []

    async def rebinding(host: str, port: int) -> list[str]:
        """Public-looking (allowed) first, then the metadata service: DNS rebinding."""
        lookups.append(host)
        return ["127.0.0.1"] if len(lookups) == 1 else ["169.254.169.254"]

    fetch = SafeFetcher(FetchRules(timeout_seconds=5, max_bytes=1000,
                                   allowed_networks=parse_networks("127.0.0.1/32")),
                        user_agent="test", resolver=rebinding)
    try:
        server.add("a.mp3", b"ID3")
        got = await fetch.download(f"http://cdn.test:{server.port}/f/a.mp3", tmp_path / "o")
    finally:
        await fetch.close()
    assert got.size == 3 and lookups == ["cdn.test"]  # resolved once, connected to that
    assert server.hosts == [f"cdn.test:{server.port}"]
