"""Async DNS look-ups for verification (I/O shell): typed answers, never exceptions for DNS outcomes."""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass, field
from enum import StrEnum

import dns.asyncresolver
import dns.exception
import dns.message
import dns.name
import dns.nameserver
import dns.rcode
import dns.rdatatype
import dns.resolver
import idna


class LookupStatus(StrEnum):
    OK = "ok"  # at least one record of the asked type
    NXDOMAIN = "nxdomain"  # the name does not exist
    NO_ANSWER = "no_answer"  # the name exists, no record of this type
    SERVFAIL = "servfail"  # the server failed: transient, never proof of a fake
    TIMEOUT = "timeout"  # no answer in time: transient
    ERROR = "error"  # anything else (bad name, refused): transient


@dataclass(frozen=True, slots=True)
class ResolverConfig:
    nameservers: tuple[tuple[str, int], ...] = ()  # empty: the system resolver's
    timeout_s: float = 5.0


@dataclass(frozen=True, slots=True)
class MxRecord:
    preference: int
    host: str  # "" for a null MX (RFC 7505: "0 .")


@dataclass(frozen=True, slots=True)
class MxLookup:
    status: LookupStatus
    records: tuple[MxRecord, ...] = ()
    error: str = ""


@dataclass(frozen=True, slots=True)
class AddressLookup:
    status: LookupStatus
    addresses: tuple[str, ...] = ()  # IPv4 and IPv6 text forms, A then AAAA
    error: str = ""


@dataclass(frozen=True, slots=True)
class NameLookup:
    status: LookupStatus
    names: tuple[str, ...] = field(default=())  # NS or CNAME targets, lower-case, no trailing dot
    error: str = ""


DEFAULT_DNS_PORT = 53

# The system resolver's per-try timeout; a shorter per-try budget than the
# whole lifetime leaves room for one UDP retry when a packet is lost.
_PER_TRY_TIMEOUT_S = 2.0


def parse_nameservers(value: str) -> tuple[tuple[str, int], ...]:
    """Parse "127.0.0.1:5353, [::1]:53, 10.0.0.1" into ((host, port), ...).

    Hosts must be IP addresses (a resolver cannot resolve its own nameserver).
    The port defaults to 53; IPv6 needs brackets to carry a port. A blank
    value means "use the system resolver" and gives an empty tuple.
    """
    if not value.strip():
        return ()
    return tuple(_parse_one_nameserver(item.strip(), value) for item in value.split(","))


def _parse_one_nameserver(item: str, whole: str) -> tuple[str, int]:
    if not item:
        raise ValueError(f"empty entry in nameserver list {whole!r}")
    port_text: str | None = None
    is_bracketed = item.startswith("[")
    if is_bracketed:
        host, bracket, rest = item[1:].partition("]")
        if not bracket:
            raise ValueError(f"nameserver {item!r}: missing ']' after the IPv6 address")
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"nameserver {item!r}: expected ':port' after ']'")
            port_text = rest[1:]
    elif item.count(":") == 1:
        host, port_text = item.split(":")
    else:
        # No colon (IPv4) or several (a bare IPv6 address): the default port.
        host = item
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"nameserver {item!r}: {host!r} is not an IP address") from None
    if is_bracketed and address.version != 6:
        raise ValueError(f"nameserver {item!r}: brackets are only for IPv6 addresses")
    if port_text is None:
        return (str(address), DEFAULT_DNS_PORT)
    if not (port_text.isascii() and port_text.isdigit() and 1 <= int(port_text) <= 65535):
        raise ValueError(f"nameserver {item!r}: port must be a number from 1 to 65535")
    return (str(address), int(port_text))


async def lookup_mx(domain: str, config: ResolverConfig) -> MxLookup:
    """Look up a domain's MX records, best (lowest preference) first.

    A null MX (RFC 7505, "0 .") comes back as MxRecord(0, "").
    """
    answer = await _resolve(domain, dns.rdatatype.MX, config)
    if isinstance(answer, _Failure):
        return MxLookup(status=answer.status, error=answer.error)
    records = sorted(
        (MxRecord(preference=rdata.preference, host=_host_text(rdata.exchange)) for rdata in answer),
        key=lambda record: (record.preference, record.host),
    )
    return MxLookup(status=LookupStatus.OK, records=tuple(records))


async def lookup_addresses(name: str, config: ResolverConfig) -> AddressLookup:
    """Look up A and AAAA records concurrently; OK if either has an address."""
    ipv4, ipv6 = await asyncio.gather(
        _resolve(name, dns.rdatatype.A, config),
        _resolve(name, dns.rdatatype.AAAA, config),
    )
    addresses = tuple(
        rdata.address for answer in (ipv4, ipv6) if not isinstance(answer, _Failure) for rdata in answer
    )
    if addresses:
        return AddressLookup(status=LookupStatus.OK, addresses=addresses)
    failures = [answer for answer in (ipv4, ipv6) if isinstance(answer, _Failure)]
    error = "; ".join(failure.error for failure in failures if failure.error)
    return AddressLookup(status=_combined_status(failures), error=error)


def _combined_status(failures: list[_Failure]) -> LookupStatus:
    statuses = [failure.status for failure in failures]
    # NXDOMAIN is about the name, not the type: one such answer settles it.
    if LookupStatus.NXDOMAIN in statuses:
        return LookupStatus.NXDOMAIN
    transient = [status for status in statuses if status is not LookupStatus.NO_ANSWER]
    # "No address" is only proven when both types answered empty; a timeout
    # on the other type leaves the question open.
    return transient[0] if transient else LookupStatus.NO_ANSWER


async def lookup_ns(domain: str, config: ResolverConfig) -> NameLookup:
    """Look up a domain's NS records as sorted, lower-case host names."""
    answer = await _resolve(domain, dns.rdatatype.NS, config)
    if isinstance(answer, _Failure):
        return NameLookup(status=answer.status, error=answer.error)
    names = sorted({_host_text(rdata.target) for rdata in answer})
    return NameLookup(status=LookupStatus.OK, names=tuple(names))


@dataclass(frozen=True, slots=True)
class _Failure:
    status: LookupStatus
    error: str


async def _resolve(
    name: str, rdtype: dns.rdatatype.RdataType, config: ResolverConfig
) -> dns.resolver.Answer | _Failure:
    try:
        qname = dns.name.from_text(to_a_label(name))
        resolver = _build_resolver(config)
        return await resolver.resolve(qname, rdtype, lifetime=config.timeout_s, search=False)
    except dns.resolver.NXDOMAIN:
        return _Failure(LookupStatus.NXDOMAIN, "")
    except dns.resolver.NoAnswer:
        return _Failure(LookupStatus.NO_ANSWER, "")
    except dns.resolver.NoNameservers as error:
        return _Failure(_no_nameservers_status(error), str(error))
    except dns.exception.Timeout as error:
        return _Failure(LookupStatus.TIMEOUT, str(error))
    except (
        dns.exception.DNSException,
        idna.IDNAError,
        UnicodeError,
        ValueError,
        OSError,
    ) as error:
        return _Failure(LookupStatus.ERROR, f"{type(error).__name__}: {error}")


def _no_nameservers_status(error: dns.resolver.NoNameservers) -> LookupStatus:
    # dnspython raises NoNameservers for SERVFAIL, REFUSED and unreachable
    # servers alike; only a real SERVFAIL answer is reported as such.
    for *_, response in error.kwargs.get("errors", []):
        if isinstance(response, dns.message.Message) and response.rcode() == dns.rcode.SERVFAIL:
            return LookupStatus.SERVFAIL
    return LookupStatus.ERROR


def to_a_label(name: str) -> str:
    """Return the ASCII (A-label), lower-case, dot-less-at-the-end form of a DNS name.

    Raises ValueError (idna.IDNAError is one) for names IDNA cannot encode.
    """
    stripped = name.strip().rstrip(".")
    if not stripped:
        raise ValueError("empty DNS name")
    if stripped.isascii():
        # ASCII names skip IDNA validation: DNS allows labels such as "_dmarc"
        # that IDNA 2008 rejects.
        return stripped.lower()
    return idna.encode(stripped, uts46=True).decode("ascii").lower()


def _build_resolver(config: ResolverConfig) -> dns.asyncresolver.Resolver:
    if config.nameservers:
        resolver = dns.asyncresolver.Resolver(configure=False)
        resolver.nameservers = [
            dns.nameserver.Do53Nameserver(host, port) for host, port in config.nameservers
        ]
    else:
        resolver = dns.asyncresolver.Resolver()
    resolver.timeout = min(_PER_TRY_TIMEOUT_S, config.timeout_s)
    resolver.lifetime = config.timeout_s
    return resolver


def _host_text(name: dns.name.Name) -> str:
    # The root name is how RFC 7505 spells "no mail host"; it becomes "".
    return name.to_text(omit_final_dot=True).lower() if name != dns.name.root else ""
