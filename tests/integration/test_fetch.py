"""The SSRF-safe fetcher against the loopback fake web: verdicts per site type, SSRF refusals, pinning, caps."""

from __future__ import annotations

import asyncio
import ipaddress
import resource
import socket
import ssl
import time
import tracemalloc

import pytest

from leads.verification.fetch import READ_CHUNK_BYTES, FetchLimits, fetch_page, fetch_site, tls_context
from leads.verification.ssrf import AddressPolicy
from leads.verification.website import (
    FetchedPage,
    FetchError,
    FetchResult,
    SiteFetch,
    WebsiteEvidence,
    WebsiteReason,
    WebsiteStatus,
    judge_website,
)
from tests.fakenet.web_server import (
    FOR_SALE_TEXTS,
    HTTP_ONLY_ADDRESS,
    PRIMARY_ADDRESS,
    WEB_ADDRESS_BOOK,
    FakeWeb,
    RebindingResolver,
    TableResolver,
)

pytest_plugins = ["tests.fakenet.web_fixtures"]

# Quick enough for the slow sites, roomy enough for a loaded CI box.
LIMITS = FetchLimits(connect_timeout_s=1.0, read_timeout_s=1.0, total_timeout_s=2.5)
BLOCKED = {
    FetchError.BLOCKED_ADDRESS,
    FetchError.BLOCKED_PORT,
    FetchError.BLOCKED_SCHEME,
    FetchError.INVALID_URL,
}


def get_page(
    web: FakeWeb,
    url: str,
    policy: AddressPolicy,
    resolve: TableResolver | RebindingResolver | None = None,
    *,
    limits: FetchLimits = LIMITS,
    tls: ssl.SSLContext | None = None,
) -> FetchResult:
    return asyncio.run(
        fetch_page(
            url,
            resolve=resolve or TableResolver(WEB_ADDRESS_BOOK),
            policy=policy,
            limits=limits,
            tls=tls or tls_context(web.ca_path),
            port_map=web.port_map,
        )
    )


def get_site(
    web: FakeWeb,
    website: str,
    policy: AddressPolicy,
    resolve: TableResolver | RebindingResolver | None = None,
    *,
    limits: FetchLimits = LIMITS,
) -> SiteFetch:
    return asyncio.run(
        fetch_site(
            website,
            resolve=resolve or TableResolver(WEB_ADDRESS_BOOK),
            policy=policy,
            limits=limits,
            tls=tls_context(web.ca_path),
            port_map=web.port_map,
        )
    )


# --- Every kind of site gets its verdict -------------------------------------------

SITE_VERDICTS = [
    ("aquaclear-uv.test", WebsiteStatus.LIVE, WebsiteReason.CONTENT, ()),
    ("http://aquaclear-uv.test/", WebsiteStatus.LIVE, WebsiteReason.CONTENT, ()),
    ("www.aquaclear-uv.test", WebsiteStatus.LIVE, WebsiteReason.CONTENT, ()),
    ("uv-technik.test", WebsiteStatus.LIVE, WebsiteReason.CONTENT, ()),
    ("guangming-uv.test", WebsiteStatus.LIVE, WebsiteReason.CONTENT, ()),
    ("http-only.test", WebsiteStatus.LIVE, WebsiteReason.CONTENT, ()),
    ("badcert.test", WebsiteStatus.LIVE, WebsiteReason.CONTENT, (WebsiteReason.TLS_INVALID,)),
    ("latin1.test", WebsiteStatus.LIVE, WebsiteReason.CONTENT, ()),
    ("big.test", WebsiteStatus.LIVE, WebsiteReason.CONTENT, ()),
    ("thin.test", WebsiteStatus.LIVE, WebsiteReason.CONTENT, (WebsiteReason.THIN_CONTENT,)),
    ("redirect-chain.test", WebsiteStatus.LIVE, WebsiteReason.CONTENT, ()),
    ("redirect-offsite.test", WebsiteStatus.LIVE, WebsiteReason.CONTENT, (WebsiteReason.REDIRECTED_OFFSITE,)),
    ("parked.test", WebsiteStatus.PARKED, WebsiteReason.PARKING_TEXT, ()),
    *(
        (f"forsale-{language}.test", WebsiteStatus.PARKED, WebsiteReason.FOR_SALE_TEXT, ())
        for language in FOR_SALE_TEXTS
    ),
    ("redirect-parking.test", WebsiteStatus.PARKED, WebsiteReason.REDIRECT_TO_PARKING, ()),
    ("refresh-parking.test", WebsiteStatus.PARKED, WebsiteReason.REDIRECT_TO_PARKING, ()),
    ("nginx-default.test", WebsiteStatus.PLACEHOLDER, WebsiteReason.DEFAULT_SERVER_PAGE, ()),
    ("apache-default.test", WebsiteStatus.PLACEHOLDER, WebsiteReason.DEFAULT_SERVER_PAGE, ()),
    ("apache-debian.test", WebsiteStatus.PLACEHOLDER, WebsiteReason.DEFAULT_SERVER_PAGE, ()),
    ("iis-default.test", WebsiteStatus.PLACEHOLDER, WebsiteReason.DEFAULT_SERVER_PAGE, ()),
    ("plesk-default.test", WebsiteStatus.PLACEHOLDER, WebsiteReason.DEFAULT_SERVER_PAGE, ()),
    ("cpanel-default.test", WebsiteStatus.PLACEHOLDER, WebsiteReason.DEFAULT_SERVER_PAGE, ()),
    ("coming-soon.test", WebsiteStatus.PLACEHOLDER, WebsiteReason.COMING_SOON, ()),
    ("baustelle.test", WebsiteStatus.PLACEHOLDER, WebsiteReason.COMING_SOON, ()),
    ("construccion.test", WebsiteStatus.PLACEHOLDER, WebsiteReason.COMING_SOON, ()),
    ("costruzione.test", WebsiteStatus.PLACEHOLDER, WebsiteReason.COMING_SOON, ()),
    ("empty.test", WebsiteStatus.PLACEHOLDER, WebsiteReason.NEAR_EMPTY, ()),
    ("spa.test", WebsiteStatus.UNKNOWN, WebsiteReason.SCRIPT_RENDERED, ()),
    ("status-404.test", WebsiteStatus.DEAD, WebsiteReason.HTTP_NOT_FOUND, ()),
    ("status-410.test", WebsiteStatus.DEAD, WebsiteReason.HTTP_GONE, ()),
    ("status-500.test", WebsiteStatus.DEAD, WebsiteReason.HTTP_SERVER_ERROR, ()),
    ("status-503.test", WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_UNAVAILABLE, ()),
    ("status-401.test", WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_UNAUTHORIZED, ()),
    ("status-403.test", WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_FORBIDDEN, ()),
    ("status-429.test", WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_RATE_LIMITED, ()),
    ("refused.test", WebsiteStatus.DEAD, WebsiteReason.CONNECT_REFUSED, ()),
    ("nxdomain.test", WebsiteStatus.DEAD, WebsiteReason.DNS_NXDOMAIN, ()),
    ("no-address.test", WebsiteStatus.DEAD, WebsiteReason.DNS_NO_ADDRESS, ()),
    ("intranet.test", WebsiteStatus.DEAD, WebsiteReason.NON_PUBLIC_ADDRESS, ()),
    ("metadata.test", WebsiteStatus.DEAD, WebsiteReason.NON_PUBLIC_ADDRESS, ()),
    ("mixed.test", WebsiteStatus.DEAD, WebsiteReason.NON_PUBLIC_ADDRESS, ()),
    ("servfail.test", WebsiteStatus.UNKNOWN, WebsiteReason.DNS_SERVFAIL, ()),
    ("dns-timeout.test", WebsiteStatus.UNKNOWN, WebsiteReason.DNS_TIMEOUT, ()),
    ("slow.test", WebsiteStatus.UNKNOWN, WebsiteReason.READ_TIMEOUT, ()),
    ("trickle.test", WebsiteStatus.UNKNOWN, WebsiteReason.TOTAL_TIMEOUT, ()),
    ("redirect-loop.test", WebsiteStatus.UNKNOWN, WebsiteReason.TOO_MANY_REDIRECTS, ()),
    ("redirect-metadata.test", WebsiteStatus.UNKNOWN, WebsiteReason.BLOCKED_REDIRECT, ()),
    ("redirect-private.test", WebsiteStatus.UNKNOWN, WebsiteReason.BLOCKED_REDIRECT, ()),
    ("redirect-intranet.test", WebsiteStatus.UNKNOWN, WebsiteReason.BLOCKED_REDIRECT, ()),
    ("redirect-ipv6-loopback.test", WebsiteStatus.UNKNOWN, WebsiteReason.BLOCKED_REDIRECT, ()),
    ("redirect-file.test", WebsiteStatus.UNKNOWN, WebsiteReason.BLOCKED_REDIRECT, ()),
    ("redirect-gopher.test", WebsiteStatus.UNKNOWN, WebsiteReason.BLOCKED_REDIRECT, ()),
    ("redirect-javascript.test", WebsiteStatus.UNKNOWN, WebsiteReason.BLOCKED_REDIRECT, ()),
    ("redirect-port.test", WebsiteStatus.UNKNOWN, WebsiteReason.BLOCKED_REDIRECT, ()),
]


@pytest.mark.parametrize(("website", "verdict", "reason", "extras"), SITE_VERDICTS)
def test_each_fake_site_gets_its_verdict(
    web: FakeWeb,
    loopback_policy: AddressPolicy,
    website: str,
    verdict: WebsiteStatus,
    reason: WebsiteReason,
    extras: tuple[WebsiteReason, ...],
) -> None:
    site = get_site(web, website, loopback_policy)
    result = judge_website(WebsiteEvidence(website=website, site=site))
    assert (result.verdict, result.reasons[0]) == (verdict, reason), site.home.result
    assert set(extras) <= set(result.reasons)


def test_connect_timeout_is_unknown(web: FakeWeb, loopback_policy: AddressPolicy) -> None:
    website = f"http://blackhole.test:{web.blackhole_port}/"
    started = time.monotonic()
    site = get_site(web, website, loopback_policy)
    assert site.home.result.error is FetchError.CONNECT_TIMEOUT
    assert time.monotonic() - started < LIMITS.total_timeout_s + 1
    assert judge_website(WebsiteEvidence(website=website, site=site)).verdict is WebsiteStatus.UNKNOWN


def test_company_site_reads_about_and_product_pages(web: FakeWeb, loopback_policy: AddressPolicy) -> None:
    site = get_site(web, "aquaclear-uv.test", loopback_policy)
    verdict = judge_website(WebsiteEvidence(website="aquaclear-uv.test", site=site))
    assert [page.url for page in verdict.pages] == [
        "https://aquaclear-uv.test/",
        "https://aquaclear-uv.test/about-us",
        "https://aquaclear-uv.test/products",
        "https://aquaclear-uv.test/applications",
    ]
    assert verdict.pages[0].meta_description.startswith("UV-C water disinfection")
    assert "Germicidal lamps" in verdict.pages[2].headings
    requested = {request.path for request in web.requests_for("aquaclear-uv.test")}
    assert "/datasheet.pdf" not in requested
    assert "/contact" not in requested
    assert not web.requests_for("twitter.example")


def test_german_and_chinese_sites_have_their_inner_pages_found(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    german = get_site(web, "uv-technik.test", loopback_policy)
    chinese = get_site(web, "guangming-uv.test", loopback_policy)
    assert [page.result.final_url for page in german.pages] == [
        "https://uv-technik.test/ueber-uns",
        "https://uv-technik.test/produkte",
        "https://uv-technik.test/loesungen",
    ]
    assert [page.result.final_url for page in chinese.pages] == [
        "https://guangming-uv.test/about.html",
        "https://guangming-uv.test/products.html",
    ]


def test_redirect_chain_is_recorded_hop_by_hop(web: FakeWeb, loopback_policy: AddressPolicy) -> None:
    result = get_page(web, "http://redirect-chain.test/", loopback_policy)
    assert result.redirects == (
        ("http://redirect-chain.test/", 301),
        ("http://redirect-chain.test/step1", 302),
        ("http://redirect-chain.test/step2", 307),
    )
    assert result.final_url == "https://redirect-chain.test/home"
    assert result.status_code == 200


def test_a_redirect_loop_stops_after_five_hops(web: FakeWeb, loopback_policy: AddressPolicy) -> None:
    result = get_page(web, "http://redirect-loop.test/", loopback_policy)
    assert result.error is FetchError.TOO_MANY_REDIRECTS
    assert len(result.redirects) == 6
    assert len(web.requests_for("redirect-loop.test")) == 6


def test_meta_refresh_is_followed_once_and_shows_in_the_chain(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    home = get_site(web, "refresh-parking.test", loopback_policy).home.result
    assert home.redirects == (("https://refresh-parking.test/", 200),)
    assert home.final_url == "https://sedo.com/search/details/?domain=refresh-parking.test"


def test_charset_from_the_header_decodes_the_page(web: FakeWeb, loopback_policy: AddressPolicy) -> None:
    site = get_site(web, "latin1.test", loopback_policy)
    assert site.home.text is not None
    assert site.home.text.title == "Société Lumière UV"


# --- TLS -------------------------------------------------------------------------------


def test_host_header_and_sni_carry_the_name_while_the_socket_goes_to_the_vetted_ip(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    result = get_page(web, "https://aquaclear-uv.test/", loopback_policy)
    assert result.status_code == 200
    assert result.peer_address == PRIMARY_ADDRESS
    (request,) = web.requests_for("aquaclear-uv.test")
    assert (request.scheme, request.sni, request.local_address) == (
        "https",
        "aquaclear-uv.test",
        PRIMARY_ADDRESS,
    )


def test_a_certificate_for_another_name_is_reported_and_http_is_tried(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    result = get_page(web, "https://badcert.test/", loopback_policy)
    assert result.has_tls_error
    assert result.final_url == "http://badcert.test/"
    assert result.status_code == 200
    assert [request.scheme for request in web.requests_for("badcert.test")] == ["http"]


def test_a_bad_certificate_without_an_http_fallback_is_a_tls_error_not_a_dead_site(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    with socket.socket() as probe:
        probe.bind((PRIMARY_ADDRESS, 0))
        closed_port = probe.getsockname()[1]
    result = asyncio.run(
        fetch_page(
            "https://badcert.test/",
            resolve=TableResolver(WEB_ADDRESS_BOOK),
            policy=loopback_policy,
            limits=LIMITS,
            tls=tls_context(web.ca_path),
            port_map={443: web.https_port, 80: closed_port},
        )
    )
    assert result.error is FetchError.TLS_ERROR
    assert result.has_tls_error
    verdict = judge_website(WebsiteEvidence(website="badcert.test", site=SiteFetch(home=FetchedPage(result))))
    assert verdict.verdict is WebsiteStatus.UNKNOWN


def test_an_untrusted_ca_is_a_tls_error_even_when_http_redirects_back_to_https(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    # Without the test CA every fake certificate is untrusted; aquaclear's
    # http answers with a redirect to https, which must not loop.
    result = get_page(web, "https://aquaclear-uv.test/", loopback_policy, tls=tls_context(None))
    assert result.error is FetchError.TLS_ERROR
    assert result.has_tls_error
    assert result.redirects == (("http://aquaclear-uv.test/", 301),)
    verdict = judge_website(
        WebsiteEvidence(website="aquaclear-uv.test", site=SiteFetch(home=FetchedPage(result)))
    )
    assert verdict.verdict is WebsiteStatus.UNKNOWN
    assert WebsiteReason.TLS_INVALID in verdict.reasons


# --- SSRF: nothing forbidden is ever contacted ----------------------------------------

SSRF_URLS = [
    "http://127.0.0.1/",
    "https://127.0.0.1/",
    "http://127.1/",
    "http://127.0.1/",
    "http://2130706433/",
    "http://017700000001/",
    "http://0177.0.0.1/",
    "http://0x7f.0.0.1/",
    "http://0x7f000001/",
    "http://0x7f.1/",
    "http://127.0.0.1./",
    "http://%31%32%37.0.0.1/",
    "http://１２７.０.０.１/",
    "http://user:pass@127.0.0.1/",
    "http://evil.test@127.0.0.1/",
    "http://0.0.0.0/",
    "http://0/",
    "http://[::]/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[0:0:0:0:0:ffff:127.0.0.1]/",
    "http://[::127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[2002:7f00:1::]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://2852039166/latest/meta-data/",
    "http://169.254.43518/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://172.31.255.254/",
    "http://192.168.0.1/",
    "http://100.64.0.1/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[fe80::1]/",
    "http://[fec0::1]/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://255.255.255.255/",
    "http://localhost/",
    "http://aquaclear-uv.test/",
    "https://aquaclear-uv.test/",
    "http://intranet.test/",
    "http://metadata.test/",
    "http://cgnat.test/",
    "http://mixed.test/",
    "http://zero.test/",
    "http://multicast.test/",
    "http://v6-loopback.test/",
    "http://v6-mapped.test/",
    "http://v6-ula.test/",
    "http://v6-link-local.test/",
    "http://redirect-metadata.test/",
    "http://redirect-file.test/",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    "ftp://127.0.0.1/",
    "dict://127.0.0.1:6379/info",
    "data:text/html,<script>alert(1)</script>",
    "javascript:alert(1)",
    "http://127.0.0.1:22/",
    "http://aquaclear-uv.test:25/",
    "http://aquaclear-uv.test:6379/",
]


@pytest.mark.parametrize("url", SSRF_URLS)
def test_forbidden_targets_are_never_contacted(web: FakeWeb, strict_policy: AddressPolicy, url: str) -> None:
    # The production policy allows public addresses only, so the loopback
    # fake web is itself the forbidden target: any connection would show.
    result = get_page(web, url, strict_policy)
    assert result.error in BLOCKED, result
    assert result.status_code is None
    assert web.connections == ()


def test_the_ssrf_suite_is_large_enough() -> None:
    assert len(SSRF_URLS) >= 30


@pytest.mark.parametrize(
    "url",
    [
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://0177.0.0.1/",
        "http://aquaclear-uv.test/",
    ],
)
def test_the_same_targets_are_fetched_once_loopback_is_allowed(
    web: FakeWeb, loopback_policy: AddressPolicy, url: str
) -> None:
    # Proof that the refusals above are the policy at work, not a broken URL.
    result = get_page(web, url, loopback_policy)
    assert result.error is None
    assert result.status_code == 200
    assert web.connections


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://redirect-metadata.test/", FetchError.BLOCKED_ADDRESS),
        ("http://redirect-private.test/", FetchError.BLOCKED_ADDRESS),
        ("http://redirect-intranet.test/", FetchError.BLOCKED_ADDRESS),
        ("http://redirect-ipv6-loopback.test/", FetchError.BLOCKED_ADDRESS),
        ("http://redirect-file.test/", FetchError.BLOCKED_SCHEME),
        ("http://redirect-gopher.test/", FetchError.BLOCKED_SCHEME),
        ("http://redirect-javascript.test/", FetchError.BLOCKED_SCHEME),
        ("http://redirect-port.test/", FetchError.BLOCKED_PORT),
    ],
)
def test_redirects_to_forbidden_targets_stop_after_the_first_response(
    web: FakeWeb, loopback_policy: AddressPolicy, url: str, error: FetchError
) -> None:
    result = get_page(web, url, loopback_policy)
    assert result.error is error
    assert len(result.redirects) == 1
    assert len(web.requests) == 1
    assert len(web.connections) == 1


def test_the_fake_servers_real_port_is_refused_when_not_an_allowed_port(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    result = get_page(web, f"http://127.0.0.1:{web.http_port}/", loopback_policy)
    assert result.error is FetchError.BLOCKED_PORT
    assert web.connections == ()


# --- Pinning: the connection goes where the vetted answer said -----------------------


def test_a_rebinding_answer_on_a_later_lookup_does_not_move_the_connection(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    # Three hops on one host; an attacker's DNS would answer 127.0.0.2 from the
    # second question on. The fetch asks once and every hop goes to 127.0.0.1.
    resolver = RebindingResolver([(PRIMARY_ADDRESS,), (HTTP_ONLY_ADDRESS,)])
    result = get_page(web, "http://redirect-chain.test/", loopback_policy, resolver)
    assert result.status_code == 200
    assert result.peer_address == PRIMARY_ADDRESS
    assert resolver.calls == ["redirect-chain.test"]
    assert {request.local_address for request in web.requests} == {PRIMARY_ADDRESS}
    assert {connection.local_address for connection in web.connections} == {PRIMARY_ADDRESS}


def test_a_rebinding_answer_to_an_internal_address_is_never_used(web: FakeWeb) -> None:
    only_primary = AddressPolicy(allowed_networks=(ipaddress.ip_network(f"{PRIMARY_ADDRESS}/32"),))
    resolver = RebindingResolver([(PRIMARY_ADDRESS,), ("10.0.0.1",)])
    result = get_page(web, "http://redirect-chain.test/", only_primary, resolver)
    assert result.status_code == 200
    assert result.peer_address == PRIMARY_ADDRESS


def test_a_forbidden_first_answer_is_refused_without_asking_again(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    resolver = RebindingResolver([("10.0.0.1",), (PRIMARY_ADDRESS,)])
    result = get_page(web, "http://aquaclear-uv.test/", loopback_policy, resolver)
    assert result.error is FetchError.BLOCKED_ADDRESS
    assert resolver.calls == ["aquaclear-uv.test"]
    assert web.connections == ()


def test_the_http_client_never_resolves_names_itself(web: FakeWeb, loopback_policy: AddressPolicy) -> None:
    # The fake names exist only in the test resolver; a system look-up would fail.
    resolver = TableResolver(WEB_ADDRESS_BOOK)
    result = get_page(web, "http://www.aquaclear-uv.test/", loopback_policy, resolver)
    assert result.status_code == 200
    assert resolver.calls == ["www.aquaclear-uv.test", "aquaclear-uv.test"]


def test_the_second_address_is_tried_when_the_first_refuses(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    resolver = TableResolver({"two-addresses.test": ("127.0.0.3", PRIMARY_ADDRESS)})
    result = get_page(web, "http://two-addresses.test/", loopback_policy, resolver)
    assert result.status_code == 200
    assert result.peer_address == PRIMARY_ADDRESS


# --- Connection reuse: a site's pages share a pinned connection, other hosts never do ----


def test_a_sites_pages_share_one_pinned_connection_and_one_lookup(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    resolver = TableResolver(WEB_ADDRESS_BOOK)
    site = get_site(web, "uv-technik.test", loopback_policy, resolver)
    assert len(site.pages) == 3
    assert resolver.calls == ["uv-technik.test"]
    assert len(web.connections) == 1
    assert [(request.path, request.sni, request.local_address) for request in web.requests] == [
        ("/", "uv-technik.test", PRIMARY_ADDRESS),
        ("/ueber-uns", "uv-technik.test", PRIMARY_ADDRESS),
        ("/produkte", "uv-technik.test", PRIMARY_ADDRESS),
        ("/loesungen", "uv-technik.test", PRIMARY_ADDRESS),
    ]


def test_a_rebinding_answer_cannot_move_a_sites_later_pages(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    # An attacker's DNS would send every later question to 127.0.0.2; the site is asked about once.
    resolver = RebindingResolver([(PRIMARY_ADDRESS,), (HTTP_ONLY_ADDRESS,)])
    site = get_site(web, "uv-technik.test", loopback_policy, resolver)
    assert len(site.pages) == 3
    assert resolver.calls == ["uv-technik.test"]
    assert {request.local_address for request in web.requests} == {PRIMARY_ADDRESS}


def test_another_host_at_the_same_address_gets_its_own_vetted_connection(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    # The home page's connection is idle in the pool when the about page on
    # another host (same address, same port) is fetched: it must not be reused.
    resolver = TableResolver(WEB_ADDRESS_BOOK)
    site = get_site(web, "www.two-hosts.test", loopback_policy, resolver)
    assert [page.result.final_url for page in site.pages] == ["https://two-hosts.test/about-us"]
    assert resolver.calls == ["www.two-hosts.test", "two-hosts.test"]
    assert [(request.host, request.sni) for request in web.requests] == [
        ("www.two-hosts.test", "www.two-hosts.test"),
        ("two-hosts.test", "two-hosts.test"),
    ]
    assert len(web.connections) == 2


def test_an_internal_page_redirecting_to_a_forbidden_address_is_refused(web: FakeWeb) -> None:
    # The about page redirects to 127.0.0.2, where a server listens; this policy allows 127.0.0.1 only.
    only_primary = AddressPolicy(allowed_networks=(ipaddress.ip_network(f"{PRIMARY_ADDRESS}/32"),))
    site = get_site(web, "internal-redirect.test", only_primary)
    assert site.home.result.status_code == 200
    assert "/about-us" in {request.path for request in web.requests}
    assert {request.local_address for request in web.requests} == {PRIMARY_ADDRESS}
    assert {connection.local_address for connection in web.connections} == {PRIMARY_ADDRESS}


def test_an_internal_page_redirect_is_followed_where_the_policy_allows_it(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    # Proof that the refusal above is the policy at work.
    get_site(web, "internal-redirect.test", loopback_policy)
    assert HTTP_ONLY_ADDRESS in {request.local_address for request in web.requests}


def test_a_cookie_set_on_a_redirect_is_sent_to_the_next_hop(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    result = get_page(web, "https://cookie-redirect.test/", loopback_policy)
    assert result.status_code == 200
    assert [request.cookie for request in web.requests] == ["", "visitor=abc123"]


def test_company_sites_added_at_run_time_serve_https_with_their_own_certificate(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    web.add_company_sites(["acme-bench.test"])
    resolver = TableResolver({"acme-bench.test": (PRIMARY_ADDRESS,)})
    site = get_site(web, "acme-bench.test", loopback_policy, resolver)
    assert site.home.result.final_url == "https://acme-bench.test/"
    assert not site.home.result.has_tls_error
    assert [page.result.final_url for page in site.pages] == [
        "https://acme-bench.test/ueber-uns",
        "https://acme-bench.test/produkte",
        "https://acme-bench.test/loesungen",
    ]


# --- Size and time limits -------------------------------------------------------------


def test_an_oversized_body_stops_at_the_cap(web: FakeWeb, loopback_policy: AddressPolicy) -> None:
    result = get_page(web, "http://big.test/", loopback_policy)
    assert result.is_truncated
    assert result.body_bytes == LIMITS.max_body_bytes
    assert result.wire_bytes <= LIMITS.max_body_bytes + READ_CHUNK_BYTES


def test_a_gzip_bomb_is_inflated_only_up_to_the_cap(web: FakeWeb, loopback_policy: AddressPolicy) -> None:
    rss_before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    try:
        result = get_page(web, "http://gzip-bomb.test/", loopback_policy)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before_kb) / 1024
    assert result.error is None
    assert result.is_truncated
    assert result.body_bytes <= LIMITS.max_body_bytes
    # 512 MiB inflated would have needed about 512 KB on the wire.
    assert result.wire_bytes < 256 * 1024
    assert peak < 32 * 1024 * 1024
    assert rss_growth_mb < 100


def test_a_small_cap_truncates_a_normal_page(web: FakeWeb, loopback_policy: AddressPolicy) -> None:
    limits = FetchLimits(max_body_bytes=500)
    result = get_page(web, "https://aquaclear-uv.test/", loopback_policy, limits=limits)
    assert result.is_truncated
    assert result.body_bytes == 500


def test_a_silent_server_hits_the_read_timeout(web: FakeWeb, loopback_policy: AddressPolicy) -> None:
    started = time.monotonic()
    result = get_page(web, "http://slow.test/", loopback_policy)
    assert result.error is FetchError.READ_TIMEOUT
    assert time.monotonic() - started < LIMITS.read_timeout_s + 1


def test_a_trickling_server_hits_the_total_timeout(web: FakeWeb, loopback_policy: AddressPolicy) -> None:
    started = time.monotonic()
    result = get_page(web, "http://trickle.test/", loopback_policy)
    assert result.error is FetchError.TOTAL_TIMEOUT
    assert LIMITS.total_timeout_s <= time.monotonic() - started < LIMITS.total_timeout_s + 1
    assert result.elapsed_ms >= LIMITS.total_timeout_s * 1000


def test_latency_is_added_per_response_without_serialising_clients(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    web.latency_s = 0.2
    resolver = TableResolver(WEB_ADDRESS_BOOK)

    async def fetch_many() -> list[FetchResult]:
        return await asyncio.gather(
            *(
                fetch_page(
                    "https://thin.test/",
                    resolve=resolver,
                    policy=loopback_policy,
                    limits=LIMITS,
                    tls=tls_context(web.ca_path),
                    port_map=web.port_map,
                )
                for _ in range(50)
            )
        )

    started = time.monotonic()
    results = asyncio.run(fetch_many())
    elapsed = time.monotonic() - started
    assert all(result.status_code == 200 for result in results)
    assert 0.2 <= elapsed < 1.5


def test_an_unusable_website_is_refused_without_any_connection(
    web: FakeWeb, loopback_policy: AddressPolicy
) -> None:
    site = get_site(web, "ftp://aquaclear-uv.test/", loopback_policy)
    assert site.home.result.error is FetchError.BLOCKED_SCHEME
    assert web.connections == ()
