"""Who a request comes from, for limits that count per client.

The connection's peer is the client, unless the peer is a proxy the operator
trusts: then ``X-Forwarded-For`` names it, read from the right (each proxy
appends the address it saw), skipping trusted proxies, and the first address
that is not one is the client. Addresses a client wrote itself sit further left
and are never read. IPv6 clients are counted by their /64 network, which is what
one subscriber usually holds.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

UNKNOWN = "unknown"
IPV6_CLIENT_PREFIX = 64


def trusted_networks(entries: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Addresses or networks (``10.0.0.1``, ``10.0.0.0/8``, ``::1``) as networks."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def client_key(
    peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[IPNetwork]
) -> str:
    """The key a client's requests are counted under.

    ``forwarded_for`` holds the values of every ``X-Forwarded-For`` header, in order.
    """
    address = _parse(peer)
    if address is None:
        return UNKNOWN if not peer else peer[:64]
    if trusted and _is_trusted(address, trusted):
        hops = [hop.strip() for value in forwarded_for for hop in value.split(",")]
        for hop in reversed(hops):
            parsed = _parse(hop)
            if parsed is None:
                break  # unreadable: stop at the last address a trusted proxy wrote
            address = parsed
            if not _is_trusted(parsed, trusted):
                break
    return _key(address)


def _parse(text: str | None) -> IPAddress | None:
    if not text or len(text) > 64:
        return None
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress, trusted: Sequence[IPNetwork]) -> bool:
    return any(address in network for network in trusted)


def _key(address: IPAddress) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(address)
