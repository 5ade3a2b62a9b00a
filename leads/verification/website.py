"""Decides whether a lead's website is live, dead, parked, a placeholder, or unknown, from fetched pages and DNS."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

import ahocorasick

from leads.verification.html_text import PageText
from leads.verification.urls import NormalizedUrl, normalize_url, normalize_website, registered_domain


class FetchError(StrEnum):
    """Why a fetch produced no usable response; the values double as verdict reason codes."""

    INVALID_URL = "invalid_url"  # the URL to fetch could not be parsed
    DNS_NXDOMAIN = "dns_nxdomain"  # the host name does not exist
    DNS_NO_ADDRESS = "dns_no_address"  # the name exists but has no A/AAAA record
    DNS_SERVFAIL = "dns_servfail"  # the resolver failed: transient
    DNS_TIMEOUT = "dns_timeout"  # no DNS answer in time: transient
    DNS_ERROR = "dns_error"  # any other resolver failure: transient
    BLOCKED_ADDRESS = "blocked_address"  # an IP literal or a resolved address is not public (SSRF guard)
    BLOCKED_PORT = "blocked_port"  # the URL's port is not in the policy's allowed ports
    BLOCKED_SCHEME = "blocked_scheme"  # a non-http(s) URL or redirect target (file:, gopher:, ...)
    BAD_REDIRECT = "bad_redirect"  # a Location header that is not a usable URL
    CONNECT_REFUSED = "connect_refused"  # TCP connection actively refused (RST)
    CONNECT_TIMEOUT = "connect_timeout"  # TCP connection not established in time
    CONNECT_ERROR = "connect_error"  # network unreachable and similar: says nothing about the site
    READ_TIMEOUT = "read_timeout"  # connected, but the server went quiet
    TOTAL_TIMEOUT = "total_timeout"  # the whole fetch, redirects included, ran over its budget
    TOO_MANY_REDIRECTS = "too_many_redirects"  # more hops than the limit (loops included)
    TLS_ERROR = "tls_error"  # TLS failed and plain http gave nothing either
    HTTP_ERROR = "http_error"  # protocol garbage, a broken body encoding, a reset mid-response


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One page fetch after following redirects: what came back, or why nothing did."""

    requested_url: str
    final_url: str | None = None  # URL of the last request made (the failing one on error)
    status_code: int | None = None  # status of the last response, None when none arrived
    redirects: tuple[tuple[str, int], ...] = ()  # (url, status) of every response that redirected, in order
    content_type: str = ""
    text: str = ""  # decoded body of a textual response, at most the byte cap's worth
    body_bytes: int = 0  # decompressed body bytes kept, never above the cap
    wire_bytes: int = 0  # bytes read from the socket for the body (compressed)
    is_truncated: bool = False  # the body went beyond the cap and reading stopped
    has_tls_error: bool = False  # https failed certificate or handshake checks; http was tried instead
    error: FetchError | None = None
    error_detail: str = ""
    peer_address: str | None = None  # IP the final response really came from
    elapsed_ms: int = 0

    @property
    def is_html(self) -> bool:
        content_type = self.content_type.lower()
        return not content_type or "html" in content_type or content_type.startswith("text/")


@dataclass(frozen=True, slots=True)
class FetchedPage:
    result: FetchResult
    text: PageText | None = None  # parsed when the response was a 2xx textual page


@dataclass(frozen=True, slots=True)
class SiteFetch:
    """The home page (after redirects, http fallback and one meta refresh) plus a few internal pages."""

    home: FetchedPage
    pages: tuple[FetchedPage, ...] = ()  # internal pages: about, products...


class WebsiteStatus(StrEnum):
    LIVE = "live"
    DEAD = "dead"
    PARKED = "parked"
    PLACEHOLDER = "placeholder"
    UNKNOWN = "unknown"


class WebsiteReason(StrEnum):
    """Every reason code judge_website can give; the first reason explains the verdict."""

    NO_WEBSITE = "no_website"
    URL_INVALID = "url_invalid"
    NOT_FETCHED = "not_fetched"
    PARKING_NAMESERVERS = "parking_nameservers"
    REDIRECT_TO_PARKING = "redirect_to_parking"
    FOR_SALE_TEXT = "for_sale_text"
    PARKING_TEXT = "parking_text"
    DEFAULT_SERVER_PAGE = "default_server_page"
    COMING_SOON = "coming_soon"
    NEAR_EMPTY = "near_empty"
    SCRIPT_RENDERED = "script_rendered"
    NON_HTML_CONTENT = "non_html_content"
    NON_PUBLIC_ADDRESS = "non_public_address"
    BLOCKED_REDIRECT = "blocked_redirect"
    HTTP_NOT_FOUND = "http_not_found"
    HTTP_GONE = "http_gone"
    HTTP_SERVER_ERROR = "http_server_error"
    HTTP_UNAVAILABLE = "http_unavailable"
    HTTP_UNAUTHORIZED = "http_unauthorized"
    HTTP_FORBIDDEN = "http_forbidden"
    HTTP_RATE_LIMITED = "http_rate_limited"
    HTTP_CLIENT_ERROR = "http_client_error"
    HTTP_UNEXPECTED_STATUS = "http_unexpected_status"
    CONTENT = "content"
    # Fetch errors pass through under their own names.
    DNS_NXDOMAIN = "dns_nxdomain"
    DNS_NO_ADDRESS = "dns_no_address"
    DNS_SERVFAIL = "dns_servfail"
    DNS_TIMEOUT = "dns_timeout"
    DNS_ERROR = "dns_error"
    BLOCKED_PORT = "blocked_port"
    BLOCKED_SCHEME = "blocked_scheme"
    INVALID_URL = "invalid_url"
    BAD_REDIRECT = "bad_redirect"
    CONNECT_REFUSED = "connect_refused"
    CONNECT_TIMEOUT = "connect_timeout"
    CONNECT_ERROR = "connect_error"
    READ_TIMEOUT = "read_timeout"
    TOTAL_TIMEOUT = "total_timeout"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    TLS_ERROR = "tls_error"
    HTTP_ERROR = "http_error"
    # Extra signals, added after the deciding reason.
    TLS_INVALID = "tls_invalid"
    REDIRECTED_OFFSITE = "redirected_offsite"
    THIN_CONTENT = "thin_content"
    EMAIL_DOMAIN_MISMATCH = "email_domain_mismatch"


@dataclass(frozen=True, slots=True)
class WebsiteThresholds:
    near_empty_words: int = 20  # fewer visible words on every fetched page: nothing there
    thin_content_words: int = 150  # fewer across all pages: live, but flagged thin
    parking_page_max_words: int = 400  # weak parking phrases only count on pages this small
    coming_soon_max_words: int = 250  # "coming soon" as a title/heading on a page up to this size
    tiny_page_words: int = 80  # "coming soon" anywhere in the text of a page this small


@dataclass(frozen=True, slots=True)
class WebsiteEvidence:
    website: str | None  # as entered on the lead
    site: SiteFetch | None = None  # None when nothing was fetched (no or unusable URL)
    nameservers: tuple[str, ...] = ()  # NS host names of the site's registered domain, lower-case
    email_domain: str | None = None  # domain of the lead's email address
    is_free_mail: bool = False  # the email is at a free-mail provider, so its domain says nothing
    thresholds: WebsiteThresholds = field(default_factory=WebsiteThresholds)


@dataclass(frozen=True, slots=True)
class WebsiteVerdict:
    verdict: WebsiteStatus
    reasons: tuple[WebsiteReason, ...]
    final_url: str | None = None
    pages: tuple[PageText, ...] = ()  # every 2xx page's text, home first, for fit scoring


# Name servers run by domain marketplaces and parking services: a domain
# delegated to them is parked or for sale. Ordinary registrar DNS
# (registrar-servers.com, domaincontrol.com) also hosts live sites, so it is
# deliberately absent.
PARKING_NAMESERVER_DOMAINS = frozenset(
    {
        "sedoparking.com",
        "parkingcrew.net",
        "bodis.com",
        "above.com",
        "dan.com",
        "afternic.com",
        "namebrightdns.com",
        "parklogic.com",
        "ztomy.com",
        "uniregistrymarket.link",
        "hugedomains.com",
        "undeveloped.com",
        "domainmarket.com",
        "buydomains.com",
    }
)

# Sites that sell or park domains: landing there means the lead's domain is for sale.
PARKING_TARGET_DOMAINS = frozenset(
    {
        "dan.com",
        "sedo.com",
        "sedoparking.com",
        "afternic.com",
        "hugedomains.com",
        "undeveloped.com",
        "atom.com",
        "squadhelp.com",
        "buydomains.com",
        "brandbucket.com",
        "domainmarket.com",
        "parkingcrew.net",
        "bodis.com",
        "above.com",
        "efty.com",
        "namebright.com",
    }
)
# Exact hosts whose parent domain also serves normal customers.
PARKING_TARGET_HOSTS = frozenset({"parkingpage.namecheap.com", "forsale.godaddy.com", "domains.atom.com"})
_GODADDY_FOR_SALE_PATH = re.compile(r"/(?:forsale|domainsearch/find|domain-for-sale)", re.IGNORECASE)

# Enough on its own: nobody writes these on a company's home page.
FOR_SALE_PHRASES = (
    "this domain is for sale",
    "this domain may be for sale",
    "this domain name is for sale",
    "the domain name is for sale",
    "domain is for sale",
    "buy this domain",
    "make an offer on this domain",
    "this domain is available for purchase",
    "diese domain steht zum verkauf",
    "diese domain ist zu verkaufen",
    "domain steht zum verkauf",
    "diese domain kaufen",
    "ce domaine est à vendre",
    "ce nom de domaine est à vendre",
    "nom de domaine à vendre",
    "este dominio está a la venta",
    "este dominio esta a la venta",
    "dominio en venta",
    "questo dominio è in vendita",
    "dominio in vendita",
    "este domínio está à venda",
    "este dominio esta a venda",
    "domínio à venda",
    "bu alan adı satılıktır",
    "bu alan adı satılık",
    "ta domena jest na sprzedaż",
    "domena na sprzedaż",
    "этот домен продается",
    "этот домен продаётся",
    "домен продается",
    "домен продаётся",
    "该域名正在出售",
    "此域名正在出售",
    "域名出售",
    "該網域名稱正在出售",
    "このドメインは販売中",
    "이 도메인은 판매 중",
)
# Weak alone, strong on a small page: parking feeds and registrar landers.
PARKING_PHRASES = (
    "domain kaufen",
    "domain for sale",
    "make an offer",
    "related searches",
    "related links",
    "sponsored listings",
    "this domain is parked",
    "this domain has been registered",
    "parked free, courtesy of",
    "domain parking",
    "is parked",
    "get this domain",
    "inquire about this domain",
    "this domain name has been registered",
    "domain registered at",
    "the domain owner",
    "buy now for",
    "diese domain wurde registriert",
    "ce domaine a été enregistré",
    "dominio registrado",
)
# Default pages of web servers and hosting panels, matched in the title, headings and text.
DEFAULT_PAGE_PHRASES = (
    "welcome to nginx!",
    "if you see this page, the nginx web server is successfully installed",
    "apache2 debian default page",
    "apache2 ubuntu default page",
    "apache2 default page",
    "test page for the apache http server",
    "test page for the nginx http server",
    "this is the default welcome page used to test the correct operation of the apache2 server",
    "iis windows server",
    "web server's default page",
    "domain default page",
    "default web site page",
    "future home of something quite cool",
    "if you're the site owner, log in",
    "congratulations! your litespeed web server",
    "caddy works!",
    "if you're seeing this, you've successfully installed tomcat",
    "default parallels plesk page",
    "welcome to centos",
    "hello world! this is the default page",
)
# An exact title/heading that means "the server's default document".
DEFAULT_PAGE_TITLES = frozenset(
    {
        "it works!",
        "it works",
        "welcome to nginx!",
        "iis windows server",
        "apache2 debian default page",
        "apache2 ubuntu default page",
        "default page",
        "index of /",
    }
)
COMING_SOON_PHRASES = (
    "coming soon",
    "under construction",
    "website under construction",
    "site under construction",
    "launching soon",
    "we'll be back soon",
    "site en construction",
    "en construction",
    "bientôt disponible",
    "en construcción",
    "en construccion",
    "in costruzione",
    "baustelle",
    "im aufbau",
    "in kürze verfügbar",
    "em construção",
    "yapım aşamasında",
    "w budowie",
    "сайт в разработке",
    "в разработке",
    "скоро открытие",
    "网站建设中",
    "即将上线",
)


def _automaton(phrases: tuple[str, ...] | frozenset[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for phrase in phrases:
        automaton.add_word(_fold(phrase), phrase)
    automaton.make_automaton()
    return automaton


def _fold(text: str) -> str:
    # NFKC + casefold makes full-width, ligature and case variants match; the
    # curly apostrophe is what CMS editors type for "we'll" and "you're".
    return " ".join(unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'").split())


_FOR_SALE = _automaton(FOR_SALE_PHRASES)
_PARKING = _automaton(PARKING_PHRASES)
_DEFAULT_PAGE = _automaton(DEFAULT_PAGE_PHRASES)
_COMING_SOON = _automaton(COMING_SOON_PHRASES)


def _first_phrase(automaton: ahocorasick.Automaton, text: str) -> str | None:
    for _end, phrase in automaton.iter(text):
        return str(phrase)
    return None


_ERROR_VERDICTS: dict[FetchError, WebsiteStatus] = {
    FetchError.DNS_NXDOMAIN: WebsiteStatus.DEAD,
    FetchError.DNS_NO_ADDRESS: WebsiteStatus.DEAD,
    FetchError.CONNECT_REFUSED: WebsiteStatus.DEAD,
    # A timeout, a resolver failure or an odd network error may be ours or
    # passing: a transient failure is never evidence of a fake.
    FetchError.CONNECT_TIMEOUT: WebsiteStatus.UNKNOWN,
    FetchError.CONNECT_ERROR: WebsiteStatus.UNKNOWN,
    FetchError.READ_TIMEOUT: WebsiteStatus.UNKNOWN,
    FetchError.TOTAL_TIMEOUT: WebsiteStatus.UNKNOWN,
    FetchError.DNS_SERVFAIL: WebsiteStatus.UNKNOWN,
    FetchError.DNS_TIMEOUT: WebsiteStatus.UNKNOWN,
    FetchError.DNS_ERROR: WebsiteStatus.UNKNOWN,
    FetchError.TOO_MANY_REDIRECTS: WebsiteStatus.UNKNOWN,
    FetchError.TLS_ERROR: WebsiteStatus.UNKNOWN,
    FetchError.HTTP_ERROR: WebsiteStatus.UNKNOWN,
    FetchError.INVALID_URL: WebsiteStatus.UNKNOWN,
    FetchError.BAD_REDIRECT: WebsiteStatus.UNKNOWN,
    FetchError.BLOCKED_PORT: WebsiteStatus.UNKNOWN,
    FetchError.BLOCKED_SCHEME: WebsiteStatus.UNKNOWN,
    FetchError.BLOCKED_ADDRESS: WebsiteStatus.UNKNOWN,
}


def judge_website(evidence: WebsiteEvidence) -> WebsiteVerdict:
    """Judge a lead's website from its fetched pages, its name servers and the lead's email domain.

    Order: parking name servers, then landing on a parking/sale site, then
    fetch failures, then the HTTP status, then what the page says. The first
    reason explains the verdict; tls_invalid, redirected_offsite,
    thin_content and email_domain_mismatch are added as extra signals.
    """
    if not (evidence.website or "").strip():
        return WebsiteVerdict(WebsiteStatus.UNKNOWN, (WebsiteReason.NO_WEBSITE,))
    requested = normalize_website(evidence.website or "")
    if not isinstance(requested, NormalizedUrl):
        return WebsiteVerdict(WebsiteStatus.UNKNOWN, (WebsiteReason.URL_INVALID,))

    site = evidence.site
    home = site.home.result if site is not None else None
    final_url = home.final_url if home is not None else None
    status, reason = _decide(evidence, site)
    extras = _extra_reasons(evidence, requested, home, status, site)
    pages = _page_texts(site)
    return WebsiteVerdict(status, (reason, *extras), final_url=final_url, pages=pages)


def _decide(evidence: WebsiteEvidence, site: SiteFetch | None) -> tuple[WebsiteStatus, WebsiteReason]:
    if any(_is_parking_nameserver(name) for name in evidence.nameservers):
        return WebsiteStatus.PARKED, WebsiteReason.PARKING_NAMESERVERS
    if site is None:
        return WebsiteStatus.UNKNOWN, WebsiteReason.NOT_FETCHED
    home = site.home.result
    if any(_is_parking_target(url) for url in _visited_urls(home)):
        return WebsiteStatus.PARKED, WebsiteReason.REDIRECT_TO_PARKING
    if home.error is not None:
        return _judge_error(home)
    status_code = home.status_code or 0
    if not 200 <= status_code < 300:
        return _judge_status(status_code)
    if not home.is_html:
        return WebsiteStatus.UNKNOWN, WebsiteReason.NON_HTML_CONTENT
    return _judge_content(site, evidence.thresholds)


def _judge_error(home: FetchResult) -> tuple[WebsiteStatus, WebsiteReason]:
    error = home.error
    assert error is not None
    if (
        error in (FetchError.BLOCKED_ADDRESS, FetchError.BLOCKED_PORT, FetchError.BLOCKED_SCHEME)
        and home.redirects
    ):
        # The site answered, then pointed somewhere forbidden: odd, not dead.
        return WebsiteStatus.UNKNOWN, WebsiteReason.BLOCKED_REDIRECT
    if error is FetchError.BLOCKED_ADDRESS:
        # A public website whose name resolves to loopback or a private
        # network cannot be visited by anyone outside it.
        return WebsiteStatus.DEAD, WebsiteReason.NON_PUBLIC_ADDRESS
    return _ERROR_VERDICTS[error], WebsiteReason(error.value)


def _judge_status(status_code: int) -> tuple[WebsiteStatus, WebsiteReason]:
    if status_code == 404:
        return WebsiteStatus.DEAD, WebsiteReason.HTTP_NOT_FOUND
    if status_code == 410:
        return WebsiteStatus.DEAD, WebsiteReason.HTTP_GONE
    if status_code == 401:
        return WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_UNAUTHORIZED
    if status_code == 403:
        return WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_FORBIDDEN
    if status_code == 429:
        return WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_RATE_LIMITED
    if status_code == 503:
        # RFC 9110 §15.6.4: temporary overload or maintenance, and the usual
        # status of bot challenges.
        return WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_UNAVAILABLE
    if 500 <= status_code < 600:
        return WebsiteStatus.DEAD, WebsiteReason.HTTP_SERVER_ERROR
    if 400 <= status_code < 500:
        return WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_CLIENT_ERROR
    return WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_UNEXPECTED_STATUS


def _judge_content(site: SiteFetch, thresholds: WebsiteThresholds) -> tuple[WebsiteStatus, WebsiteReason]:
    home_text = site.home.text or PageText(url=site.home.result.final_url or site.home.result.requested_url)
    folded = _fold(" ".join((home_text.title, *home_text.headings, home_text.text)))
    if _first_phrase(_FOR_SALE, folded):
        return WebsiteStatus.PARKED, WebsiteReason.FOR_SALE_TEXT
    if home_text.word_count <= thresholds.parking_page_max_words and _first_phrase(_PARKING, folded):
        return WebsiteStatus.PARKED, WebsiteReason.PARKING_TEXT
    heads = {_fold(home_text.title), *(_fold(heading) for heading in home_text.headings[:3])}
    if heads & DEFAULT_PAGE_TITLES or _first_phrase(_DEFAULT_PAGE, folded):
        return WebsiteStatus.PLACEHOLDER, WebsiteReason.DEFAULT_SERVER_PAGE
    # "New models coming soon" on a real catalogue is a teaser, not a
    # placeholder: the phrase must head a smallish page or fill a tiny one.
    folded_heads = _fold(" ".join((home_text.title, *home_text.headings)))
    if (
        home_text.word_count <= thresholds.coming_soon_max_words and _first_phrase(_COMING_SOON, folded_heads)
    ) or (home_text.word_count <= thresholds.tiny_page_words and _first_phrase(_COMING_SOON, folded)):
        return WebsiteStatus.PLACEHOLDER, WebsiteReason.COMING_SOON
    total_words = sum(page.word_count for page in _page_texts(site))
    if total_words < thresholds.near_empty_words:
        if home_text.script_count > 0:
            # Likely a JavaScript app: the words arrive after scripts run,
            # which a plain fetch cannot see.
            return WebsiteStatus.UNKNOWN, WebsiteReason.SCRIPT_RENDERED
        return WebsiteStatus.PLACEHOLDER, WebsiteReason.NEAR_EMPTY
    return WebsiteStatus.LIVE, WebsiteReason.CONTENT


def _extra_reasons(
    evidence: WebsiteEvidence,
    requested: NormalizedUrl,
    home: FetchResult | None,
    status: WebsiteStatus,
    site: SiteFetch | None,
) -> tuple[WebsiteReason, ...]:
    extras: list[WebsiteReason] = []
    if home is not None and home.has_tls_error:
        extras.append(WebsiteReason.TLS_INVALID)
    final_host = _host_of(home.final_url) if home is not None and home.final_url else None
    requested_domain = registered_domain(requested.host)
    if final_host is not None and registered_domain(final_host) != requested_domain:
        extras.append(WebsiteReason.REDIRECTED_OFFSITE)
    if status is WebsiteStatus.LIVE and site is not None:
        total_words = sum(page.word_count for page in _page_texts(site))
        if total_words < evidence.thresholds.thin_content_words:
            extras.append(WebsiteReason.THIN_CONTENT)
    if evidence.email_domain and not evidence.is_free_mail:
        email_domain = registered_domain(evidence.email_domain)
        site_domains = {requested_domain}
        if final_host is not None:
            site_domains.add(registered_domain(final_host))
        if email_domain not in site_domains:
            extras.append(WebsiteReason.EMAIL_DOMAIN_MISMATCH)
    return tuple(extras)


def _page_texts(site: SiteFetch | None) -> tuple[PageText, ...]:
    if site is None:
        return ()
    pages = (site.home, *site.pages)
    return tuple(
        page.text
        for page in pages
        if page.text is not None and page.result.error is None and 200 <= (page.result.status_code or 0) < 300
    )


def _visited_urls(result: FetchResult) -> tuple[str, ...]:
    urls = [url for url, _status in result.redirects]
    if result.final_url:
        urls.append(result.final_url)
    return tuple(urls)


def _host_of(url: str) -> str | None:
    parsed = normalize_url(url)
    return parsed.host if isinstance(parsed, NormalizedUrl) else None


def _is_parking_target(url: str) -> bool:
    parsed = normalize_url(url)
    if not isinstance(parsed, NormalizedUrl):
        return False
    if parsed.host in PARKING_TARGET_HOSTS or registered_domain(parsed.host) in PARKING_TARGET_DOMAINS:
        return True
    return registered_domain(parsed.host) == "godaddy.com" and bool(
        _GODADDY_FOR_SALE_PATH.search(parsed.path)
    )


def _is_parking_nameserver(name: str) -> bool:
    return registered_domain(name.strip().lower().removesuffix(".")) in PARKING_NAMESERVER_DOMAINS
