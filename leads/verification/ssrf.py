"""Decides whether the fetcher may open a connection to a URL target or an IP address (SSRF guard)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = frozenset({80, 443, 8080, 8443})


class Refusal(StrEnum):
    """Why a target is refused; the values are the contract reason codes."""

    SCHEME_NOT_ALLOWED = "scheme_not_allowed"
    PORT_NOT_ALLOWED = "port_not_allowed"
    INVALID_HOST = "invalid_host"
    INVALID_ADDRESS = "invalid_address"
    UNSPECIFIED = "unspecified"
    LOOPBACK = "loopback"
    PRIVATE = "private"
    SHARED_ADDRESS_SPACE = "shared_address_space"
    LINK_LOCAL = "link_local"
    SITE_LOCAL = "site_local"
    DOCUMENTATION = "documentation"
    BENCHMARKING = "benchmarking"
    MULTICAST = "multicast"
    BROADCAST = "broadcast"
    RESERVED = "reserved"
    IPV4_MAPPED = "ipv4_mapped"
    IPV4_COMPATIBLE = "ipv4_compatible"
    NAT64 = "nat64"
    SIX_TO_FOUR = "6to4"
    TEREDO = "teredo"


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """What the fetcher may connect to beyond the public internet.

    allowed_networks exist for tests and staging, where the "internet" is a
    set of servers on 127.0.0.1: an address inside them is allowed even when
    it is loopback or private.
    """

    allowed_networks: tuple[IPNetwork, ...] = ()
    allowed_ports: frozenset[int] = field(default=DEFAULT_PORTS)


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """Parse a comma- or space-separated list of CIDR networks (settings input); raises ValueError on a bad entry."""
    return tuple(
        ipaddress.ip_network(part, strict=False) for part in re.split(r"[\s,]+", text.strip()) if part
    )


# Order matters: the first matching range names the refusal, so the narrow
# ranges come before the broad ones that contain them.
_V4_RANGES: tuple[tuple[ipaddress.IPv4Network, Refusal], ...] = tuple(
    (ipaddress.IPv4Network(cidr), refusal)
    for cidr, refusal in (
        ("0.0.0.0/8", Refusal.UNSPECIFIED),  # RFC 1122 "this network"; Linux routes 0.0.0.0 to localhost
        ("127.0.0.0/8", Refusal.LOOPBACK),
        ("10.0.0.0/8", Refusal.PRIVATE),
        ("172.16.0.0/12", Refusal.PRIVATE),
        ("192.168.0.0/16", Refusal.PRIVATE),
        ("100.64.0.0/10", Refusal.SHARED_ADDRESS_SPACE),  # RFC 6598 carrier-grade NAT
        ("169.254.0.0/16", Refusal.LINK_LOCAL),  # cloud metadata lives at 169.254.169.254
        ("192.0.0.0/24", Refusal.RESERVED),  # RFC 6890 IETF protocol assignments
        ("192.0.2.0/24", Refusal.DOCUMENTATION),
        ("198.51.100.0/24", Refusal.DOCUMENTATION),
        ("203.0.113.0/24", Refusal.DOCUMENTATION),
        ("198.18.0.0/15", Refusal.BENCHMARKING),
        ("192.88.99.0/24", Refusal.RESERVED),  # RFC 7526 deprecated 6to4 relay anycast
        ("224.0.0.0/4", Refusal.MULTICAST),
        ("255.255.255.255/32", Refusal.BROADCAST),
        ("240.0.0.0/4", Refusal.RESERVED),
    )
)

_V6_RANGES: tuple[tuple[ipaddress.IPv6Network, Refusal], ...] = tuple(
    (ipaddress.IPv6Network(cidr), refusal)
    for cidr, refusal in (
        ("::/128", Refusal.UNSPECIFIED),
        ("::1/128", Refusal.LOOPBACK),
        ("64:ff9b::/96", Refusal.NAT64),  # RFC 6052: a NAT64 gateway would relay to any IPv4 address
        ("64:ff9b:1::/48", Refusal.NAT64),  # RFC 8215 local-use NAT64
        ("::/96", Refusal.IPV4_COMPATIBLE),  # RFC 4291 deprecated IPv4-compatible form
        ("2001::/32", Refusal.TEREDO),  # tunnels to an obfuscated IPv4 endpoint
        ("2001:db8::/32", Refusal.DOCUMENTATION),
        ("3fff::/20", Refusal.DOCUMENTATION),  # RFC 9637
        ("100::/64", Refusal.RESERVED),  # RFC 6666 discard prefix
        ("fc00::/7", Refusal.PRIVATE),  # RFC 4193 unique local addresses
        ("fe80::/10", Refusal.LINK_LOCAL),
        ("fec0::/10", Refusal.SITE_LOCAL),  # RFC 3879 deprecated, still routed internally by some networks
        ("ff00::/8", Refusal.MULTICAST),
    )
)


def check_address(ip_text: str, policy: AddressPolicy) -> Refusal | None:
    """Return why a connection to this IP address is refused, or None when it is allowed."""
    try:
        address = ipaddress.ip_address(ip_text.strip().strip("[]"))
    except ValueError:
        return Refusal.INVALID_ADDRESS
    return check_ip(address, policy)


def check_ip(address: IPAddress, policy: AddressPolicy) -> Refusal | None:
    """Judge a parsed address: allowed networks first, then the special-purpose ranges, then "is it global"."""
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        # A zone id pins the address to a local interface: never a public site.
        return Refusal.LINK_LOCAL
    if _is_allowed_network(address, policy):
        return None
    if isinstance(address, ipaddress.IPv4Address):
        return _check_v4(address)
    return _check_v6(address, policy)


def _is_allowed_network(address: IPAddress, policy: AddressPolicy) -> bool:
    return any(
        address.version == network.version and address in network for network in policy.allowed_networks
    )


def _check_v4(address: ipaddress.IPv4Address) -> Refusal | None:
    for network, refusal in _V4_RANGES:
        if address in network:
            return refusal
    if not address.is_global:
        return Refusal.RESERVED
    return None


def _check_v6(address: ipaddress.IPv6Address, policy: AddressPolicy) -> Refusal | None:
    mapped = address.ipv4_mapped
    if mapped is not None:
        # Dual-stack sockets send ::ffff:a.b.c.d to a.b.c.d, so the embedded
        # IPv4 address is the real destination.
        return None if check_ip(mapped, policy) is None else Refusal.IPV4_MAPPED
    six_to_four = address.sixtofour
    if six_to_four is not None and check_ip(six_to_four, policy) is not None:
        return Refusal.SIX_TO_FOUR
    for network, refusal in _V6_RANGES:
        if address in network:
            return refusal
    if not address.is_global and six_to_four is None:
        return Refusal.RESERVED
    return None


_HEX_PART = re.compile(r"0[xX][0-9a-fA-F]*")
_OCTAL_PART = re.compile(r"0[0-7]+")
_DECIMAL_PART = re.compile(r"[0-9]+")


def literal_address(host: str) -> IPAddress | None:
    """Return the address a browser would connect to for an IP-literal host, or None for a DNS name.

    Follows the WHATWG URL host parser, which mirrors libc inet_aton: 1 to 4
    dot-separated parts, each decimal, octal (leading 0) or hex (0x), the last
    part filling the remaining bytes ("127.1", "2130706433", "0x7f.1").
    Raises ValueError for a host that ends in a number but is not a valid
    address ("1.2.3.4.5", "foo.09"), which browsers refuse too.
    """
    text = host.strip()
    if text.startswith("[") and text.endswith("]"):
        return ipaddress.IPv6Address(text[1:-1])
    if ":" in text:
        return ipaddress.IPv6Address(text)
    parts = text.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts = parts[:-1]  # WHATWG: one trailing dot is allowed
    if not parts or not _ends_in_number(parts[-1]):
        return None
    if len(parts) > 4:
        raise ValueError(f"too many parts for an IPv4 address: {host!r}")
    numbers = [_parse_v4_part(part, host) for part in parts]
    if any(number > 255 for number in numbers[:-1]):
        raise ValueError(f"IPv4 part out of range: {host!r}")
    if numbers[-1] >= 256 ** (5 - len(numbers)):
        raise ValueError(f"IPv4 last part out of range: {host!r}")
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number * 256 ** (3 - index)
    return ipaddress.IPv4Address(value)


def _ends_in_number(last_part: str) -> bool:
    # WHATWG "ends in a number checker": such a host is parsed as IPv4 or refused.
    return bool(_DECIMAL_PART.fullmatch(last_part) or _HEX_PART.fullmatch(last_part))


def _parse_v4_part(part: str, host: str) -> int:
    if _HEX_PART.fullmatch(part):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        # A leading zero means octal to inet_aton and browsers; "09" is an error, not 9.
        if not _OCTAL_PART.fullmatch(part):
            raise ValueError(f"bad octal IPv4 part {part!r} in {host!r}")
        return int(part[1:], 8)
    if _DECIMAL_PART.fullmatch(part):
        return int(part, 10)
    raise ValueError(f"not an IPv4 part {part!r} in {host!r}")


def check_url_target(scheme: str, host: str, port: int, policy: AddressPolicy) -> Refusal | None:
    """Return why this URL target is refused before any DNS look-up, or None to go on.

    A DNS name passes here; its resolved addresses must still go through
    check_address. An IP-literal host in any browser-accepted spelling is
    judged by the address it really means.
    """
    if scheme.lower() not in ALLOWED_SCHEMES:
        return Refusal.SCHEME_NOT_ALLOWED
    if port not in policy.allowed_ports:
        return Refusal.PORT_NOT_ALLOWED
    if not host or any(character.isspace() for character in host):
        return Refusal.INVALID_HOST
    try:
        address = literal_address(host)
    except ValueError:
        return Refusal.INVALID_HOST
    if address is None:
        return None
    return check_ip(address, policy)


def refusals(addresses: Iterable[str], policy: AddressPolicy) -> tuple[tuple[str, Refusal], ...]:
    """Every refused address with its reason; empty when all may be contacted."""
    found: list[tuple[str, Refusal]] = []
    for address in addresses:
        refusal = check_address(address, policy)
        if refusal is not None:
            found.append((address, refusal))
    return tuple(found)
