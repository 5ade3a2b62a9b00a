"""Reading lead websites as URLs, and grouping hosts by registered domain."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from leads.verification.urls import (
    NormalizedUrl,
    UrlProblem,
    UrlProblemReason,
    is_same_organization,
    normalize_url,
    normalize_website,
    registered_domain,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "url", "is_scheme_assumed"),
    [
        ("acme.com", "https://acme.com/", True),
        ("  www.acme.com  ", "https://www.acme.com/", True),
        ("www.x.com/)", "https://www.x.com/", True),
        ("x.com,", "https://x.com/", True),
        ("x.com.", "https://x.com/", True),
        ('"https://Acme.COM/About#team"', "https://acme.com/About", False),
        ("'http://acme.com'", "http://acme.com/", False),
        ("<http://acme.com/products>", "http://acme.com/products", False),
        ("(www.acme.com)", "https://www.acme.com/", True),
        ("www.acme.com (main site)", "https://www.acme.com/", True),
        ("//acme.com/a", "https://acme.com/a", True),
        ("HTTP://WWW.ACME.COM:80/", "http://www.acme.com/", False),
        ("https://acme.com:443/x", "https://acme.com/x", False),
        ("acme.com:8080/shop?q=uv lamps", "https://acme.com:8080/shop?q=uv", True),
        ("http://user:secret@acme.com/", "http://acme.com/", False),
        ("http://acme.com@evil.com/", "http://evil.com/", False),
        ("http://bücher.de/über", "http://xn--bcher-kva.de/%C3%BCber", False),
        ("ＡＣＭＥ。ｃｏｍ", "https://acme.com/", True),
        ("http:\\\\acme.com\\about", "http://acme.com/about", False),
        ("http:/acme.com", "http://acme.com/", False),
        ("http://exa%6Dple.com/", "http://example.com/", False),
        ("http://0x7f.1/", "http://127.0.0.1/", False),
        ("http://2130706433/", "http://127.0.0.1/", False),
        ("http://１２７.０.０.１/", "http://127.0.0.1/", False),
        ("http://[::ffff:127.0.0.1]:8080/", "http://[::ffff:7f00:1]:8080/", False),
        ("shop.acme.co.uk/en/", "https://shop.acme.co.uk/en/", True),
        ("xn--bcher-kva.de", "https://xn--bcher-kva.de/", True),
    ],
)
def test_normalize_website_reads_what_people_paste(raw: str, url: str, is_scheme_assumed: bool) -> None:
    result = normalize_website(raw)
    assert isinstance(result, NormalizedUrl), result
    assert result.url == url
    assert result.is_scheme_assumed is is_scheme_assumed


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", UrlProblemReason.EMPTY),
        ("   ", UrlProblemReason.EMPTY),
        ('""', UrlProblemReason.EMPTY),
        ("file:///etc/passwd", UrlProblemReason.BAD_SCHEME),
        ("gopher://acme.com/", UrlProblemReason.BAD_SCHEME),
        ("ftp://acme.com/", UrlProblemReason.BAD_SCHEME),
        ("javascript:alert(1)", UrlProblemReason.BAD_SCHEME),
        ("data:text/html,<h1>hi</h1>", UrlProblemReason.BAD_SCHEME),
        ("mailto:sales@acme.com", UrlProblemReason.BAD_SCHEME),
        ("n/a", UrlProblemReason.BAD_HOST),
        ("-", UrlProblemReason.BAD_HOST),
        ("localhost", UrlProblemReason.BAD_HOST),
        ("localhost:8080", UrlProblemReason.BAD_HOST),
        ("http://intranet/", UrlProblemReason.BAD_HOST),
        ("http://a_b.com/", UrlProblemReason.BAD_HOST),
        ("http://-acme.com/", UrlProblemReason.BAD_HOST),
        ("http://acme..com/", UrlProblemReason.BAD_HOST),
        ("http://xn--zz.com/", UrlProblemReason.BAD_HOST),
        ("http://acme.123/", UrlProblemReason.BAD_HOST),
        ("http://1.2.3.4.5/", UrlProblemReason.BAD_HOST),
        ("http://💩.la/", UrlProblemReason.BAD_HOST),
        ("http://[::1/", UrlProblemReason.BAD_HOST),
        ("http://" + "a" * 64 + ".com/", UrlProblemReason.BAD_HOST),
        ("https://acme.com:99999/", UrlProblemReason.BAD_PORT),
        ("https://acme.com:0/", UrlProblemReason.BAD_PORT),
        ("https://acme.com:http/", UrlProblemReason.BAD_PORT),
    ],
)
def test_normalize_website_refuses_what_is_not_a_public_http_site(raw: str, reason: UrlProblemReason) -> None:
    result = normalize_website(raw)
    assert isinstance(result, UrlProblem), result
    assert result.reason is reason


@pytest.mark.parametrize(
    ("location", "url"),
    [
        ("/about", "https://acme.com/about"),
        ("about", "https://acme.com/en/about"),
        ("../de/", "https://acme.com/de/"),
        ("?page=2", "https://acme.com/en/index?page=2"),
        ("//www.acme.com/x", "https://www.acme.com/x"),
        ("/\\evil.com/x", "https://evil.com/x"),
        ("http://other.com/", "http://other.com/"),
        (" \t/pad\n ", "https://acme.com/pad"),
    ],
)
def test_normalize_url_resolves_locations_against_the_current_page(location: str, url: str) -> None:
    result = normalize_url(location, base="https://acme.com/en/index")
    assert isinstance(result, NormalizedUrl), result
    assert result.url == url


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("file:///etc/passwd", UrlProblemReason.BAD_SCHEME),
        ("gopher://127.0.0.1:6379/_INFO", UrlProblemReason.BAD_SCHEME),
        ("javascript:alert(1)", UrlProblemReason.BAD_SCHEME),
        ("data:text/plain,x", UrlProblemReason.BAD_SCHEME),
        ("http://", UrlProblemReason.BAD_HOST),
    ],
)
def test_normalize_url_refuses_non_http_redirect_targets(location: str, reason: UrlProblemReason) -> None:
    result = normalize_url(location, base="https://acme.com/")
    assert isinstance(result, UrlProblem)
    assert result.reason is reason


def test_normalize_url_without_base_refuses_relative_urls() -> None:
    result = normalize_url("/about")
    assert isinstance(result, UrlProblem)
    assert result.reason is UrlProblemReason.BAD_HOST


def test_with_scheme_moves_a_default_port_to_the_new_scheme() -> None:
    https = normalize_url("https://acme.com/x")
    custom = normalize_url("https://acme.com:8443/x")
    assert isinstance(https, NormalizedUrl)
    assert isinstance(custom, NormalizedUrl)
    assert https.with_scheme("http").url == "http://acme.com/x"
    assert custom.with_scheme("http").url == "http://acme.com:8443/x"


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("acme.com", "acme.com"),
        ("www.acme.com", "acme.com"),
        ("WWW.ACME.COM.", "acme.com"),
        ("shop.acme.co.uk", "acme.co.uk"),
        ("a.b.acme.com.br", "acme.com.br"),
        ("acme.myshopify.com", "acme.myshopify.com"),
        ("store.acme.myshopify.com", "acme.myshopify.com"),
        ("acme.github.io", "acme.github.io"),
        ("xn--bcher-kva.de", "xn--bcher-kva.de"),
        ("www.aquaclear-uv.test", "aquaclear-uv.test"),
        ("aquaclear-uv.test", "aquaclear-uv.test"),
        ("co.uk", "co.uk"),
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("", ""),
    ],
)
def test_registered_domain_finds_the_registrants_domain(host: str, domain: str) -> None:
    assert registered_domain(host) == domain


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("acme.com", "www.acme.com", True),
        ("mail.acme.co.uk", "shop.acme.co.uk", True),
        ("bücher.de", "www.xn--bcher-kva.de", True),
        ("ACME.com", "acme.COM.", True),
        ("acme.com", "acme.co", False),
        ("acme.com", "acme-uv.com", False),
        ("acme.myshopify.com", "rival.myshopify.com", False),
        ("acme.com", "", False),
    ],
)
def test_is_same_organization_needs_the_same_registered_domain(
    first: str, second: str, expected: bool
) -> None:
    assert is_same_organization(first, second) is expected


def test_registered_domain_never_touches_the_network() -> None:
    # A fresh interpreter whose audit hook fails any socket use, so even a
    # first-time suffix-list download attempt would be caught.
    script = textwrap.dedent(
        """
        import sys

        def refuse_network(event, args):
            if event.startswith(("socket.", "urllib.Request", "http.client")):
                raise RuntimeError(f"network used: {event} {args!r}")

        sys.addaudithook(refuse_network)
        from leads.verification.urls import registered_domain, is_same_organization
        assert registered_domain("shop.acme.co.uk") == "acme.co.uk"
        assert registered_domain("acme.blogspot.com") == "acme.blogspot.com"
        assert is_same_organization("www.acme.com", "acme.com")
        print("ok")
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": "/nonexistent"},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"
