"""Which network addresses songgate may connect to when a user or an upstream names a URL.

Pure rules for every outbound fetch (webhooks, uploads by URL, upstream media): loopback,
private, link-local, shared (CGNAT), multicast, reserved, unspecified and cloud metadata
addresses are refused, in every spelling a resolver accepts (``2130706433``,
``0177.0.0.1``, ``0x7f.1``, ``::ffff:127.0.0.1``, NAT64 and 6to4 forms carrying one). An
operator may allow listed networks (a private deployment's own file server); the cloud
metadata addresses stay refused even then.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

FORBIDDEN_NAMES = frozenset({"localhost", "localhost.localdomain", "metadata.google.internal",
                             "metadata", "instance-data", "metadata.azure.internal"})
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"),
                                ipaddress.ip_address("169.254.170.2"),
                                ipaddress.ip_address("fd00:ec2::254")})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """Comma- or space-separated CIDRs; :class:`ValueError` naming the first bad one."""
    found: list[IPNetwork] = []
    for item in text.replace(",", " ").split():
        try:
            found.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not a network in CIDR form (10.0.0.0/8)") from None
    return tuple(found)


def numeric_host(host: str) -> IPAddress | None:
    """The address a numeric host names in any form ``inet_aton`` reads, else None.

    ``2130706433``, ``0177.0.0.1``, ``0x7f.0.0.1`` and ``127.1`` all name 127.0.0.1; an
    IPv6 literal (without brackets, a zone allowed) names itself.
    """
    host = host.strip().rstrip(".")
    if ":" in host:
        try:
            return ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return None
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers: list[int] = []
    for part in parts:
        number = _inet_aton_part(part)
        if number is None:
            return None
        numbers.append(number)
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (5 - len(numbers)) + last
    return ipaddress.IPv4Address(value)


def _inet_aton_part(part: str) -> int | None:
    lowered = part.lower()
    try:
        if lowered.startswith("0x"):
            return int(lowered[2:] or "0", 16)
        if len(lowered) > 1 and lowered.startswith("0"):
            return int(lowered[1:], 8)
        return int(lowered, 10) if lowered.isdigit() else None
    except ValueError:
        return None


def _embedded(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4): the one it reaches;
    else itself."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.sixtofour is not None:
            return ip.sixtofour
    return ip


def is_forbidden_address(address: str | IPAddress,
                         allowed: tuple[IPNetwork, ...] = ()) -> bool:
    """Loopback, private, link-local (cloud metadata), shared, multicast, reserved or
    unspecified, unless in ``allowed``; cloud metadata addresses always; unparseable too."""
    if isinstance(address, str):
        try:
            ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return True
    else:
        ip = address
    inner = _embedded(ip)
    if ip in METADATA_ADDRESSES or inner in METADATA_ADDRESSES:
        return True
    if any(ip in network or inner in network for network in allowed
           if network.version in (ip.version, inner.version)):
        return False
    return (not inner.is_global or inner.is_multicast or inner.is_reserved
            or inner.is_unspecified)


def is_forbidden_name(host: str) -> bool:
    """Names that mean this machine or the cloud's metadata service, whatever DNS says."""
    name = host.lower().rstrip(".")
    return name in FORBIDDEN_NAMES or name.endswith(".localhost")


@dataclass(frozen=True, slots=True)
class PinnedUrl:
    """A URL rewritten to connect to one resolved address while naming its host: the
    request goes to ``url`` (the address in place of the name) with ``host`` as its Host
    header, and ``server_name`` for TLS (SNI and the certificate check), so no second
    resolution can send it elsewhere."""

    url: str
    host: str
    server_name: str


def pin_url(url: str, address: str) -> PinnedUrl:
    """``url`` pinned to ``address``, one of its host's checked addresses."""
    parts = urlsplit(url)
    hostname = parts.hostname or ""
    literal = f"[{address}]" if ":" in address else address
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    shown = f"[{hostname}]" if ":" in hostname else hostname
    host = shown if parts.port is None else f"{shown}:{parts.port}"
    return PinnedUrl(url=urlunsplit(parts._replace(netloc=netloc)), host=host,
                     server_name=hostname)
