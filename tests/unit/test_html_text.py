"""What a fetched page says: decoding, visible text, meta data, links, and surviving hostile HTML."""

from __future__ import annotations

import dataclasses
import time

import pytest

from leads.verification.html_text import (
    MAX_NESTING_DEPTH,
    PageLink,
    PageText,
    count_words,
    decode_html,
    extract_page_text,
    pick_company_pages,
)

PAGE = """<!doctype html>
<html lang="de-DE">
<head>
  <meta charset="utf-8">
  <title>  AquaClear   UV – Wasser </title>
  <meta name="description" content="UV-C Entkeimung für Trinkwasser">
  <meta name="keywords" content="uv, lampe">
  <style>.x { color: red }</style>
  <script>var secret = "script text";</script>
</head>
<body>
  <nav>
    <a href="/ueber-uns">Über uns</a>
    <a href="https://www.aquaclear-uv.test/produkte/">Produkte</a>
    <a href="https://other.test/">Partner</a>
    <a href="mailto:info@aquaclear-uv.test">Mail</a>
    <a href="javascript:void(0)">Menu</a>
    <a href="/katalog.pdf">Katalog</a>
    <a href="#top">Top</a>
    <a href="/ueber-uns">Über uns (again)</a>
  </nav>
  <h1>UV<b>C</b> Anlagen</h1>
  <p>Erste Zeile</p><p>Zweite <span hidden>versteckt</span><span style="display: none"><b>weg</b></span></p>
  <div style="visibility:hidden">unsichtbar</div>
  <template><p>vorlage</p></template>
  <noscript>Bitte JavaScript aktivieren</noscript>
  <svg><text>svg label</text></svg>
  <h2>Produkte</h2><h3></h3>
</body>
</html>"""


@pytest.fixture
def page() -> PageText:
    return extract_page_text(PAGE, "https://aquaclear-uv.test/")


def test_page_text_reads_title_meta_and_language(page: PageText) -> None:
    assert page.title == "AquaClear UV – Wasser"
    assert page.meta_description == "UV-C Entkeimung für Trinkwasser"
    assert page.meta_keywords == "uv, lampe"
    assert page.lang == "de-de"


def test_headings_keep_inline_markup_together_and_skip_empty_ones(page: PageText) -> None:
    assert page.headings == ("UVC Anlagen", "Produkte")


def test_visible_text_drops_scripts_styles_templates_and_hidden_elements(page: PageText) -> None:
    assert "Erste Zeile Zweite" in page.text
    for invisible in (
        "script text",
        "color",
        "versteckt",
        "weg",
        "unsichtbar",
        "vorlage",
        "JavaScript",
        "svg label",
    ):
        assert invisible not in page.text
    assert page.script_count == 1


def test_links_are_same_site_absolute_and_deduplicated(page: PageText) -> None:
    assert page.links == (
        PageLink(url="https://aquaclear-uv.test/ueber-uns", text="Über uns"),
        PageLink(url="https://www.aquaclear-uv.test/produkte/", text="Produkte"),
    )


def test_word_count_counts_visible_words(page: PageText) -> None:
    assert page.word_count == count_words(page.text)
    assert page.word_count >= 8


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("UV-C lamps, 254 nm!", 5),
        ("Über uns — Lösungen", 3),
        ("关于我们", 2),
        ("我们生产紫外线灯 and ballasts", 6),
    ],
)
def test_count_words_counts_cjk_characters_as_half_words(text: str, words: int) -> None:
    assert count_words(text) == words


@pytest.mark.parametrize(
    ("content", "target"),
    [
        ("0; url=https://dan.com/buy/x", "https://dan.com/buy/x"),
        ("0;URL='/new'", "https://site.test/new"),
        ("1; url='http://site.test/a b'", "http://site.test/a%20b"),
        ("5;https://sedo.com/", "https://sedo.com/"),
        ("3600; url=/later", None),
        ("0", None),
        ("0; url=javascript:alert(1)", None),
    ],
)
def test_meta_refresh_target_is_read_when_it_redirects_promptly(content: str, target: str | None) -> None:
    html = f'<html><head><meta http-equiv="Refresh" content="{content}"></head><body></body></html>'
    assert extract_page_text(html, "https://site.test/page").meta_refresh_url == target


def test_base_href_is_used_for_relative_links() -> None:
    html = (
        '<html><head><base href="https://site.test/en/"></head><body><a href="about">About</a></body></html>'
    )
    assert extract_page_text(html, "https://site.test/").links == (
        PageLink(url="https://site.test/en/about", text="About"),
    )


def test_a_link_repeated_in_header_and_footer_is_kept_once_with_its_first_label() -> None:
    html = (
        '<body><nav><a href="/about">About us</a><a href="/products">Products</a></nav><p>UV lamps</p>'
        '<footer><a href="/about">Company</a><a href="/products">Range</a><a href="/contact">Contact</a>'
        "</footer></body>"
    )
    assert extract_page_text(html, "https://site.test/").links == (
        PageLink(url="https://site.test/about", text="About us"),
        PageLink(url="https://site.test/products", text="Products"),
        PageLink(url="https://site.test/contact", text="Contact"),
    )


def test_a_page_read_without_links_says_the_same_otherwise() -> None:
    with_links = extract_page_text(PAGE, "https://acme.test/")
    without = extract_page_text(PAGE, "https://acme.test/", max_links=0)
    assert with_links.links
    assert without == dataclasses.replace(with_links, links=())


def test_og_description_stands_in_for_a_missing_meta_description() -> None:
    html = '<html><head><meta property="og:description" content="UV lamps"></head><body></body></html>'
    assert extract_page_text(html, "https://site.test/").meta_description == "UV lamps"


@pytest.mark.parametrize(
    ("body", "content_type", "text"),
    [
        ("Société".encode("cp1252"), "text/html; charset=ISO-8859-1", "Société"),
        ("Société".encode(), "text/html; charset=utf-8", "Société"),
        (
            '<meta charset="windows-1251">Привет'.encode("cp1251"),
            "text/html",
            '<meta charset="windows-1251">Привет',
        ),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">紫外线'.encode("gb18030"),
            "text/html",
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">紫外线',
        ),
        ("Société".encode(), "text/html", "Société"),
        ("Société".encode("cp1252"), "text/html", "Société"),
        (b"\xef\xbb\xbfBOM wins", "text/html; charset=cp1252", "BOM wins"),
        ("UTF-16".encode("utf-16-le").join([b"\xff\xfe", b""]), "text/html", "UTF-16"),
        ("Zürich".encode()[:-1], "text/html", "Zürich"[:-1]),
        ("紫外线".encode()[:-1], "text/html", "紫外\ufffd"),
        (b"caf" + "中".encode()[:-1], "text/html", "caf" + "中".encode()[:-1].decode("cp1252")),
        (b"caf\xe9", "text/html; charset=no-such-charset", "café"),
    ],
)
def test_decode_html_picks_the_encoding_a_browser_would(body: bytes, content_type: str, text: str) -> None:
    assert decode_html(body, content_type) == text


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 200_000 + "deep",
        "<span>" * 100_000 + "<div>" * 100_000,
        "<div/>" * 200_000,
        "<div>" * 100_000 + "</x>" * 100_000,
        "<svg>" + "<g>" * 200_000,
        "<table>" * 100_000,
        "<a href=/x>" * 100_000,
        "<p>" * 100_000,
        "<li>" * 100_000,
        "<div><span hidden>" * 20_000,
        "<!--" + "<div>" * 100_000,
        "<script>" + "<div>" * 100_000,
        "<" * 500_000,
        "\x00" * 500_000,
        "<html><body>" + "uv " * 1_000_000,
    ],
    ids=lambda html: f"{html[:12]!r}x{len(html)}",
)
def test_hostile_html_is_parsed_quickly_and_with_capped_output(html: str) -> None:
    started = time.monotonic()
    page = extract_page_text(html, "https://site.test/")
    # Unguarded, the first case takes minutes: lexbor is quadratic in nesting depth.
    assert time.monotonic() - started < 5
    assert len(page.text) <= 100_000
    assert len(page.links) <= 300


def test_nesting_deeper_than_the_limit_cuts_the_document_and_says_so() -> None:
    shallow = extract_page_text("<div>" * (MAX_NESTING_DEPTH - 10) + "kept", "https://site.test/")
    deep = extract_page_text("<div>" * (MAX_NESTING_DEPTH + 10) + "lost", "https://site.test/")
    assert shallow.text == "kept"
    assert not shallow.is_truncated
    assert deep.is_truncated
    assert "lost" not in deep.text


def test_long_text_is_capped_and_flagged() -> None:
    page = extract_page_text("<p>" + "word " * 50_000 + "</p>", "https://site.test/", max_text_chars=1_000)
    assert len(page.text) == 1_000
    assert page.is_truncated


def _page_with_links(*links: tuple[str, str]) -> PageText:
    return PageText(
        url="https://site.test/",
        links=tuple(PageLink(url=f"https://site.test{path}", text=text) for path, text in links),
    )


@pytest.mark.parametrize(
    ("links", "chosen"),
    [
        (
            [
                ("/news", "News"),
                ("/products", "Products"),
                ("/about-us", "About us"),
                ("/contact", "Contact"),
            ],
            ["/about-us", "/products"],
        ),
        ([("/ueber-uns", "Über uns"), ("/produkte", "Produkte"), ("/loesungen", "Lösungen")], None),
        ([("/a-propos", "À propos"), ("/produits", "Nos produits")], None),
        ([("/empresa", "Empresa"), ("/productos", "Productos")], None),
        ([("/chi-siamo", "Chi siamo"), ("/prodotti", "Prodotti")], None),
        ([("/sobre-nos", "Sobre nós"), ("/produtos", "Produtos")], None),
        ([("/hakkimizda", "Hakkımızda"), ("/urunler", "Ürünler")], None),
        ([("/o-nas", "O nas"), ("/produkty", "Produkty")], None),
        ([("/o-kompanii", "О компании"), ("/produkciya", "Продукция")], None),
        ([("/about.html", "关于我们"), ("/products.html", "产品中心")], None),
        ([("/x1", "Qui sommes-nous ?"), ("/x2", "Solutions")], None),
        ([("/production-news", "Production news"), ("/blog", "Blog")], []),
        (
            [
                ("/about", "About"),
                ("/company", "Company"),
                ("/products", "Products"),
                ("/solutions", "Solutions"),
            ],
            ["/about", "/products", "/company"],
        ),
    ],
)
def test_pick_company_pages_finds_about_and_product_pages_in_many_languages(
    links: list[tuple[str, str]], chosen: list[str] | None
) -> None:
    expected = [path for path, _text in links] if chosen is None else chosen
    page = _page_with_links(*links)
    assert pick_company_pages(page, limit=3) == tuple(f"https://site.test{path}" for path in expected[:3])


def test_pick_company_pages_skips_the_page_itself() -> None:
    page = PageText(url="https://site.test/about", links=(PageLink("https://site.test/about", "About"),))
    assert pick_company_pages(page) == ()
