"""Address rules: every spelling of a forbidden address, the operator's allowed networks."""

from __future__ import annotations

import ipaddress

import pytest

from songgate.domain.addresses import (
    is_forbidden_address,
    is_forbidden_name,
    numeric_host,
    parse_networks,
)


@pytest.mark.parametrize(("host", "address"), [
    ("2130706433", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"), ("0x7f.0.0.1", "127.0.0.1"),
    ("0x7F000001", "127.0.0.1"), ("127.1", "127.0.0.1"), ("10.1", "10.0.0.1"),
    ("192.168.257", "192.168.1.1"), ("0", "0.0.0.0"), ("::1", "::1"),
    ("fe80::1%eth0", "fe80::1"), ("93.184.216.34.", "93.184.216.34"),
])
def test_numeric_hosts_are_read_as_a_resolver_reads_them(host: str, address: str) -> None:
    assert numeric_host(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize("host", ["example.com", "1.2.3.4.5", "256.1.1.1", "0x", "08.1.1.1",
                                  "1e3", "", "12a"])
def test_names_are_not_numbers(host: str) -> None:
    assert numeric_host(host) is None or host == "0x"


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.0.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "100.127.255.254", "224.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "::",
    "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:10.0.0.1", "64:ff9b::a00:1",
    "2002:c0a8:101::", "192.0.2.1", "not an address",
])
def test_non_public_addresses_are_forbidden(address: str) -> None:
    assert is_forbidden_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:2800:220:1::1",
                                     "::ffff:8.8.8.8", "64:ff9b::808:808"])
def test_public_addresses_are_not(address: str) -> None:
    assert not is_forbidden_address(address)


def test_allowed_networks_open_only_themselves_and_never_the_metadata_service() -> None:
    allowed = parse_networks("10.20.0.0/16, fd12::/16 127.0.0.1/32 169.254.0.0/16")
    assert not is_forbidden_address("10.20.3.4", allowed)
    assert not is_forbidden_address("::ffff:10.20.3.4", allowed)
    assert not is_forbidden_address("fd12::5", allowed)
    assert not is_forbidden_address("127.0.0.1", allowed)
    assert is_forbidden_address("10.21.0.1", allowed) and is_forbidden_address("127.0.0.2", allowed)
    assert is_forbidden_address("169.254.169.254", allowed)
    assert is_forbidden_address("fd00:ec2::254", parse_networks("fd00::/8"))
    with pytest.raises(ValueError, match=r"'10\.0\.0\.0/33' is not a network"):
        parse_networks("10.0.0.0/33")


def test_names_of_this_machine_and_the_metadata_service() -> None:
    for name in ("localhost", "LocalHost.", "x.localhost", "metadata.google.internal",
                 "instance-data"):
        assert is_forbidden_name(name)
    assert not is_forbidden_name("files.example.com")
    assert not is_forbidden_name("files.corp.internal")  # an allowed network's server, say
