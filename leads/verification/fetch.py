"""Fetches lead websites (I/O shell): SSRF-safe, pinned to vetted addresses, bounded in time, hops and bytes."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import select
import socket
import ssl
import time
import typing
import zlib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

import certifi
import httpcore
import httpx

from leads.verification.html_text import (
    MAX_LINKS,
    PageText,
    decode_html,
    extract_page_text,
    pick_company_pages,
)
from leads.verification.resolver import AddressLookup, LookupStatus
from leads.verification.ssrf import AddressPolicy, Refusal, check_url_target, literal_address, refusals
from leads.verification.urls import (
    DEFAULT_PORT,
    NormalizedUrl,
    UrlProblem,
    UrlProblemReason,
    normalize_url,
    normalize_website,
    registered_domain,
)
from leads.verification.website import FetchedPage, FetchError, FetchResult, SiteFetch

__all__ = [
    "FetchError",
    "FetchLimits",
    "FetchResult",
    "FetchedPage",
    "Resolve",
    "SiteFetch",
    "fetch_page",
    "fetch_site",
    "tls_context",
]

Resolve = Callable[[str], Awaitable[AddressLookup]]

USER_AGENT = "Mozilla/5.0 (compatible; UVLeadsVerifier/1.0)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
READ_CHUNK_BYTES = 64 * 1024
KEEPALIVE_EXPIRY_S = 5.0  # an idle kept-alive connection is closed after this long


@dataclass(frozen=True, slots=True)
class FetchLimits:
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 10.0  # longest silence between two reads
    total_timeout_s: float = 20.0  # one fetch_page, every redirect and DNS look-up included
    max_body_bytes: int = 2 * 1024 * 1024  # counted after decompression
    max_redirects: int = 5
    max_internal_pages: int = 3
    # Internal pages of one site fetched at once. One by one, they ride the
    # home page's kept-alive connection: no further TLS handshake, which costs
    # more CPU than the page itself, and one connection is all a small
    # company's server sees from us.
    page_concurrency: int = 1
    user_agent: str = USER_AGENT


@lru_cache(maxsize=8)
def tls_context(ca_bundle: str | None = None) -> ssl.SSLContext:
    """Certificate-verifying TLS context: certifi's roots plus an optional extra CA file (LEADS_CA_BUNDLE).

    Cached because loading the roots costs milliseconds per call, and one
    context is safe to share between connections.
    """
    context = ssl.create_default_context(cafile=certifi.where())
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    return context


async def fetch_page(
    url: str,
    *,
    resolve: Resolve,
    policy: AddressPolicy,
    limits: FetchLimits = FetchLimits(),  # noqa: B008 - frozen, so a shared default is safe
    tls: ssl.SSLContext | None = None,
    port_map: Mapping[int, int] | None = None,
) -> FetchResult:
    """GET one URL, following up to limits.max_redirects redirects, and return what came back or why nothing did.

    Every hop is re-normalised and vetted: scheme, port, and every address
    the host resolves to. The connection goes to those vetted addresses only
    (the socket is pinned; the URL keeps the host name for Host, SNI and the
    certificate check), so a DNS answer that changes between look-ups cannot
    redirect it. A hop is refused if ANY resolved address is refused: a
    round-robin set mixing public and internal addresses is an attack, not a
    website. A certificate or handshake failure marks has_tls_error and
    retries the hop over http.

    port_map (test wiring) sends connections for a URL port to another local
    port, because the fake internet listens on unprivileged ports. The URL
    port is still what the policy judges.
    """
    connections = _Connections(tls if tls is not None else tls_context(), port_map or {}, limits)
    async with connections:
        return await _fetch_page(url, connections, resolve=resolve, policy=policy, limits=limits)


async def _fetch_page(
    url: str, connections: _Connections, *, resolve: Resolve, policy: AddressPolicy, limits: FetchLimits
) -> FetchResult:
    started = time.monotonic()
    trail = _Trail(requested_url=url)
    session = _Session(
        connections=connections,
        timeout=httpx.Timeout(
            connect=limits.connect_timeout_s,
            read=limits.read_timeout_s,
            write=limits.read_timeout_s,
            pool=limits.connect_timeout_s,
        ),
        headers=(
            ("User-Agent", limits.user_agent),
            ("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"),
            ("Accept-Language", "en;q=0.9,*;q=0.5"),
            # Only what _BoundedBody can inflate under the cap.
            ("Accept-Encoding", "gzip, deflate"),
        ),
    )
    try:
        async with asyncio.timeout(limits.total_timeout_s):
            result = await _follow(session, url, resolve=resolve, policy=policy, limits=limits, trail=trail)
    except TimeoutError:
        result = trail.failure(
            FetchError.TOTAL_TIMEOUT, f"over {limits.total_timeout_s}s while {trail.phase}"
        )
    return replace(result, elapsed_ms=round((time.monotonic() - started) * 1000))


async def fetch_site(
    url: str,
    *,
    resolve: Resolve,
    policy: AddressPolicy,
    limits: FetchLimits = FetchLimits(),  # noqa: B008 - frozen, so a shared default is safe
    tls: ssl.SSLContext | None = None,
    port_map: Mapping[int, int] | None = None,
) -> SiteFetch:
    """Fetch a lead's home page and up to limits.max_internal_pages about/products pages of the same site.

    url is the website as entered. A failed https connection (refused,
    timed out, unreachable) is retried over http, since small exporters'
    sites often serve http only. One meta refresh on the home page is
    followed, as a browser would, and appears in the redirect chain with the
    refreshing page's status.

    Every page is fetched as fetch_page fetches one, hop by hop vetted, with
    two things shared across the site's pages: each host is looked up once
    (its vetted answer is reused, so the site's pages all go to the same
    addresses), and connections are kept alive and reused, but only for
    requests to the same scheme, host and port they were opened for.
    """
    connections = _Connections(tls if tls is not None else tls_context(), port_map or {}, limits)
    async with connections:
        return await _fetch_site(url, connections, resolve=resolve, policy=policy, limits=limits)


async def _fetch_site(
    url: str, connections: _Connections, *, resolve: Resolve, policy: AddressPolicy, limits: FetchLimits
) -> SiteFetch:
    async def fetch(target: str, page_limits: FetchLimits = limits) -> FetchResult:
        return await _fetch_page(target, connections, resolve=resolve, policy=policy, limits=page_limits)

    normalized = normalize_website(url)
    if isinstance(normalized, UrlProblem):
        error = (
            FetchError.BLOCKED_SCHEME
            if normalized.reason is UrlProblemReason.BAD_SCHEME
            else FetchError.INVALID_URL
        )
        return SiteFetch(
            home=FetchedPage(FetchResult(requested_url=url, error=error, error_detail=normalized.reason))
        )

    home = await fetch(normalized.url)
    if normalized.scheme == "https" and home.status_code is None and _is_connect_failure(home.error):
        fallback = await fetch(normalized.with_scheme("http").url)
        if fallback.status_code is not None:
            home = replace(
                fallback, requested_url=home.requested_url, elapsed_ms=home.elapsed_ms + fallback.elapsed_ms
            )
    home_text = _page_text(home)

    if home_text is not None and home_text.meta_refresh_url and home_text.meta_refresh_url != home.final_url:
        hops_left = max(limits.max_redirects - len(home.redirects) - 1, 0)
        refreshed = await fetch(home_text.meta_refresh_url, replace(limits, max_redirects=hops_left))
        home = replace(
            refreshed,
            requested_url=home.requested_url,
            redirects=(
                *home.redirects,
                (home.final_url or home.requested_url, home.status_code or 0),
                *refreshed.redirects,
            ),
            has_tls_error=home.has_tls_error or refreshed.has_tls_error,
            elapsed_ms=home.elapsed_ms + refreshed.elapsed_ms,
        )
        home_text = _page_text(home)

    if home_text is None:
        return SiteFetch(home=FetchedPage(home))
    internal_urls = pick_company_pages(home_text, limits.max_internal_pages)
    gate = asyncio.Semaphore(max(limits.page_concurrency, 1))

    async def fetch_internal(target: str) -> FetchedPage:
        async with gate:
            result = await fetch(target)
        return FetchedPage(result, _page_text(result, with_links=False))

    pages = await asyncio.gather(*(fetch_internal(target) for target in internal_urls))
    # A link may redirect off the site; only the lead's own pages describe it.
    home_domain = registered_domain(_host(home.final_url) or "")
    own_pages = tuple(
        page for page in pages if registered_domain(_host(page.result.final_url) or "") == home_domain
    )
    return SiteFetch(home=FetchedPage(home, home_text), pages=own_pages)


def _is_connect_failure(error: FetchError | None) -> bool:
    return error in (FetchError.CONNECT_REFUSED, FetchError.CONNECT_TIMEOUT, FetchError.CONNECT_ERROR)


def _page_text(result: FetchResult, *, with_links: bool = True) -> PageText | None:
    if result.error is not None or not 200 <= (result.status_code or 0) < 300 or not result.is_html:
        return None
    # Internal pages are read, never followed further: their links would go unused.
    return extract_page_text(
        result.text, result.final_url or result.requested_url, max_links=MAX_LINKS if with_links else 0
    )


def _host(url: str | None) -> str | None:
    if not url:
        return None
    parsed = normalize_url(url)
    return parsed.host if isinstance(parsed, NormalizedUrl) else None


@dataclass(slots=True)
class _Trail:
    """Progress of one fetch_page, kept outside the hop loop so a total timeout can still report it."""

    requested_url: str
    current_url: str | None = None
    redirects: list[tuple[str, int]] = field(default_factory=list)
    has_tls_error: bool = False
    phase: str = "starting"

    def failure(self, error: FetchError, detail: str = "", status_code: int | None = None) -> FetchResult:
        return FetchResult(
            requested_url=self.requested_url,
            final_url=self.current_url,
            status_code=status_code,
            redirects=tuple(self.redirects),
            has_tls_error=self.has_tls_error,
            error=error,
            error_detail=detail,
        )


@dataclass(frozen=True, slots=True)
class _Exchange:
    status_code: int
    location: str | None = None
    content_type: str = ""
    body: bytes = b""
    wire_bytes: int = 0
    is_truncated: bool = False
    peer_address: str | None = None


class _UnvettedTargetError(httpcore.ConnectError):
    """The HTTP client asked for a host or port no hop vetted; never expected, refused all the same."""


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses vetted for a (host, port); it never resolves names itself."""

    def __init__(self, port_map: Mapping[int, int]) -> None:
        self._inner = _AsyncioBackend()
        self._pins: dict[tuple[str, int], tuple[str, ...]] = {}
        self._port_map = dict(port_map)

    def pin(self, host: str, port: int, addresses: tuple[str, ...]) -> bool:
        """Allow connections to (host, port) at these addresses; False if it is pinned elsewhere already.

        Pooled connections to (host, port) were opened to the pinned
        addresses, so a pin never moves while the pool lives.
        """
        return self._pins.setdefault((host, port), addresses) == addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = self._pins.get((host.strip("[]"), port))
        if not addresses:
            raise _UnvettedTargetError(f"{host}:{port} was not vetted")
        connect_port = self._port_map.get(port, port)
        last_error: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address,
                    connect_port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as error:
                last_error = error  # refused or unreachable: the next vetted address may answer
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise _UnvettedTargetError("unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


_ErrorMap = Mapping[type[Exception], type[Exception]]


@contextlib.contextmanager
def _raising(mapping: _ErrorMap) -> Iterator[None]:
    """Re-raise low-level errors as httpcore's, chained, so _classify can still see the cause."""
    try:
        yield
    except Exception as error:
        for low_level, high_level in mapping.items():
            if isinstance(error, low_level):
                raise high_level(str(error) or type(error).__name__) from error
        raise


# TimeoutError is an OSError: it comes first.
_CONNECT_ERRORS: _ErrorMap = {TimeoutError: httpcore.ConnectTimeout, OSError: httpcore.ConnectError}
_TLS_ERRORS: _ErrorMap = {ssl.SSLError: httpcore.ConnectError, **_CONNECT_ERRORS}
_READ_ERRORS: _ErrorMap = {TimeoutError: httpcore.ReadTimeout, OSError: httpcore.ReadError}
_WRITE_ERRORS: _ErrorMap = {TimeoutError: httpcore.WriteTimeout, OSError: httpcore.WriteError}


class _AsyncioStream(httpcore.AsyncNetworkStream):
    """A TCP (and then TLS) connection on asyncio's own streams.

    httpcore's AnyIO backend wraps every read and write in cancel scopes and
    a TLS layer of its own; asyncio's streams do the same job for about half
    the CPU, and a batch makes thousands of these calls per second.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _raising(_READ_ERRORS):
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        with _raising(_WRITE_ERRORS):
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()

    async def aclose(self) -> None:
        # Closed at once, without a TLS close_notify exchange, like httpcore's
        # AnyIO backend: a graceful shutdown would keep the socket open while
        # waiting for the peer's reply.
        self._writer.transport.abort()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        try:
            with _raising(_TLS_ERRORS):
                async with asyncio.timeout(timeout):
                    await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except BaseException:
            self._writer.transport.abort()
            raise
        return self

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "is_readable":
            # The transport reads ahead into the stream, so an end of stream or
            # a closing transport counts as well as unread bytes on the socket.
            if self._reader.at_eof() or self._writer.transport.is_closing():
                return True
            return _is_socket_readable(self._writer.get_extra_info("socket"))
        return None


def _is_socket_readable(sock: socket.socket | None) -> bool:
    """True when a read would not block: data, end of stream, or no socket left at all."""
    descriptor = sock.fileno() if sock is not None else -1
    if descriptor < 0:
        return True
    poller = select.poll()
    poller.register(descriptor, select.POLLIN)
    return bool(poller.poll(0))


class _AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections to an IP address with asyncio; the pinned backend chooses the address."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        with _raising(_CONNECT_ERRORS):
            async with asyncio.timeout(timeout):
                # AI_NUMERICHOST: the host is a vetted address; a name is
                # never resolved here, whatever the caller passes.
                reader, writer = await asyncio.open_connection(
                    host,
                    port,
                    local_addr=(local_address, 0) if local_address else None,
                    flags=socket.AI_NUMERICHOST,
                )
        sock = writer.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return _AsyncioStream(reader, writer)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise _UnvettedTargetError("unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class _PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool whose network backend is pinned."""

    def __init__(self, ssl_context: ssl.SSLContext, backend: _PinnedBackend, max_connections: int) -> None:
        super().__init__(verify=ssl_context, trust_env=False, http1=True, http2=False, retries=0)
        # httpx 0.28 has no public hook for a network backend, so the pool it
        # built is swapped for one using the pinned backend. httpx is pinned
        # below 0.29 in pyproject; the check fails loudly if the layout moves.
        if not isinstance(getattr(self, "_pool", None), httpcore.AsyncConnectionPool):
            raise RuntimeError("httpx.AsyncHTTPTransport no longer keeps its pool in _pool")
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=max_connections,
            keepalive_expiry=KEEPALIVE_EXPIRY_S,
            http1=True,
            http2=False,
            retries=0,
            network_backend=backend,
        )


class _Connections:
    """The pinned connection pool and the vetted host look-ups shared by the pages of one site.

    A pooled connection serves only requests to the origin (scheme, host,
    port) it was opened for, to the addresses pinned for that host, so a
    redirect to another host never rides on it. Close it with `async with`.
    """

    def __init__(self, tls: ssl.SSLContext, port_map: Mapping[int, int], limits: FetchLimits) -> None:
        self.backend = _PinnedBackend(port_map)
        # Enough for every internal page at once plus the home page's idle
        # connection, so no request ever waits for a free slot.
        self.transport = _PinnedTransport(tls, self.backend, max(limits.page_concurrency, 1) + 1)
        # One look-up per host while the pool lives: every page and hop to a
        # host reuses its pinned answer, so a changing answer cannot take effect.
        self.lookups: dict[str, _Vetted] = {}

    async def __aenter__(self) -> _Connections:
        await self.transport.__aenter__()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.transport.__aexit__()


@dataclass(slots=True)
class _Session:
    """One fetch_page's state: the site's shared connections and the cookies carried across hops.

    Requests go straight to the transport rather than through
    httpx.AsyncClient: the client parses every Location header itself, even
    with redirects off, and crashes on hostile ones ("javascript:...").
    Without a client there is no proxy or .netrc from the environment either.
    """

    connections: _Connections
    timeout: httpx.Timeout
    headers: tuple[tuple[str, str], ...]
    cookies: httpx.Cookies = field(default_factory=httpx.Cookies)


async def _follow(
    session: _Session,
    url: str,
    *,
    resolve: Resolve,
    policy: AddressPolicy,
    limits: FetchLimits,
    trail: _Trail,
) -> FetchResult:
    parsed = normalize_url(url)
    trail.current_url = url
    if isinstance(parsed, UrlProblem):
        error = (
            FetchError.BLOCKED_SCHEME
            if parsed.reason is UrlProblemReason.BAD_SCHEME
            else FetchError.INVALID_URL
        )
        return trail.failure(error, parsed.reason)
    target = parsed
    tls_failed_hosts: set[str] = set()
    lookups = session.connections.lookups
    while True:
        trail.current_url = target.url
        if target.scheme == "https" and target.host in tls_failed_hosts:
            # Plain http redirected back to the https that already failed.
            return trail.failure(FetchError.TLS_ERROR, "redirected back to https after a TLS failure")
        refusal = check_url_target(target.scheme, target.host, target.port, policy)
        if refusal is not None:
            return trail.failure(_refusal_error(refusal), refusal)
        trail.phase = "resolving"
        if target.host not in lookups:
            lookups[target.host] = await _vet_host(target.host, resolve, policy)
        vetted = _judge_addresses(lookups[target.host], policy)
        if vetted.error is not None:
            return trail.failure(vetted.error, vetted.detail)
        if not session.connections.backend.pin(target.host, target.port, vetted.addresses):
            return trail.failure(FetchError.BLOCKED_ADDRESS, f"{target.host} is pinned to other addresses")
        trail.phase = "requesting"
        try:
            exchange = await _exchange(session, target, limits, trail)
        except httpx.HTTPError as http_error:
            error, detail = _classify(http_error)
            if error is FetchError.TLS_ERROR and target.scheme == "https":
                trail.has_tls_error = True
                tls_failed_hosts.add(target.host)
                target = target.with_scheme("http")
                continue
            if target.scheme == "http" and target.host in tls_failed_hosts and _is_connect_failure(error):
                # The server spoke TLS with a bad certificate and offers no
                # http: it exists, so this is a TLS problem, not a dead site.
                return trail.failure(FetchError.TLS_ERROR, f"https failed TLS checks and http gave {error}")
            return trail.failure(error, detail)
        except _HopError as hop_error:
            return trail.failure(hop_error.error, hop_error.detail)

        if exchange.location is None:
            return FetchResult(
                requested_url=trail.requested_url,
                final_url=target.url,
                status_code=exchange.status_code,
                redirects=tuple(trail.redirects),
                content_type=exchange.content_type,
                text=decode_html(exchange.body, exchange.content_type) if exchange.body else "",
                body_bytes=len(exchange.body),
                wire_bytes=exchange.wire_bytes,
                is_truncated=exchange.is_truncated,
                has_tls_error=trail.has_tls_error,
                peer_address=exchange.peer_address,
            )
        trail.redirects.append((target.url, exchange.status_code))
        if len(trail.redirects) > limits.max_redirects:
            return trail.failure(FetchError.TOO_MANY_REDIRECTS, f"more than {limits.max_redirects} redirects")
        next_target = normalize_url(exchange.location, base=target.url)
        if isinstance(next_target, UrlProblem):
            trail.current_url = exchange.location[:2000]
            if next_target.reason is UrlProblemReason.BAD_SCHEME:
                return trail.failure(FetchError.BLOCKED_SCHEME, f"redirect to {next_target.detail}:")
            return trail.failure(FetchError.BAD_REDIRECT, next_target.reason)
        target = next_target


def _refusal_error(refusal: Refusal) -> FetchError:
    if refusal is Refusal.SCHEME_NOT_ALLOWED:
        return FetchError.BLOCKED_SCHEME
    if refusal is Refusal.PORT_NOT_ALLOWED:
        return FetchError.BLOCKED_PORT
    return FetchError.BLOCKED_ADDRESS


_DNS_ERRORS = {
    LookupStatus.NXDOMAIN: FetchError.DNS_NXDOMAIN,
    LookupStatus.NO_ANSWER: FetchError.DNS_NO_ADDRESS,
    LookupStatus.SERVFAIL: FetchError.DNS_SERVFAIL,
    LookupStatus.TIMEOUT: FetchError.DNS_TIMEOUT,
    LookupStatus.ERROR: FetchError.DNS_ERROR,
}


@dataclass(frozen=True, slots=True)
class _Vetted:
    addresses: tuple[str, ...] = ()
    error: FetchError | None = None
    detail: str = ""


async def _vet_host(host: str, resolve: Resolve, policy: AddressPolicy) -> _Vetted:
    """The addresses a hop may connect to, or the error that stops it."""
    try:
        literal = literal_address(host)
    except ValueError:
        return _Vetted(error=FetchError.BLOCKED_ADDRESS, detail=Refusal.INVALID_HOST)
    if literal is not None:
        return _Vetted(addresses=(str(literal),))  # already judged by check_url_target
    lookup = await resolve(host)
    if lookup.status is not LookupStatus.OK:
        error = _DNS_ERRORS.get(lookup.status, FetchError.DNS_ERROR)
        return _Vetted(error=error, detail=lookup.error or lookup.status)
    addresses = tuple(dict.fromkeys(address.strip() for address in lookup.addresses if address.strip()))
    if not addresses:
        return _Vetted(error=FetchError.DNS_NO_ADDRESS, detail="no A/AAAA records")
    return _Vetted(addresses=addresses)


def _judge_addresses(vetted: _Vetted, policy: AddressPolicy) -> _Vetted:
    if vetted.error is not None:
        return vetted
    refused = refusals(vetted.addresses, policy)
    if refused:
        detail = ", ".join(f"{address} {reason}" for address, reason in refused)
        return _Vetted(error=FetchError.BLOCKED_ADDRESS, detail=detail)
    return vetted


async def _exchange(
    session: _Session, target: NormalizedUrl, limits: FetchLimits, trail: _Trail
) -> _Exchange:
    request = httpx.Request(
        "GET", target.url, headers=session.headers, extensions={"timeout": session.timeout.as_dict()}
    )
    # The URL string goes through httpx's own parser too; refuse if it reads
    # the host or port differently from the vetted ones.
    parsed_host = request.url.raw_host.decode("ascii").strip("[]")
    parsed_port = request.url.port or DEFAULT_PORT[target.scheme]
    if parsed_host != target.host or parsed_port != target.port:
        raise _HopError(
            FetchError.BLOCKED_ADDRESS, f"httpx reads {target.url!r} as {parsed_host}:{parsed_port}"
        )
    # The cookie jar goes through urllib's request emulation: skipped when
    # there is nothing to send or nothing to store.
    if session.cookies.jar:
        session.cookies.set_cookie_header(request)
    response = await session.connections.transport.handle_async_request(request)
    response.request = request
    try:
        if "set-cookie" in response.headers:
            session.cookies.extract_cookies(response)
        peer = _peer_address(response)
        location = response.headers.get("location")
        if response.status_code in REDIRECT_STATUSES and location:
            return _Exchange(response.status_code, location=location, peer_address=peer)
        content_type = response.headers.get("content-type", "")
        if not _is_textual(content_type):
            return _Exchange(response.status_code, content_type=content_type, peer_address=peer)
        body = _BoundedBody(response.headers.get("content-encoding", ""), limits.max_body_bytes)
        trail.phase = "reading"
        async for chunk in response.aiter_raw(READ_CHUNK_BYTES):
            body.feed(chunk)
            if body.is_full:
                break
        return _Exchange(
            response.status_code,
            content_type=content_type,
            body=body.data,
            wire_bytes=body.wire_bytes,
            is_truncated=body.is_full,
            peer_address=peer,
        )
    finally:
        await response.aclose()


def _is_textual(content_type: str) -> bool:
    lowered = content_type.lower()
    return not lowered or "html" in lowered or "xml" in lowered or lowered.startswith("text/")


def _peer_address(response: httpx.Response) -> str | None:
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    server_address = stream.get_extra_info("server_addr")
    return str(server_address[0]) if server_address else None


class _HopError(Exception):
    """A hop that cannot go on, with the fetch error to report."""

    def __init__(self, error: FetchError, detail: str) -> None:
        super().__init__(detail)
        self.error = error
        self.detail = detail


class _BoundedBody:
    """Collects a body up to a cap of DECOMPRESSED bytes.

    Each inflate call is limited to the bytes still allowed, so a gzip bomb
    (a few hundred KB inflating to gigabytes) costs at most the cap in memory.
    httpx's own decoders inflate each network chunk whole, which is why raw
    bytes are read and inflated here.
    """

    def __init__(self, content_encoding: str, cap: int) -> None:
        coding = content_encoding.strip().lower()
        if coding in ("", "identity"):
            self._inflater: typing.Any = None
        elif coding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise _HopError(FetchError.HTTP_ERROR, f"unsupported content-encoding {content_encoding!r}")
        self._coding = coding
        self._cap = cap
        self._buffer = bytearray()
        self._is_first_chunk = True
        self.wire_bytes = 0
        self.is_full = False

    @property
    def data(self) -> bytes:
        return bytes(self._buffer[: self._cap])

    def feed(self, chunk: bytes) -> None:
        self.wire_bytes += len(chunk)
        if self._inflater is None:
            self._keep(chunk)
            return
        if self._is_first_chunk and self._coding == "deflate" and chunk[:1] and chunk[0] & 0x0F != 8:
            # RFC 9110 "deflate" is zlib-wrapped, but many servers send raw deflate.
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        self._is_first_chunk = False
        pending = chunk
        try:
            while pending and not self.is_full:
                room = self._cap - len(self._buffer) + 1
                self._keep(self._inflater.decompress(pending, room))
                pending = self._inflater.unconsumed_tail
                if self._inflater.eof:
                    # A second gzip member (concatenated files) starts in unused_data.
                    rest = self._inflater.unused_data
                    if not rest or self._coding != "gzip" and self._coding != "x-gzip":
                        return
                    self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    pending = rest
        except zlib.error as error:
            raise _HopError(FetchError.HTTP_ERROR, f"corrupt {self._coding} body: {error}") from error

    def _keep(self, data: bytes) -> None:
        self._buffer += data[: self._cap + 1 - len(self._buffer)]
        if len(self._buffer) > self._cap:
            self.is_full = True


def _classify(error: httpx.HTTPError) -> tuple[FetchError, str]:
    chain = _exception_chain(error)
    detail = str(error) or type(error).__name__
    if any(isinstance(link, _UnvettedTargetError) for link in chain):
        return FetchError.BLOCKED_ADDRESS, detail
    # Timeouts first: a read timeout on a TLS stream carries SSL "want read"
    # errors in its chain that must not read as a certificate problem.
    if isinstance(error, httpx.ConnectTimeout):
        return FetchError.CONNECT_TIMEOUT, detail
    if isinstance(error, httpx.TimeoutException):
        return FetchError.READ_TIMEOUT, detail
    if isinstance(error, httpx.ConnectError):
        certificate_error = next(
            (link for link in chain if isinstance(link, ssl.SSLCertVerificationError)), None
        )
        if certificate_error is not None:
            return FetchError.TLS_ERROR, certificate_error.verify_message or detail
        if any(isinstance(link, ssl.SSLError) for link in chain):
            return FetchError.TLS_ERROR, detail
        refused = any(
            isinstance(link, ConnectionRefusedError)
            or (isinstance(link, OSError) and link.errno == errno.ECONNREFUSED)
            for link in chain
        )
        return (FetchError.CONNECT_REFUSED if refused else FetchError.CONNECT_ERROR), detail
    return FetchError.HTTP_ERROR, detail


def _exception_chain(error: BaseException) -> tuple[BaseException, ...]:
    """The errors behind an error: httpx chains httpcore's with "from", httpcore raises inside "except" (context)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 20:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return tuple(chain)
