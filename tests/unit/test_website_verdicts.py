"""Website verdicts: fetched evidence in, live/dead/parked/placeholder/unknown out."""

from __future__ import annotations

import pytest

from leads.verification.html_text import PageText
from leads.verification.website import (
    FetchedPage,
    FetchError,
    FetchResult,
    SiteFetch,
    WebsiteEvidence,
    WebsiteReason,
    WebsiteStatus,
    WebsiteThresholds,
    WebsiteVerdict,
    judge_website,
)

SITE = "https://acme-uv.com/"
RICH_TEXT = " ".join(
    ["AcmeUV builds ultraviolet water disinfection reactors, germicidal lamps and electronic ballasts"] * 20
)


def text_page(
    url: str = SITE,
    *,
    title: str = "AcmeUV",
    headings: tuple[str, ...] = (),
    text: str = RICH_TEXT,
    scripts: int = 0,
) -> PageText:
    return PageText(
        url=url,
        title=title,
        headings=headings,
        text=text,
        word_count=len(text.split()),
        script_count=scripts,
    )


def fetched(
    *,
    status: int | None = 200,
    final_url: str | None = SITE,
    redirects: tuple[tuple[str, int], ...] = (),
    error: FetchError | None = None,
    content_type: str = "text/html; charset=utf-8",
    has_tls_error: bool = False,
    page: PageText | None = None,
) -> FetchedPage:
    result = FetchResult(
        requested_url=SITE,
        final_url=final_url,
        status_code=None if error is not None else status,
        redirects=redirects,
        content_type=content_type,
        has_tls_error=has_tls_error,
        error=error,
    )
    if page is None and error is None and status is not None and 200 <= status < 300:
        page = text_page(final_url or SITE)
    return FetchedPage(result=result, text=page)


def judge(
    home: FetchedPage | None = None,
    *,
    pages: tuple[FetchedPage, ...] = (),
    website: str | None = "acme-uv.com",
    nameservers: tuple[str, ...] = (),
    email_domain: str | None = None,
    is_free_mail: bool = False,
) -> WebsiteVerdict:
    site = SiteFetch(home=home, pages=pages) if home is not None else None
    return judge_website(
        WebsiteEvidence(
            website=website,
            site=site,
            nameservers=nameservers,
            email_domain=email_domain,
            is_free_mail=is_free_mail,
        )
    )


def test_a_valid_website_that_was_not_fetched_is_unknown() -> None:
    assert judge(None).reasons == (WebsiteReason.NOT_FETCHED,)


def test_a_rich_2xx_page_is_live() -> None:
    verdict = judge(fetched())
    assert verdict.verdict is WebsiteStatus.LIVE
    assert verdict.reasons == (WebsiteReason.CONTENT,)
    assert verdict.final_url == SITE


@pytest.mark.parametrize(
    ("website", "reason"),
    [(None, WebsiteReason.NO_WEBSITE), ("  ", WebsiteReason.NO_WEBSITE), ("n/a", WebsiteReason.URL_INVALID)],
)
def test_a_missing_or_unusable_website_is_unknown(website: str | None, reason: WebsiteReason) -> None:
    assert judge(None, website=website) == WebsiteVerdict(WebsiteStatus.UNKNOWN, (reason,))


@pytest.mark.parametrize(
    "nameserver",
    [
        "ns1.sedoparking.com",
        "NS2.SEDOPARKING.COM.",
        "ns1.parkingcrew.net",
        "ns1.bodis.com",
        "ns1.above.com",
        "ns1.dan.com",
        "ns1.afternic.com",
        "ns1.namebrightdns.com",
        "ns1.parklogic.com",
        "ns1.ztomy.com",
        "ns1.uniregistrymarket.link",
        "ns1.hugedomains.com",
    ],
)
def test_parking_nameservers_make_the_site_parked_whatever_it_serves(nameserver: str) -> None:
    verdict = judge(fetched(), nameservers=("ns1.example-dns.com", nameserver))
    assert verdict.verdict is WebsiteStatus.PARKED
    assert verdict.reasons[0] is WebsiteReason.PARKING_NAMESERVERS


@pytest.mark.parametrize(
    "nameserver",
    ["dns1.registrar-servers.com", "ns51.domaincontrol.com", "ns-12.awsdns-01.org", "kate.ns.cloudflare.com"],
)
def test_ordinary_registrar_dns_is_not_parking(nameserver: str) -> None:
    assert judge(fetched(), nameservers=(nameserver,)).verdict is WebsiteStatus.LIVE


@pytest.mark.parametrize(
    "target",
    [
        "https://dan.com/buy-domain/acme-uv.com",
        "https://sedo.com/search/details/?domain=acme-uv.com",
        "https://www.afternic.com/forsale/acme-uv.com",
        "https://www.hugedomains.com/domain_profile.cfm?d=acme-uv.com",
        "https://www.undeveloped.com/domain/acme-uv.com",
        "https://www.atom.com/name/acme-uv",
        "https://www.squadhelp.com/name/acme-uv",
        "https://forsale.godaddy.com/acme-uv.com",
        "https://www.godaddy.com/forsale/acme-uv.com",
        "http://parkingpage.namecheap.com/",
    ],
)
def test_landing_on_a_domain_marketplace_means_parked(target: str) -> None:
    home = fetched(final_url=target, redirects=((SITE, 302),))
    verdict = judge(home)
    assert verdict.verdict is WebsiteStatus.PARKED
    assert verdict.reasons[:2] == (WebsiteReason.REDIRECT_TO_PARKING, WebsiteReason.REDIRECTED_OFFSITE)


def test_passing_through_a_marketplace_counts_even_if_the_final_hop_fails() -> None:
    home = fetched(
        final_url="https://lander.example/",
        redirects=((SITE, 302), ("https://dan.com/x", 302)),
        error=FetchError.CONNECT_REFUSED,
    )
    assert judge(home).verdict is WebsiteStatus.PARKED


def test_an_ordinary_godaddy_page_is_not_a_parking_target() -> None:
    home = fetched(final_url="https://www.godaddy.com/help", redirects=((SITE, 301),))
    assert judge(home).verdict is WebsiteStatus.LIVE


@pytest.mark.parametrize(
    ("error", "verdict", "reason"),
    [
        (FetchError.DNS_NXDOMAIN, WebsiteStatus.DEAD, WebsiteReason.DNS_NXDOMAIN),
        (FetchError.DNS_NO_ADDRESS, WebsiteStatus.DEAD, WebsiteReason.DNS_NO_ADDRESS),
        (FetchError.CONNECT_REFUSED, WebsiteStatus.DEAD, WebsiteReason.CONNECT_REFUSED),
        (FetchError.BLOCKED_ADDRESS, WebsiteStatus.DEAD, WebsiteReason.NON_PUBLIC_ADDRESS),
        (FetchError.DNS_SERVFAIL, WebsiteStatus.UNKNOWN, WebsiteReason.DNS_SERVFAIL),
        (FetchError.DNS_TIMEOUT, WebsiteStatus.UNKNOWN, WebsiteReason.DNS_TIMEOUT),
        (FetchError.DNS_ERROR, WebsiteStatus.UNKNOWN, WebsiteReason.DNS_ERROR),
        (FetchError.CONNECT_TIMEOUT, WebsiteStatus.UNKNOWN, WebsiteReason.CONNECT_TIMEOUT),
        (FetchError.CONNECT_ERROR, WebsiteStatus.UNKNOWN, WebsiteReason.CONNECT_ERROR),
        (FetchError.READ_TIMEOUT, WebsiteStatus.UNKNOWN, WebsiteReason.READ_TIMEOUT),
        (FetchError.TOTAL_TIMEOUT, WebsiteStatus.UNKNOWN, WebsiteReason.TOTAL_TIMEOUT),
        (FetchError.TOO_MANY_REDIRECTS, WebsiteStatus.UNKNOWN, WebsiteReason.TOO_MANY_REDIRECTS),
        (FetchError.TLS_ERROR, WebsiteStatus.UNKNOWN, WebsiteReason.TLS_ERROR),
        (FetchError.HTTP_ERROR, WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_ERROR),
        (FetchError.BLOCKED_PORT, WebsiteStatus.UNKNOWN, WebsiteReason.BLOCKED_PORT),
        (FetchError.BLOCKED_SCHEME, WebsiteStatus.UNKNOWN, WebsiteReason.BLOCKED_SCHEME),
        (FetchError.INVALID_URL, WebsiteStatus.UNKNOWN, WebsiteReason.INVALID_URL),
        (FetchError.BAD_REDIRECT, WebsiteStatus.UNKNOWN, WebsiteReason.BAD_REDIRECT),
    ],
)
def test_fetch_errors_are_dead_only_when_the_site_provably_is_not_there(
    error: FetchError, verdict: WebsiteStatus, reason: WebsiteReason
) -> None:
    assert judge(fetched(error=error)).reasons[0] is reason
    assert judge(fetched(error=error)).verdict is verdict


def test_every_fetch_error_has_a_verdict() -> None:
    for error in FetchError:
        assert judge(fetched(error=error)).verdict in WebsiteStatus


@pytest.mark.parametrize(
    "error", [FetchError.BLOCKED_ADDRESS, FetchError.BLOCKED_SCHEME, FetchError.BLOCKED_PORT]
)
def test_a_redirect_to_a_forbidden_target_is_unknown_not_dead(error: FetchError) -> None:
    home = fetched(final_url="http://169.254.169.254/latest/", redirects=((SITE, 302),), error=error)
    assert judge(home).reasons[0] is WebsiteReason.BLOCKED_REDIRECT
    assert judge(home).verdict is WebsiteStatus.UNKNOWN


@pytest.mark.parametrize(
    ("status", "verdict", "reason"),
    [
        (404, WebsiteStatus.DEAD, WebsiteReason.HTTP_NOT_FOUND),
        (410, WebsiteStatus.DEAD, WebsiteReason.HTTP_GONE),
        (500, WebsiteStatus.DEAD, WebsiteReason.HTTP_SERVER_ERROR),
        (502, WebsiteStatus.DEAD, WebsiteReason.HTTP_SERVER_ERROR),
        (504, WebsiteStatus.DEAD, WebsiteReason.HTTP_SERVER_ERROR),
        (503, WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_UNAVAILABLE),
        (401, WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_UNAUTHORIZED),
        (403, WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_FORBIDDEN),
        (429, WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_RATE_LIMITED),
        (400, WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_CLIENT_ERROR),
        (451, WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_CLIENT_ERROR),
        (304, WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_UNEXPECTED_STATUS),
        (302, WebsiteStatus.UNKNOWN, WebsiteReason.HTTP_UNEXPECTED_STATUS),
    ],
)
def test_the_final_status_decides_before_the_content(
    status: int, verdict: WebsiteStatus, reason: WebsiteReason
) -> None:
    result = judge(fetched(status=status, page=text_page()))
    assert (result.verdict, result.reasons[0]) == (verdict, reason)


def test_a_404_after_redirects_is_dead() -> None:
    home = fetched(status=404, final_url="https://acme-uv.com/en/", redirects=((SITE, 301),))
    assert judge(home).verdict is WebsiteStatus.DEAD


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("acme-uv.com is for sale", "This domain is for sale! Make an offer."),
        ("acme-uv.com", "This domain may be for sale. Buy this domain."),
        ("acme-uv.com", "Diese Domain steht zum Verkauf. Jetzt Domain kaufen!"),
        ("acme-uv.com", "Ce domaine est à vendre."),
        ("acme-uv.com", "Este dominio está a la venta."),
        ("acme-uv.com", "Questo dominio è in vendita."),
        ("acme-uv.com", "Este domínio está à venda."),
        ("acme-uv.com", "Bu alan adı satılıktır."),
        ("acme-uv.com", "Ta domena jest na sprzedaż."),
        ("acme-uv.com", "Этот домен продается."),
        ("acme-uv.com", "ЭТОТ ДОМЕН ПРОДАЁТСЯ"),
        ("acme-uv.com", "该域名正在出售"),
        ("域名出售", ""),
        ("ACME-UV.COM", "THIS  DOMAIN   IS FOR SALE"),
    ],
)
def test_for_sale_text_in_any_language_means_parked(title: str, text: str) -> None:
    verdict = judge(fetched(page=text_page(title=title, text=text)))
    assert (verdict.verdict, verdict.reasons[0]) == (WebsiteStatus.PARKED, WebsiteReason.FOR_SALE_TEXT)


def test_a_for_sale_phrase_is_parked_even_on_a_long_page() -> None:
    verdict = judge(fetched(page=text_page(text=RICH_TEXT + " This domain is for sale.")))
    assert verdict.verdict is WebsiteStatus.PARKED


@pytest.mark.parametrize(
    "text",
    [
        "Related Searches: UV Lamps, Water Filters",
        "This domain has been registered and is parked free, courtesy of a registrar.",
        "Sponsored Listings",
        "Domain kaufen",
    ],
)
def test_parking_feed_phrases_mean_parked_on_a_small_page(text: str) -> None:
    verdict = judge(fetched(page=text_page(text=text)))
    assert (verdict.verdict, verdict.reasons[0]) == (WebsiteStatus.PARKED, WebsiteReason.PARKING_TEXT)


def test_parking_feed_phrases_on_a_real_catalogue_stay_live() -> None:
    long_text = RICH_TEXT + " " + RICH_TEXT + " Related links: distributors. Make an offer for bulk orders."
    assert judge(fetched(page=text_page(text=long_text))).verdict is WebsiteStatus.LIVE


@pytest.mark.parametrize(
    ("title", "headings", "text"),
    [
        (
            "Welcome to nginx!",
            ("Welcome to nginx!",),
            "If you see this page, the nginx web server is successfully installed",
        ),
        ("", ("It works!",), "It works!"),
        ("Apache2 Debian Default Page: It works", (), "Apache2 Debian Default Page It works!"),
        ("Apache2 Ubuntu Default Page: It works", (), "Apache2 Ubuntu Default Page"),
        ("Test Page for the Apache HTTP Server", (), "Test Page for the Apache HTTP Server"),
        ("IIS Windows Server", (), ""),
        ("Domain Default page", ("Web Server’s Default Page",), "This page was generated automatically"),
        (
            "Default Web Site Page",
            ("Future home of something quite cool.",),
            "If you're the site owner, log in",
        ),
        ("Index of /", ("Index of /",), "Parent Directory cgi-bin"),
    ],
)
def test_web_server_default_pages_are_placeholders(title: str, headings: tuple[str, ...], text: str) -> None:
    verdict = judge(fetched(page=text_page(title=title, headings=headings, text=text)))
    assert (verdict.verdict, verdict.reasons[0]) == (
        WebsiteStatus.PLACEHOLDER,
        WebsiteReason.DEFAULT_SERVER_PAGE,
    )


@pytest.mark.parametrize(
    ("title", "headings", "text"),
    [
        ("Coming Soon", ("Coming soon",), "Our new website is launching soon."),
        ("AcmeUV", ("Website under construction",), "Please come back later."),
        ("Willkommen", ("Diese Seite ist im Aufbau",), "Bitte besuchen Sie uns bald wieder."),
        ("Baustelle", (), "Hier entsteht eine neue Internetpräsenz."),
        ("Bienvenue", ("Site en construction",), ""),
        ("Bienvenidos", ("Sitio en construcción",), ""),
        ("Benvenuti", ("Sito in costruzione",), ""),
        ("Bem-vindo", ("Site em construção",), ""),
        ("Hoş geldiniz", ("Sitemiz yapım aşamasında",), ""),
        ("Witamy", ("Strona w budowie",), ""),
        ("Добро пожаловать", ("Сайт в разработке",), ""),
        ("欢迎", ("网站建设中",), ""),
        ("AcmeUV", (), "We are under construction. Call us."),
    ],
)
def test_coming_soon_pages_are_placeholders(title: str, headings: tuple[str, ...], text: str) -> None:
    verdict = judge(fetched(page=text_page(title=title, headings=headings, text=text)))
    assert (verdict.verdict, verdict.reasons[0]) == (WebsiteStatus.PLACEHOLDER, WebsiteReason.COMING_SOON)


def test_coming_soon_news_on_a_rich_page_stays_live() -> None:
    page = text_page(headings=("Products",), text=RICH_TEXT + " New 300 W amalgam lamps coming soon!")
    assert judge(fetched(page=page)).verdict is WebsiteStatus.LIVE


def test_a_near_empty_page_without_scripts_is_a_placeholder() -> None:
    verdict = judge(fetched(page=text_page(title="", text="Welcome")))
    assert (verdict.verdict, verdict.reasons[0]) == (WebsiteStatus.PLACEHOLDER, WebsiteReason.NEAR_EMPTY)


def test_a_near_empty_page_with_scripts_is_unknown_because_it_renders_in_the_browser() -> None:
    verdict = judge(fetched(page=text_page(title="Acme Lighting", text="", scripts=3)))
    assert (verdict.verdict, verdict.reasons[0]) == (WebsiteStatus.UNKNOWN, WebsiteReason.SCRIPT_RENDERED)


def test_a_splash_home_page_with_rich_inner_pages_is_live() -> None:
    about = fetched(final_url="https://acme-uv.com/about", page=text_page("https://acme-uv.com/about"))
    verdict = judge(fetched(page=text_page(text="Enter")), pages=(about,))
    assert verdict.verdict is WebsiteStatus.LIVE


def test_a_live_site_with_few_words_is_flagged_thin() -> None:
    verdict = judge(fetched(page=text_page(text=" ".join(["UV lamps for water treatment"] * 8))))
    assert verdict.verdict is WebsiteStatus.LIVE
    assert WebsiteReason.THIN_CONTENT in verdict.reasons


def test_thresholds_come_from_the_evidence() -> None:
    page = text_page(text=" ".join(["UV lamps"] * 30))
    strict = WebsiteThresholds(near_empty_words=100)
    evidence = WebsiteEvidence(
        website="acme-uv.com", site=SiteFetch(home=fetched(page=page)), thresholds=strict
    )
    assert judge_website(evidence).verdict is WebsiteStatus.PLACEHOLDER


def test_non_html_home_page_is_unknown() -> None:
    home = fetched(content_type="application/pdf", page=None)
    assert judge(FetchedPage(home.result, None)).reasons[0] is WebsiteReason.NON_HTML_CONTENT


def test_a_certificate_problem_is_reported_beside_the_verdict() -> None:
    verdict = judge(fetched(final_url="http://acme-uv.com/", has_tls_error=True))
    assert verdict.verdict is WebsiteStatus.LIVE
    assert WebsiteReason.TLS_INVALID in verdict.reasons


def test_landing_on_another_organizations_site_is_flagged() -> None:
    verdict = judge(fetched(final_url="https://bigcorp.com/uv/", redirects=((SITE, 301),)))
    assert verdict.verdict is WebsiteStatus.LIVE
    assert WebsiteReason.REDIRECTED_OFFSITE in verdict.reasons


def test_moving_to_www_or_a_subdomain_is_not_offsite() -> None:
    verdict = judge(fetched(final_url="https://www.acme-uv.com/en/", redirects=((SITE, 301),)))
    assert WebsiteReason.REDIRECTED_OFFSITE not in verdict.reasons


@pytest.mark.parametrize(
    ("email_domain", "is_free_mail", "final_url", "is_mismatch"),
    [
        ("acme-uv.com", False, SITE, False),
        ("mail.acme-uv.com", False, SITE, False),
        ("other-company.com", False, SITE, True),
        ("acme-uv.co", False, SITE, True),
        ("gmail.com", True, SITE, False),
        ("acme-group.de", False, "https://www.acme-group.de/", False),
        (None, False, SITE, False),
    ],
)
def test_email_domain_mismatch_compares_registered_domains_and_ignores_free_mail(
    email_domain: str | None, is_free_mail: bool, final_url: str, is_mismatch: bool
) -> None:
    verdict = judge(fetched(final_url=final_url), email_domain=email_domain, is_free_mail=is_free_mail)
    assert (WebsiteReason.EMAIL_DOMAIN_MISMATCH in verdict.reasons) is is_mismatch


def test_email_domain_mismatch_is_reported_even_when_the_site_is_dead() -> None:
    verdict = judge(fetched(error=FetchError.DNS_NXDOMAIN), email_domain="other-company.com")
    assert verdict.reasons == (WebsiteReason.DNS_NXDOMAIN, WebsiteReason.EMAIL_DOMAIN_MISMATCH)


def test_the_verdict_carries_every_2xx_page_text_for_fit_scoring() -> None:
    home = fetched()
    about = fetched(
        final_url="https://acme-uv.com/about", page=text_page("https://acme-uv.com/about", title="About")
    )
    missing = fetched(status=404, final_url="https://acme-uv.com/products", page=None)
    verdict = judge(home, pages=(about, missing))
    assert [page.url for page in verdict.pages] == [SITE, "https://acme-uv.com/about"]
    assert verdict.pages[1].title == "About"
