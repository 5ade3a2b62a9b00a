"""An authoritative DNS server on 127.0.0.1 for tests: a zone defined in Python, with failure modes."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import socketserver
import threading
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from dnslib import AAAA, CNAME, MX, NS, QTYPE, RCODE, RR, TXT, A, DNSError, DNSRecord
from dnslib.server import DNSHandler, DNSLogger, DNSServer, TCPServer

from leads.verification.resolver import ResolverConfig, to_a_label

_TTL_S = 60
_MAX_CNAME_HOPS = 8
_BIND_ATTEMPTS = 20
# A benchmark's burst of hundreds of queries must not overflow the socket's
# queue: a dropped datagram costs the client a whole retry timeout.
_UDP_RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024


@dataclass
class _Name:
    """Everything the server knows about one owner name."""

    a: list[str] = field(default_factory=list)
    aaaa: list[str] = field(default_factory=list)
    mx: list[tuple[int, str]] = field(default_factory=list)  # host "" is a null MX
    ns: list[str] = field(default_factory=list)
    txt: list[str] = field(default_factory=list)
    cname: str | None = None
    is_servfail: bool = False
    delay_s: float = 0.0
    # Rebinding: the n-th A (or AAAA) query gets rebinding[n]; the last set repeats.
    rebinding: list[tuple[str, ...]] = field(default_factory=list)


class FakeDnsServer:
    """Serve a mutable in-memory zone over UDP and TCP on one loopback port.

    Unknown names answer NXDOMAIN. A name that exists without records of the
    asked type answers NOERROR with no data, and so do the parents of names
    in the zone (empty non-terminals). UDP is served by an asyncio loop in a
    background thread that holds each delayed answer on a timer, and TCP by
    one thread per connection, so a slow name or the global latency does not
    hold up other queries.

    Use as a context manager, or call start()/stop(). Mutate the zone at any
    time with set_name(), add_records(), set_servfail(), set_delay(),
    set_rebinding(), remove() and reset().
    """

    def __init__(self, host: str = "127.0.0.1", *, latency_s: float = 0.0) -> None:
        self.host = host
        self.latency_s = latency_s  # added to every answer, e.g. 0.05 for benchmarks
        self._names: dict[str, _Name] = {}
        self._query_counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._servers: list[DNSServer] = []
        self._udp: _UdpServer | None = None
        self._port = 0

    # Life cycle

    def start(self) -> FakeDnsServer:
        """Bind UDP and TCP on the same free port and serve in background threads."""
        if self._servers:
            return self
        self._stopping.clear()
        logger = DNSLogger(logf=_discard)
        for _ in range(_BIND_ATTEMPTS):
            udp = _UdpServer(self, self.host)
            try:
                tcp = DNSServer(
                    _ZoneResolver(self),
                    address=self.host,
                    port=udp.port,
                    tcp=True,
                    logger=logger,
                    server=_QuietTCPServer,
                )
            except OSError:
                # Another process holds this port for TCP: try a new UDP port.
                udp.close()
                continue
            self._servers = [tcp]
            self._udp = udp
            self._port = udp.port
            udp.start()
            tcp.start_thread()
            return self
        raise RuntimeError("could not bind UDP and TCP DNS sockets on one free port")

    def stop(self) -> None:
        """Stop serving and close the sockets; delayed answers are abandoned."""
        self._stopping.set()
        if self._udp is not None:
            self._udp.stop()
            self._udp = None
        for server in self._servers:
            server.server.closing = True
            server.stop()
            server.server.server_close()
        self._servers = []

    def __enter__(self) -> FakeDnsServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if not self._servers:
            raise RuntimeError("the fake DNS server is not running")
        return self._port

    @property
    def nameservers(self) -> tuple[tuple[str, int], ...]:
        return ((self.host, self.port),)

    def resolver_config(self, timeout_s: float = 2.0) -> ResolverConfig:
        """A ResolverConfig that sends every query to this server."""
        return ResolverConfig(nameservers=self.nameservers, timeout_s=timeout_s)

    # Zone edits

    def set_name(
        self,
        name: str,
        *,
        a: Iterable[str] = (),
        aaaa: Iterable[str] = (),
        mx: Iterable[tuple[int, str]] = (),
        ns: Iterable[str] = (),
        txt: Iterable[str] = (),
        cname: str | None = None,
    ) -> None:
        """Create or replace a name. With no records the name exists but answers no data.

        MX hosts "" or "." make a null MX (RFC 7505).
        """
        entry = _Name()
        _extend(entry, a=a, aaaa=aaaa, mx=mx, ns=ns, txt=txt)
        entry.cname = _normal(cname) if cname is not None else None
        with self._lock:
            self._names[_normal(name)] = entry

    def add_records(
        self,
        name: str,
        *,
        a: Iterable[str] = (),
        aaaa: Iterable[str] = (),
        mx: Iterable[tuple[int, str]] = (),
        ns: Iterable[str] = (),
        txt: Iterable[str] = (),
    ) -> None:
        """Append records to a name, creating it if needed."""
        with self._lock:
            entry = self._names.setdefault(_normal(name), _Name())
            _extend(entry, a=a, aaaa=aaaa, mx=mx, ns=ns, txt=txt)

    def set_servfail(self, name: str) -> None:
        """Answer SERVFAIL for every query on this name."""
        with self._lock:
            self._names.setdefault(_normal(name), _Name()).is_servfail = True

    def set_delay(self, name: str, delay_s: float) -> None:
        """Hold every answer for this name by delay_s seconds (to provoke client timeouts)."""
        with self._lock:
            self._names.setdefault(_normal(name), _Name()).delay_s = delay_s

    def set_rebinding(self, name: str, *answers: Sequence[str]) -> None:
        """Make successive address queries see different addresses (DNS rebinding).

        The n-th A query gets the IPv4 addresses of answers[n], the n-th AAAA
        query its IPv6 ones; after the last set, the last set repeats.
        """
        if not answers:
            raise ValueError("set_rebinding needs at least one answer set")
        with self._lock:
            entry = self._names.setdefault(_normal(name), _Name())
            entry.rebinding = [tuple(answer) for answer in answers]
            for key in [key for key in self._query_counts if key[0] == _normal(name)]:
                del self._query_counts[key]

    def remove(self, name: str) -> None:
        """Forget a name, so it answers NXDOMAIN again."""
        with self._lock:
            self._names.pop(_normal(name), None)

    def reset(self) -> None:
        """Empty the zone, the query counts and the global latency."""
        with self._lock:
            self._names.clear()
            self._query_counts.clear()
            self.latency_s = 0.0

    def query_count(self, name: str, qtype: str) -> int:
        """How many queries of this type the server has answered for a name."""
        with self._lock:
            return self._query_counts.get((_normal(name), qtype.upper()), 0)

    # Answering (called from the server's handler threads)

    def answer(self, request: DNSRecord) -> DNSRecord:
        """The reply to a request, after the global latency and the name's own delay."""
        reply, delay_s = self.reply_and_delay(request)
        if delay_s > 0:
            # Waits on the stop event so stop() does not hang on slow answers.
            self._stopping.wait(delay_s)
        return reply

    def reply_and_delay(self, request: DNSRecord) -> tuple[DNSRecord, float]:
        """The reply to a request, and how long to hold it before sending."""
        qname = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE.get(request.q.qtype, str(request.q.qtype))
        reply = request.reply()  # authoritative, recursion available
        with self._lock:
            delay_s = self.latency_s
            count = self._query_counts.get((qname, qtype), 0)
            self._query_counts[(qname, qtype)] = count + 1
            entry = self._names.get(qname)
            if entry is not None:
                delay_s += entry.delay_s
            if entry is not None and entry.is_servfail:
                reply.header.rcode = RCODE.SERVFAIL
            elif entry is None and not self._has_descendant(qname):
                reply.header.rcode = RCODE.NXDOMAIN
            elif entry is not None:
                for record in self._records(qname, entry, qtype, count):
                    reply.add_answer(record)
        return reply, delay_s

    def _has_descendant(self, qname: str) -> bool:
        suffix = "." + qname
        return any(name.endswith(suffix) for name in self._names)

    def _records(self, qname: str, entry: _Name, qtype: str, count: int) -> list[RR]:
        records: list[RR] = []
        owner, current = qname, entry
        for _ in range(_MAX_CNAME_HOPS):
            if current.cname is None or qtype == "CNAME":
                break
            records.append(RR(owner, QTYPE.CNAME, rdata=CNAME(current.cname), ttl=_TTL_S))
            owner = current.cname
            next_entry = self._names.get(owner)
            if next_entry is None:
                return records
            current = next_entry
        records.extend(_rdata_records(owner, current, qtype, count))
        return records


def _rdata_records(owner: str, entry: _Name, qtype: str, count: int) -> list[RR]:
    a, aaaa = entry.a, entry.aaaa
    if entry.rebinding:
        answer_set = entry.rebinding[min(count, len(entry.rebinding) - 1)]
        a = [address for address in answer_set if ipaddress.ip_address(address).version == 4]
        aaaa = [address for address in answer_set if ipaddress.ip_address(address).version == 6]
    if qtype == "A":
        return [RR(owner, QTYPE.A, rdata=A(address), ttl=_TTL_S) for address in a]
    if qtype == "AAAA":
        return [RR(owner, QTYPE.AAAA, rdata=AAAA(address), ttl=_TTL_S) for address in aaaa]
    if qtype == "MX":
        return [
            RR(
                owner,
                QTYPE.MX,
                rdata=MX(host + "." if host else ".", preference),
                ttl=_TTL_S,
            )
            for preference, host in entry.mx
        ]
    if qtype == "NS":
        return [RR(owner, QTYPE.NS, rdata=NS(host + "."), ttl=_TTL_S) for host in entry.ns]
    if qtype == "TXT":
        return [RR(owner, QTYPE.TXT, rdata=TXT(text), ttl=_TTL_S) for text in entry.txt]
    if qtype == "CNAME" and entry.cname is not None:
        return [RR(owner, QTYPE.CNAME, rdata=CNAME(entry.cname + "."), ttl=_TTL_S)]
    return []


def _extend(
    entry: _Name,
    *,
    a: Iterable[str],
    aaaa: Iterable[str],
    mx: Iterable[tuple[int, str]],
    ns: Iterable[str],
    txt: Iterable[str],
) -> None:
    entry.a.extend(str(ipaddress.IPv4Address(address)) for address in a)
    entry.aaaa.extend(str(ipaddress.IPv6Address(address)) for address in aaaa)
    entry.mx.extend((preference, "" if host in ("", ".") else _normal(host)) for preference, host in mx)
    entry.ns.extend(_normal(host) for host in ns)
    entry.txt.extend(txt)


def _normal(name: str) -> str:
    return to_a_label(name)


def _discard(_message: str) -> None:
    return None


class _ZoneResolver:
    """The dnslib resolver interface, delegating to the server's zone."""

    def __init__(self, zone: FakeDnsServer) -> None:
        self._zone = zone

    def resolve(self, request: DNSRecord, handler: DNSHandler) -> DNSRecord:
        return self._zone.answer(request)


class _QuietErrorsMixin:
    closing = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A delayed answer sent after stop() hits a closed socket; only that
        # case is silenced, real handler errors still print.
        if not self.closing:
            socketserver.BaseServer.handle_error(self, request, client_address)  # type: ignore[arg-type]


class _UdpServer:
    """The zone over UDP: one asyncio loop in a thread; delayed answers wait on timers, not threads."""

    def __init__(self, zone: FakeDnsServer, host: str) -> None:
        self._zone = zone
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
        self._socket = socket.socket(family, socket.SOCK_DGRAM)
        force = getattr(socket, "SO_RCVBUFFORCE", None)  # Linux, privileged
        try:
            if force is None:
                raise PermissionError("no SO_RCVBUFFORCE here")
            self._socket.setsockopt(socket.SOL_SOCKET, force, _UDP_RECEIVE_BUFFER_BYTES)
        except PermissionError:
            # Unprivileged: the kernel caps the request at net.core.rmem_max.
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _UDP_RECEIVE_BUFFER_BYTES)
        self._socket.bind((host, 0))
        self.port: int = self._socket.getsockname()[1]
        self._loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._transport: asyncio.DatagramTransport | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-dns-udp", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._open(), self._loop).result(timeout=30)

    async def _open(self) -> None:
        self._transport, _ = await self._loop.create_datagram_endpoint(
            lambda: _UdpProtocol(self._zone), sock=self._socket
        )

    def stop(self) -> None:
        if self._thread is not None:
            if self._transport is not None:
                self._loop.call_soon_threadsafe(self._transport.close)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
            self._thread = None
        self.close()

    def close(self) -> None:
        if not self._loop.is_running():
            self._loop.close()
        self._socket.close()


class _UdpProtocol(asyncio.DatagramProtocol):
    def __init__(self, zone: FakeDnsServer) -> None:
        self._zone = zone
        self._transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = typing.cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, address: tuple[str, int]) -> None:
        try:
            request = DNSRecord.parse(data)
        except (DNSError, ValueError, IndexError):
            return  # not a DNS query: a real server drops it too
        reply, delay_s = self._zone.reply_and_delay(request)
        packed = reply.pack()
        if delay_s > 0:
            asyncio.get_running_loop().call_later(delay_s, self._send, packed, address)
        else:
            self._send(packed, address)

    def _send(self, packed: bytes, address: tuple[str, int]) -> None:
        if self._transport is not None and not self._transport.is_closing():
            with contextlib.suppress(OSError):
                self._transport.sendto(packed, address)


class _QuietTCPServer(_QuietErrorsMixin, TCPServer):
    pass
