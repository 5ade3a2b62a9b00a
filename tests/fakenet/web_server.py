"""A fake web for tests: HTTP and HTTPS servers on loopback serving test sites chosen by the Host header.

One asyncio loop in a background thread runs every listener, so thousands of
concurrent requests each waiting out `latency_s` never serialise, and the
tests' own asyncio.run() is left alone. Every TCP connection and request is
recorded, which is how SSRF tests prove that nothing was fetched.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import ssl
import struct
import tempfile
import threading
import zlib
from collections.abc import Callable, Coroutine, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import TracebackType
from typing import Any

import trustme

from leads.verification.resolver import AddressLookup, LookupStatus

PRIMARY_ADDRESS = "127.0.0.1"
# A second loopback address where only plain http listens, for sites with no https.
HTTP_ONLY_ADDRESS = "127.0.0.2"
# Nothing listens here: connections are refused.
REFUSED_ADDRESS = "127.0.0.3"

GZIP_BOMB_MEGABYTES = 512
BIG_BODY_BYTES = 3 * 1024 * 1024
SLOW_SITE_DELAY_S = 5.0
FIRST_REQUEST_WAIT_S = 15.0
# How long a kept-alive connection may sit idle before the server closes it.
KEEP_ALIVE_IDLE_S = 5.0


@dataclass(frozen=True, slots=True)
class Reply:
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    body: bytes | Callable[[], Iterable[bytes]] = b""  # a callable streams a close-delimited body
    delay_s: float = 0.0  # before the status line
    chunk_delay_s: float = 0.0  # between streamed chunks


@dataclass(frozen=True, slots=True)
class RecordedConnection:
    scheme: str
    local_address: str
    local_port: int


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    scheme: str
    host: str  # Host header without port, lower-case
    path: str
    local_address: str  # the listener address that accepted the connection
    sni: str | None = None  # TLS server name the client sent
    cookie: str = ""  # the Cookie header, "" when none was sent


def html_page(title: str, body: str, *, lang: str = "en", head: str = "") -> bytes:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body>{body}</body></html>"
    ).encode()


def _html(title: str, body: str, *, lang: str = "en", head: str = "", status: int = 200) -> Reply:
    return Reply(status=status, body=html_page(title, body, lang=lang, head=head))


def _redirect(location: str, status: int = 302) -> Reply:
    return Reply(
        status=status, headers=(("Location", location), ("Content-Type", "text/html")), body=b"moved"
    )


# --- The company sites -------------------------------------------------------

_AQUACLEAR_NAV = (
    '<nav><ul><li><a href="/">Home</a></li><li><a href="/about-us">About us</a></li>'
    '<li><a href="/products">Products</a></li><li><a href="/applications">Applications</a></li>'
    '<li><a href="/contact">Contact</a></li><li><a href="/datasheet.pdf">Datasheet</a></li>'
    '<li><a href="https://twitter.example/aquaclear">Twitter</a></li></ul></nav>'
)
_AQUACLEAR_PAGES = {
    "/": (
        "AquaClear UV Systems – UV-C water disinfection",
        "<h1>UV-C disinfection for drinking water and process water</h1>"
        "<p>AquaClear UV Systems designs and manufactures ultraviolet water treatment systems for municipal "
        "waterworks, food and beverage plants, aquaculture farms and swimming pools. Our stainless steel reactors "
        "use low-pressure amalgam lamps and electronic ballasts to inactivate bacteria, viruses and protozoa "
        "without chemicals.</p><h2>Why UV-C?</h2><p>Ultraviolet light at 254 nanometres damages the DNA of "
        "micro-organisms. Validated UV doses reach a 4-log reduction of Cryptosporidium and Giardia, and the "
        "water keeps its taste and odour. Every system ships with a calibrated UV intensity sensor, quartz "
        "sleeves and a controller with Modbus and Profibus interfaces.</p><h2>Distributors wanted</h2><p>We "
        "export to more than forty countries and look for distributors and system integrators in water "
        "treatment. Spare germicidal lamps, sleeves and ballasts are kept in stock for fast delivery.</p>",
    ),
    "/about-us": (
        "About AquaClear UV Systems",
        "<h1>About us</h1><p>Founded in 2004, AquaClear UV Systems is a family-owned manufacturer of UV "
        "disinfection equipment with an ISO 9001 certified factory. Our engineers size each reactor from the "
        "flow rate and the UV transmittance of the water.</p>",
    ),
    "/products": (
        "Products – UV reactors, lamps and ballasts",
        "<h1>Products</h1><h2>UV reactors</h2><p>Closed-vessel UV reactors from 1 to 2,000 cubic metres per "
        "hour for drinking water, wastewater reuse and process water.</p><h2>Germicidal lamps</h2><p>Amalgam "
        "and low-pressure mercury lamps with 16,000 hours service life.</p>",
    ),
    "/applications": (
        "Applications",
        "<h1>Applications</h1><p>Municipal drinking water, breweries, dairies, aquaculture, swimming pools, "
        "pharmaceutical purified water and cooling towers.</p>",
    ),
    "/contact": ("Contact", "<h1>Contact</h1><p>sales@aquaclear-uv.test</p>"),
}


def _aquaclear(scheme: str, path: str) -> Reply:
    if scheme == "http":
        return _redirect(f"https://aquaclear-uv.test{path}", 301)
    page = _AQUACLEAR_PAGES.get(path.partition("?")[0])
    if page is None:
        return _html("Not found", "<h1>Page not found</h1>", status=404)
    title, body = page
    return _html(
        title,
        _AQUACLEAR_NAV + body,
        head='<meta name="description" content="UV-C water disinfection systems, germicidal lamps and ballasts.">'
        '<meta name="keywords" content="UV, water treatment, disinfection">',
    )


_UV_TECHNIK_PAGES = {
    "/": (
        "UV-Technik Müller GmbH – UV-Entkeimung",
        "<h1>UV-Entkeimungsanlagen für Trinkwasser und Prozesswasser</h1><p>Die UV-Technik Müller GmbH "
        "entwickelt und fertigt UV-Anlagen zur Entkeimung von Trinkwasser, Abwasser und Luft. Unsere "
        "Edelstahlreaktoren mit Amalgamstrahlern und elektronischen Vorschaltgeräten arbeiten ohne Chemie und "
        "werden in Wasserwerken, Brauereien, Molkereien und Schwimmbädern eingesetzt. Wir liefern "
        "Ersatzstrahler, Quarzhüllrohre und UV-Sensoren ab Lager und exportieren in über dreißig Länder.</p>"
        "<p>Jede Anlage wird nach Durchfluss und UV-Transmission ausgelegt und mit einem kalibrierten Sensor "
        "ausgeliefert. Unser Service übernimmt Inbetriebnahme, Wartung und den jährlichen Strahlerwechsel.</p>",
    ),
    "/ueber-uns": ("Über uns", "<h1>Über uns</h1><p>Familienunternehmen seit 1998 in Stuttgart.</p>"),
    "/produkte": ("Produkte", "<h1>Produkte</h1><p>UV-Reaktoren, UV-Strahler und Vorschaltgeräte.</p>"),
    "/loesungen": ("Lösungen", "<h1>Lösungen</h1><p>Trinkwasser, Abwasser, Prozesswasser.</p>"),
}


def _uv_technik(scheme: str, path: str) -> Reply:
    page = _UV_TECHNIK_PAGES.get(path)
    if page is None:
        return _html("Nicht gefunden", "<h1>Seite nicht gefunden</h1>", lang="de", status=404)
    nav = (
        '<nav><a href="/">Start</a> | <a href="/ueber-uns">Über uns</a> | <a href="/produkte">Produkte</a> | '
        '<a href="/loesungen">Lösungen</a> | <a href="/impressum">Impressum</a></nav>'
    )
    return _html(page[0], nav + page[1], lang="de")


def _guangming(scheme: str, path: str) -> Reply:
    pages = {
        "/": (
            "光明紫外线科技有限公司",
            '<nav><a href="/about.html">关于我们</a> <a href="/products.html">产品中心</a></nav>'
            "<h1>紫外线消毒设备制造商</h1><p>我们专业生产紫外线杀菌灯、紫外线消毒器和水处理设备，产品广泛应用于"
            "自来水厂、食品饮料、水产养殖和游泳池等领域，出口到世界各地四十多个国家和地区。公司拥有完善的质量"
            "管理体系和经验丰富的研发团队，为客户提供专业的紫外线消毒解决方案和优质的售后服务。</p>",
        ),
        "/about.html": ("关于我们", "<h1>关于我们</h1><p>公司成立于二零零八年，位于广东省佛山市。</p>"),
        "/products.html": ("产品中心", "<h1>产品中心</h1><p>紫外线杀菌灯，紫外线消毒器，镇流器。</p>"),
    }
    page = pages.get(path)
    if page is None:
        return _html("404", "<h1>404</h1>", lang="zh", status=404)
    return _html(page[0], page[1], lang="zh-CN")


# --- Parked and for-sale pages -------------------------------------------------

FOR_SALE_TEXTS = {
    "en": ("This domain is for sale!", "Buy this domain today. Secure checkout and fast transfer."),
    "de": (
        "Diese Domain steht zum Verkauf",
        "Jetzt Domain kaufen: sichere Zahlung und schnelle Übertragung.",
    ),
    "fr": ("Ce domaine est à vendre", "Achetez ce nom de domaine aujourd'hui en toute sécurité."),
    "es": ("Este dominio está a la venta", "Compre este dominio hoy con pago seguro."),
    "it": ("Questo dominio è in vendita", "Acquista questo dominio oggi con pagamento sicuro."),
    "pt": ("Este domínio está à venda", "Compre este domínio hoje com pagamento seguro."),
    "tr": ("Bu alan adı satılıktır", "Bu alan adını bugün güvenli ödeme ile satın alın."),
    "pl": ("Ta domena jest na sprzedaż", "Kup tę domenę dzisiaj, bezpieczna płatność."),
    "ru": ("Этот домен продается", "Купите этот домен сегодня с безопасной оплатой."),
    "zh": ("该域名正在出售", "立即购买此域名，安全支付，快速转移。"),
}


def _for_sale(language: str) -> Callable[[str, str], Reply]:
    heading, text = FOR_SALE_TEXTS[language]

    def reply(scheme: str, path: str) -> Reply:
        return _html(
            heading, f"<h1>{heading}</h1><p>{text}</p><form><input name=offer><button>Offer</button></form>"
        )

    return reply


def _marketplace(scheme: str, path: str) -> Reply:
    return _html(
        "Domain marketplace",
        "<h1>Get this domain</h1><p>The owner of this domain is ready to sell. Pay securely and get the domain in "
        "days. Free transfer assistance, buyer protection and payment plans from the largest domain market.</p>",
    )


def _parked(scheme: str, path: str) -> Reply:
    return _html(
        "parked.test",
        "<h1>parked.test</h1><p>This domain has been registered and is parked free, courtesy of a registrar.</p>"
        "<h2>Related Searches</h2><ul><li><a href='/search?q=uv'>UV Lamps</a></li>"
        "<li><a href='/search?q=water'>Water Filters</a></li></ul>",
    )


# --- Default server pages and placeholders --------------------------------------

_NGINX_DEFAULT = (
    "Welcome to nginx!",
    "<h1>Welcome to nginx!</h1><p>If you see this page, the nginx web server is successfully installed and "
    "working. Further configuration is required.</p><p>For online documentation and support please refer to "
    '<a href="http://nginx.org/">nginx.org</a>.<br/>Commercial support is available at '
    '<a href="http://nginx.com/">nginx.com</a>.</p><p><em>Thank you for using nginx.</em></p>',
)
_DEFAULT_PAGES: dict[str, tuple[str, str]] = {
    "nginx-default.test": _NGINX_DEFAULT,
    "apache-default.test": ("", "<html><body><h1>It works!</h1></body></html>"),
    "apache-debian.test": (
        "Apache2 Debian Default Page: It works",
        "<div class='page_header'>Apache2 Debian Default Page</div><div class='section_header'>It works!</div>"
        "<p>This is the default welcome page used to test the correct operation of the Apache2 server after "
        "installation on Debian systems. If you can read this page, it means that the Apache HTTP server "
        "installed at this site is working properly. You should replace this file (located at "
        "/var/www/html/index.html) before continuing to operate your HTTP server.</p>",
    ),
    "iis-default.test": (
        "IIS Windows Server",
        "<div id='container'><a href='http://go.microsoft.com'><img src='iisstart.png' alt='IIS'></a></div>",
    ),
    "plesk-default.test": (
        "Domain Default page",
        "<h1>Web Server's Default Page</h1><p>This page was generated automatically because the domain has "
        "not been configured yet. If you are the owner, log in to Plesk and upload your website.</p>",
    ),
    "cpanel-default.test": (
        "Default Web Site Page",
        "<h1>Future home of something quite cool.</h1><p>If you're the site owner, log in to launch this site.</p>",
    ),
    "coming-soon.test": (
        "Coming Soon",
        "<h1>Coming soon</h1><p>Our new website is launching soon. Stay tuned!</p>",
    ),
    "baustelle.test": (
        "Willkommen",
        "<h1>Diese Seite ist im Aufbau</h1><p>Bitte besuchen Sie uns bald wieder.</p>",
    ),
    "construccion.test": ("Bienvenidos", "<h1>Sitio en construcción</h1><p>Vuelva pronto.</p>"),
    "costruzione.test": ("Benvenuti", "<h1>Sito in costruzione</h1><p>Torna presto.</p>"),
    "empty.test": ("", "<p>Welcome</p>"),
    "spa.test": (
        "Acme Lighting",
        '<div id="root"></div><script src="/static/js/main.4f2a.js"></script>',
    ),
    "thin.test": (
        "Nordic UV Lamps",
        "<h1>Nordic UV Lamps</h1><p>Germicidal UV-C lamps and ballasts for water treatment, made in Finland. "
        "Contact our sales team for prices and delivery times to your country.</p>",
    ),
}


def _default_page(host: str) -> Callable[[str, str], Reply]:
    title, body = _DEFAULT_PAGES[host]

    def reply(scheme: str, path: str) -> Reply:
        if path != "/":
            return _html("404 Not Found", "<h1>404 Not Found</h1>", status=404)
        if body.startswith("<html>"):
            return Reply(body=body.encode())
        return _html(title, body)

    return reply


# --- Hostile and broken sites ----------------------------------------------------


def _redirect_loop(scheme: str, path: str) -> Reply:
    step = int(path.rsplit("/", 1)[-1]) if path.startswith("/hop/") else 0
    return _redirect(f"/hop/{step + 1}")


def _redirect_chain(scheme: str, path: str) -> Reply:
    steps = {
        "/": ("/step1", 301),
        "/step1": ("/step2", 302),
        "/step2": ("https://redirect-chain.test/home", 307),
    }
    if path in steps:
        location, status = steps[path]
        return _redirect(location, status)
    return _aquaclear("https", "/")


def _cookie_redirect(scheme: str, path: str) -> Reply:
    if path == "/":
        return Reply(
            status=302,
            headers=(
                ("Location", "/welcome"),
                ("Set-Cookie", "visitor=abc123; Path=/"),
                ("Content-Type", "text/html"),
            ),
            body=b"moved",
        )
    return _aquaclear("https", "/")


def _internal_redirect(scheme: str, path: str) -> Reply:
    """A company site whose about page redirects to another loopback address (HTTP_ONLY_ADDRESS)."""
    if path == "/about-us":
        return _redirect(f"http://{HTTP_ONLY_ADDRESS}/")
    return _aquaclear("https", path)


def _two_hosts(scheme: str, path: str) -> Reply:
    """www.two-hosts.test links its about page on two-hosts.test: one site on two hosts at one address."""
    if path == "/":
        return _html(
            "Two Hosts UV",
            '<nav><a href="https://two-hosts.test/about-us">About us</a></nav><h1>UV lamps</h1>'
            "<p>Germicidal UV-C lamps, ballasts and quartz sleeves for water treatment plants.</p>",
        )
    return _html("About Two Hosts UV", "<h1>About us</h1><p>Lamp makers since 1990.</p>")


def _status_site(status: int) -> Callable[[str, str], Reply]:
    def reply(scheme: str, path: str) -> Reply:
        return _html(f"Error {status}", f"<h1>Error {status}</h1>", status=status)

    return reply


def _slow(scheme: str, path: str) -> Reply:
    return Reply(body=html_page("Slow", "<p>finally</p>"), delay_s=SLOW_SITE_DELAY_S)


def _trickle(scheme: str, path: str) -> Reply:
    def chunks() -> Iterator[bytes]:
        yield b"<html><body><p>"
        for _ in range(100):
            yield b"uv "

    return Reply(body=chunks, chunk_delay_s=0.2)


def _big(scheme: str, path: str) -> Reply:
    paragraph = b"<p>UV-C lamps for water disinfection, germicidal ballasts and quartz sleeves.</p>\n"

    def chunks() -> Iterator[bytes]:
        yield b"<!doctype html><html><head><title>Big catalogue</title></head><body>"
        block = paragraph * (64 * 1024 // len(paragraph))
        sent = 0
        while sent < BIG_BODY_BYTES:
            yield block
            sent += len(block)
        yield b"</body></html>"

    return Reply(body=chunks)


@lru_cache(maxsize=1)
def _gzip_bomb_parts() -> tuple[bytes, bytes, bytes]:
    """One deflate block worth 1 MiB of zeros (~1 KB compressed), plus the final block and a zero MiB."""
    megabyte = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    # A full flush resets the window, so the same compressed block can be
    # repeated any number of times and still decode.
    block = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block, compressor.flush(zlib.Z_FINISH), megabyte


def gzip_bomb_chunks(megabytes: int = GZIP_BOMB_MEGABYTES) -> Iterator[bytes]:
    """A valid gzip stream inflating to `megabytes` MiB of zeros, produced lazily (about 1 KB per MiB)."""
    block, final_block, megabyte = _gzip_bomb_parts()
    yield b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # RFC 1952 header, no name, no mtime
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(megabyte, crc)
        yield block
    yield final_block
    yield struct.pack("<II", crc, (megabytes << 20) & 0xFFFFFFFF)


def _gzip_bomb(scheme: str, path: str) -> Reply:
    return Reply(
        headers=(("Content-Type", "text/html"), ("Content-Encoding", "gzip")),
        body=gzip_bomb_chunks,
    )


def _latin1(scheme: str, path: str) -> Reply:
    body = html_page(
        "Société Lumière UV",
        "<h1>Lampes UV pour le traitement de l'eau</h1><p>Fabricant français de réacteurs UV, lampes germicides "
        "et ballasts électroniques pour l'eau potable et les piscines.</p>",
        lang="fr",
    )
    latin1 = body.decode().replace('<meta charset="utf-8">', "").encode("latin-1")
    return Reply(headers=(("Content-Type", "text/html; charset=ISO-8859-1"),), body=latin1)


def _http_only(scheme: str, path: str) -> Reply:
    return _html(
        "Baltic Water UV",
        "<h1>Baltic Water UV</h1><p>Small workshop building UV sterilisers for fish farms and hatcheries on the "
        "Baltic coast. We assemble reactors with German lamps and ship across Scandinavia and Poland. Ask for a "
        "quote for recirculating aquaculture systems, hatchery water and sea water intake disinfection. Our "
        "team installs, services and replaces lamps on site every year.</p>",
    )


def _badcert(scheme: str, path: str) -> Reply:
    return _html(
        "Delta UV Industrial",
        "<h1>Delta UV Industrial</h1><p>Industrial UV curing and disinfection lamps for printing, water and air "
        "treatment. Distributor of germicidal lamps in the Middle East and North Africa with warehouses in "
        "Dubai and Casablanca. Send your tender documents to our export department and receive an offer within "
        "two working days.</p>",
    )


def _meta_refresh_to_parking(scheme: str, path: str) -> Reply:
    return _html(
        "Loading",
        "<p>Redirecting…</p>",
        head='<meta http-equiv="refresh" content="0; url=https://sedo.com/search/details/?domain=refresh-parking.test">',
    )


def _ip_default(scheme: str, path: str) -> Reply:
    return _html("Fake web", "<h1>Fake web default site</h1><p>Reached by address.</p>")


SiteHandler = Callable[[str, str], Reply]


def build_sites() -> dict[str, SiteHandler]:
    """Host name -> handler(scheme, path); every name resolves to PRIMARY_ADDRESS unless WEB_ADDRESS_BOOK says otherwise."""
    sites: dict[str, SiteHandler] = {
        "aquaclear-uv.test": _aquaclear,
        "www.aquaclear-uv.test": lambda scheme, path: _redirect(f"https://aquaclear-uv.test{path}", 301),
        "uv-technik.test": _uv_technik,
        "guangming-uv.test": _guangming,
        "parked.test": _parked,
        "dan.com": _marketplace,
        "sedo.com": _for_sale("en"),
        "redirect-parking.test": lambda scheme, path: _redirect(
            "https://dan.com/buy-domain/redirect-parking.test"
        ),
        "refresh-parking.test": _meta_refresh_to_parking,
        "redirect-chain.test": _redirect_chain,
        "cookie-redirect.test": _cookie_redirect,
        "internal-redirect.test": _internal_redirect,
        "www.two-hosts.test": _two_hosts,
        "two-hosts.test": _two_hosts,
        "redirect-offsite.test": lambda scheme, path: _redirect("https://aquaclear-uv.test/", 301),
        "redirect-loop.test": _redirect_loop,
        "redirect-metadata.test": lambda scheme, path: _redirect("http://169.254.169.254/latest/meta-data/"),
        "redirect-private.test": lambda scheme, path: _redirect("http://10.0.0.1/admin"),
        "redirect-loopback-hex.test": lambda scheme, path: _redirect("http://0x7f000001/"),
        "redirect-ipv6-loopback.test": lambda scheme, path: _redirect("http://[::1]/"),
        "redirect-intranet.test": lambda scheme, path: _redirect("http://intranet.test/"),
        "redirect-file.test": lambda scheme, path: _redirect("file:///etc/passwd"),
        "redirect-gopher.test": lambda scheme, path: _redirect("gopher://127.0.0.1:6379/_INFO"),
        "redirect-javascript.test": lambda scheme, path: _redirect("javascript:alert(document.domain)"),
        "redirect-port.test": lambda scheme, path: _redirect("http://aquaclear-uv.test:6379/"),
        "slow.test": _slow,
        "trickle.test": _trickle,
        "big.test": _big,
        "gzip-bomb.test": _gzip_bomb,
        "latin1.test": _latin1,
        "http-only.test": _http_only,
        "badcert.test": _badcert,
    }
    for language in FOR_SALE_TEXTS:
        sites[f"forsale-{language}.test"] = _for_sale(language)
    for host in _DEFAULT_PAGES:
        sites[host] = _default_page(host)
    for status in (401, 403, 404, 410, 429, 500, 503):
        sites[f"status-{status}.test"] = _status_site(status)
    return sites


SITES = build_sites()

# What a test resolver (or the fake DNS server) should answer for the fake
# web's names; every other site name resolves to PRIMARY_ADDRESS.
WEB_ADDRESS_BOOK: dict[str, tuple[str, ...] | LookupStatus] = {
    **dict.fromkeys(SITES, (PRIMARY_ADDRESS,)),
    "http-only.test": (HTTP_ONLY_ADDRESS,),
    "refused.test": (REFUSED_ADDRESS,),
    "blackhole.test": (PRIMARY_ADDRESS,),
    "nxdomain.test": LookupStatus.NXDOMAIN,
    "no-address.test": LookupStatus.NO_ANSWER,
    "servfail.test": LookupStatus.SERVFAIL,
    "dns-timeout.test": LookupStatus.TIMEOUT,
    "intranet.test": ("10.0.0.5",),
    "metadata.test": ("169.254.169.254",),
    "cgnat.test": ("100.64.1.1",),
    "mixed.test": (PRIMARY_ADDRESS, "10.1.2.3"),
    "v6-loopback.test": ("::1",),
    "v6-mapped.test": ("::ffff:127.0.0.1",),
    "v6-ula.test": ("fd00::1",),
    "v6-link-local.test": ("fe80::1",),
    "zero.test": ("0.0.0.0",),
    "multicast.test": ("224.0.0.1",),
}

# Every name the fake web's certificate covers; badcert.test is left out on purpose.
CERTIFICATE_NAMES = tuple(sorted(name for name in SITES if name != "badcert.test")) + (PRIMARY_ADDRESS,)


@dataclass
class TableResolver:
    """Answers address look-ups from a table, the way lookup_addresses would, and records every question."""

    table: Mapping[str, tuple[str, ...] | LookupStatus]
    calls: list[str] = field(default_factory=list)

    async def __call__(self, name: str) -> AddressLookup:
        key = name.lower().removesuffix(".")
        self.calls.append(key)
        answer = self.table.get(key, LookupStatus.NXDOMAIN)
        if isinstance(answer, LookupStatus):
            return AddressLookup(status=answer, error=f"table says {answer}")
        return AddressLookup(status=LookupStatus.OK, addresses=answer)


@dataclass
class RebindingResolver:
    """Gives the next answer in `answers` at every look-up (the last one repeats): a DNS-rebinding attacker."""

    answers: Sequence[tuple[str, ...]]
    calls: list[str] = field(default_factory=list)

    async def __call__(self, name: str) -> AddressLookup:
        self.calls.append(name)
        answer = self.answers[min(len(self.calls) - 1, len(self.answers) - 1)]
        return AddressLookup(status=LookupStatus.OK, addresses=answer)


class FakeWeb:
    """HTTP on PRIMARY_ADDRESS and HTTP_ONLY_ADDRESS, HTTPS on PRIMARY_ADDRESS, all on free ports.

    Use `port_map` as the fetcher's port_map so URLs keep their default ports,
    `ca_path` as its extra CA bundle, and `latency_s` to add a delay to every
    response (a benchmark knob).
    """

    def __init__(self, latency_s: float = 0.0) -> None:
        self.latency_s = latency_s
        self.sites = dict(SITES)
        self.http_port = 0
        self.https_port = 0
        self.blackhole_port = 0
        self.ca_path = ""
        self._lock = threading.Lock()
        self._connections: list[RecordedConnection] = []
        self._requests: list[RecordedRequest] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.Server] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._blackhole_sockets: list[socket.socket] = []
        self._server_tls: ssl.SSLContext | None = None
        self._server_names: dict[int, str | None] = {}
        self._authority: trustme.CA | None = None
        self._company_tls: dict[str, ssl.SSLContext] = {}

    # --- lifecycle ---

    def __enter__(self) -> FakeWeb:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> FakeWeb:
        self._make_tls()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-web", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start_servers(), self._loop).result(timeout=30)
        self._start_blackhole()
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._stop_servers(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()
        self._loop = None
        for sock in self._blackhole_sockets:
            sock.close()
        self._blackhole_sockets.clear()
        if self.ca_path:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.ca_path)

    @property
    def port_map(self) -> dict[int, int]:
        """URL port -> listening port, for fetch_page(port_map=...)."""
        return {80: self.http_port, 443: self.https_port}

    @property
    def listening_ports(self) -> frozenset[int]:
        return frozenset({self.http_port, self.https_port, self.blackhole_port})

    # --- records ---

    @property
    def connections(self) -> tuple[RecordedConnection, ...]:
        with self._lock:
            return tuple(self._connections)

    @property
    def requests(self) -> tuple[RecordedRequest, ...]:
        with self._lock:
            return tuple(self._requests)

    def requests_for(self, host: str) -> tuple[RecordedRequest, ...]:
        return tuple(request for request in self.requests if request.host == host)

    def clear(self) -> None:
        with self._lock:
            self._connections.clear()
            self._requests.clear()

    def add_company_sites(self, domains: Iterable[str]) -> None:
        """Serve UV-Technik's German company site (home, about, products, solutions) at each domain, over http and https.

        Each domain gets its own certificate from the test CA (chosen by SNI),
        as separate companies would: a benchmark knob for many distinct sites.
        The names resolve nowhere until the DNS side publishes them.
        """
        assert self._authority is not None, "start the fake web first"
        for domain in domains:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._authority.issue_cert(domain).configure_cert(context)
            self._company_tls[domain] = context
            self.sites[domain] = _uv_technik

    # --- internals ---

    def _make_tls(self) -> None:
        authority = trustme.CA()
        self._authority = authority
        self._server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert(*CERTIFICATE_NAMES).configure_cert(self._server_tls)
        wrong_name = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert("other-name.test").configure_cert(wrong_name)

        def choose_certificate(
            connection: ssl.SSLObject, server_name: str | None, context: ssl.SSLContext
        ) -> None:
            # Server-side SSL objects do not expose the client's SNI later.
            self._server_names[id(connection)] = server_name
            if server_name == "badcert.test":
                connection.context = wrong_name
            elif server_name in self._company_tls:
                connection.context = self._company_tls[server_name]

        self._server_tls.sni_callback = choose_certificate
        handle, self.ca_path = tempfile.mkstemp(prefix="fake-web-ca-", suffix=".pem")
        with os.fdopen(handle, "wb") as ca_file:
            ca_file.write(authority.cert_pem.bytes())

    async def _start_servers(self) -> None:
        for _attempt in range(50):
            http = await asyncio.start_server(self._http_handler, PRIMARY_ADDRESS, 0, backlog=2048)
            port = http.sockets[0].getsockname()[1]
            try:
                http_only = await asyncio.start_server(
                    self._http_handler, HTTP_ONLY_ADDRESS, port, backlog=2048
                )
            except OSError:
                http.close()
                continue
            self.http_port = port
            self._servers += [http, http_only]
            break
        else:
            raise RuntimeError("no port free on both loopback addresses")
        https = await asyncio.start_server(self._https_handler, PRIMARY_ADDRESS, 0, backlog=2048)
        self.https_port = https.sockets[0].getsockname()[1]
        self._servers.append(https)

    def _start_blackhole(self) -> None:
        # A listener that never accepts, with its one-slot queue filled: the
        # kernel drops further SYNs, so connecting times out.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind((PRIMARY_ADDRESS, 0))
        listener.listen(0)
        self.blackhole_port = listener.getsockname()[1]
        filler = socket.create_connection((PRIMARY_ADDRESS, self.blackhole_port), timeout=2)
        self._blackhole_sockets += [listener, filler]

    async def _stop_servers(self) -> None:
        for server in self._servers:
            server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for server in self._servers:
            await server.wait_closed()
        self._servers.clear()

    async def _http_handler(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self._track(self._serve(reader, writer, "http"))

    async def _https_handler(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self._track(self._serve(reader, writer, "https"))

    async def _track(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await coroutine
        except asyncio.CancelledError:
            # Shutting down. Ending quietly matters on Python 3.11, whose
            # stream callback calls task.exception() and logs a cancelled task.
            return
        finally:
            if task is not None:
                self._tasks.discard(task)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, scheme: str) -> None:
        local_address, local_port = writer.get_extra_info("sockname")[:2]
        with self._lock:
            self._connections.append(RecordedConnection(scheme, local_address, local_port))
        try:
            sni = None
            if scheme == "https":
                assert self._server_tls is not None
                await writer.start_tls(self._server_tls, ssl_handshake_timeout=10)
                sni = self._server_names.pop(id(writer.get_extra_info("ssl_object")), None)
            wait_s = FIRST_REQUEST_WAIT_S
            # HTTP/1.1 keeps the connection open for the next request unless
            # either side says close, as real servers do.
            is_open = True
            while is_open:
                try:
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=wait_s)
                except asyncio.IncompleteReadError as error:
                    if error.partial.strip():
                        raise
                    return  # the client closed between requests
                wait_s = KEEP_ALIVE_IDLE_S
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                _method, target, version = (request_line.split(" ") + ["", ""])[:3]
                headers = {}
                for line in header_lines:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                host = _host_without_port(headers.get("host", "").lower())
                with self._lock:
                    self._requests.append(
                        RecordedRequest(scheme, host, target, local_address, sni, headers.get("cookie", ""))
                    )
                handler = self.sites.get(host, _ip_default)
                reply = handler(scheme, target)
                # Request bodies are never read, so a request announcing one ends the connection.
                wants_close = (
                    version != "HTTP/1.1"
                    or "close" in headers.get("connection", "").lower()
                    or headers.get("content-length", "0") != "0"
                    or "transfer-encoding" in headers
                )
                is_open = await self._send(reader, writer, reply, keep_alive=not wants_close)
        except (
            ConnectionError,
            ssl.SSLError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            TimeoutError,
        ):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, ssl.SSLError, TimeoutError):
                await asyncio.wait_for(writer.wait_closed(), timeout=5)

    async def _send(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, reply: Reply, *, keep_alive: bool
    ) -> bool:
        """Write the reply; True when the connection stays open for another request."""
        delay = self.latency_s + reply.delay_s
        if delay:
            await asyncio.sleep(delay)
        # A streamed body has no length: its end is the connection's end.
        keep_alive = keep_alive and isinstance(reply.body, bytes)
        lines = [f"HTTP/1.1 {reply.status} {_REASONS.get(reply.status, 'Status')}"]
        lines += [f"{name}: {value}" for name, value in reply.headers]
        if isinstance(reply.body, bytes):
            lines.append(f"Content-Length: {len(reply.body)}")
        if not keep_alive:
            lines.append("Connection: close")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        if isinstance(reply.body, bytes):
            writer.write(reply.body)
            await writer.drain()
            return keep_alive
        for chunk in reply.body():
            # A client that stopped reading (the fetcher hit its cap) has
            # closed: stop streaming instead of writing into a dead socket.
            if writer.is_closing() or reader.at_eof() or reader.exception() is not None:
                return False
            writer.write(chunk)
            await writer.drain()
            # drain() does not yield while the buffer is small; sleeping lets
            # the loop deliver connection_lost and serve other clients.
            await asyncio.sleep(reply.chunk_delay_s)
        return False


def _host_without_port(host_header: str) -> str:
    if host_header.startswith("["):
        return host_header[1:].partition("]")[0]
    return host_header.partition(":")[0]


_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
