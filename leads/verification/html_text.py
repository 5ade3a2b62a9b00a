"""Decides what a page says: decoded text, title, headings, visible words and same-site links of fetched HTML."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from selectolax.lexbor import LexborHTMLParser, LexborNode

from leads.verification.urls import NormalizedUrl, normalize_url, registered_domain

# Lexbor's tree builder scans the open-element stack on every block start
# tag, so deep nesting costs O(depth²): 40,000 nested <div>s take seconds and
# a 2 MB page of them takes minutes. Browsers cap depth (Chromium at 512);
# the document is cut where it would exceed this.
MAX_NESTING_DEPTH = 512
# Bigger than any real page's HTML we keep; the fetcher already caps bodies.
MAX_HTML_CHARS = 3_000_000
MAX_TEXT_CHARS = 100_000
MAX_LINKS = 300
MAX_HEADINGS = 60
MAX_FIELD_CHARS = 1_000
# Meta refreshes slower than this are "read this first" notices, not redirects.
MAX_REFRESH_DELAY_S = 10.0

_DROPPED_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "head",
]
_VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "basefont",
        "bgsound",
        "frame",
    ]
)
_RAW_TEXT_TAGS = frozenset(
    ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"]
)
# Opening one of these closes an open sibling of the same name (HTML's
# implied end tags), so unclosed <p>/<li> lists do not pile up.
_SELF_SIBLING_TAGS = frozenset(
    ["p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "rb", "rt", "rp", "rtc"]
)
_BLOCK_TAGS = (
    "address|article|aside|blockquote|br|dd|details|dialog|div|dl|dt|fieldset|figcaption|figure|footer|form|"
    "h[1-6]|header|hgroup|hr|li|main|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul|option|button"
)
_BLOCK_START = re.compile(rf"<(/?)({_BLOCK_TAGS})\b", re.IGNORECASE)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]{0,60})|<!--", re.ASCII)
_SPACES = re.compile(r"\s+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_REFRESH = re.compile(
    r"^\s*(\d+(?:\.\d*)?)?\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(.*?)\2\s*$", re.IGNORECASE | re.DOTALL
)
_META_CHARSET = re.compile(rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]{1,40})", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]{1,40})", re.IGNORECASE)
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_SKIPPED_LINK_EXTENSIONS = re.compile(
    r"\.(?:pdf|jpe?g|png|gif|webp|svg|zip|rar|7z|gz|docx?|xlsx?|pptx?|mp4|mp3|avi|mov|exe|dmg|apk)$",
    re.IGNORECASE,
)

# WHATWG Encoding: labels a browser treats as a superset encoding.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "windows-1252": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "x-sjis": "shift_jis",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}


@dataclass(frozen=True, slots=True)
class PageLink:
    url: str  # absolute, canonical, same registered domain as the page
    text: str


@dataclass(frozen=True, slots=True)
class PageText:
    """What a page says, ready for verdicts and fit scoring."""

    url: str
    lang: str = ""
    title: str = ""
    meta_description: str = ""
    meta_keywords: str = ""
    headings: tuple[str, ...] = ()  # h1-h3 in document order
    text: str = ""  # visible body text, whitespace collapsed
    word_count: int = 0  # CJK characters count as half a word each
    links: tuple[PageLink, ...] = ()
    meta_refresh_url: str | None = None
    script_count: int = (
        0  # <script> elements: a near-empty page with scripts is likely rendered in the browser
    )
    is_truncated: bool = False  # the HTML was cut (size or nesting) or the text capped


def decode_html(body: bytes, content_type: str = "") -> str:
    """Decode an HTML body the way a browser picks its encoding: BOM, then header charset, then <meta>, then UTF-8, then windows-1252."""
    for bom, bom_encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if body.startswith(bom):
            return body[len(bom) :].decode(bom_encoding, errors="replace")
    header_match = _HEADER_CHARSET.search(content_type or "")
    encoding = _known_encoding(header_match.group(1)) if header_match else None
    if encoding is None:
        meta_match = _META_CHARSET.search(body[:4096])
        encoding = _known_encoding(meta_match.group(1).decode("ascii")) if meta_match else None
        if encoding is not None and encoding.startswith("utf-16"):
            encoding = "utf-8"  # HTML spec: a <meta> can only be read if the bytes are ASCII-compatible
    if encoding is not None:
        return body.decode(encoding, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        # A UTF-8 body cut by the size cap may end inside a sequence; it is
        # still UTF-8 if what came before already held multi-byte characters.
        is_cut_short = error.start >= len(body) - 3 and error.reason == "unexpected end of data"
        if is_cut_short and not body[: error.start].isascii():
            return body.decode("utf-8", errors="replace")
    return body.decode("cp1252", errors="replace")


def _known_encoding(label: str) -> str | None:
    name = label.strip().lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def count_words(text: str) -> int:
    """Words in text; runs of CJK characters have no spaces, so two characters count as one word."""
    tokens = _WORD.findall(text)
    cjk = sum(1 for token in tokens if _CJK_CHAR.fullmatch(token))
    return (len(tokens) - cjk) + (cjk + 1) // 2


def extract_page_text(
    html: str, url: str, *, max_text_chars: int = MAX_TEXT_CHARS, max_links: int = MAX_LINKS
) -> PageText:
    """Parse a page and return its title, meta tags, headings, visible text and same-site links.

    Survives hostile markup: input is cut at MAX_HTML_CHARS and wherever
    nesting exceeds MAX_NESTING_DEPTH, and every output field is capped.
    """
    is_truncated = len(html) > MAX_HTML_CHARS
    html = html[:MAX_HTML_CHARS]
    cut = _nesting_cut(html)
    if cut is not None:
        html, is_truncated = html[:cut], True
    # Block boundaries become spaces, so "<p>a</p><p>b</p>" reads "a b" while
    # "Vis<b>ible</b>" stays one word.
    html = _BLOCK_START.sub(r" <\1\2", html)
    tree = LexborHTMLParser(html)

    root = tree.css_first("html")
    lang = _clip(root.attributes.get("lang") or "", 35).lower() if root is not None else ""
    title_node = tree.css_first("head title") or tree.css_first("title")
    title = _clip(_collapse(title_node.text()) if title_node is not None else "")
    meta_description, meta_keywords, refresh_content = _meta_values(tree)
    script_count = len(tree.css("script"))
    base_url = _base_url(tree, url)
    meta_refresh_url = _refresh_target(refresh_content, base_url) if refresh_content else None

    _drop_hidden(tree)
    tree.strip_tags(_DROPPED_TAGS)
    headings = tuple(
        heading
        for heading in (_clip(_collapse(node.text()), 300) for node in tree.css("h1, h2, h3")[:MAX_HEADINGS])
        if heading
    )
    body = tree.body
    text = _collapse(body.text()) if body is not None else ""
    if len(text) > max_text_chars:
        text, is_truncated = text[:max_text_chars], True
    links = _same_site_links(tree, base_url, url, max_links)
    return PageText(
        url=url,
        lang=lang,
        title=title,
        meta_description=meta_description,
        meta_keywords=meta_keywords,
        headings=headings,
        text=text,
        word_count=count_words(text),
        links=links,
        meta_refresh_url=meta_refresh_url,
        script_count=script_count,
        is_truncated=is_truncated,
    )


def _nesting_cut(html: str) -> int | None:
    """Offset where the open-element depth would exceed MAX_NESTING_DEPTH, or None."""
    if html.count("<") - html.count("</") <= MAX_NESTING_DEPTH:
        return None  # fewer start tags than the limit: it cannot be reached
    stack: list[str] = []
    foreign_depth = 0  # inside <svg>/<math>, "<x/>" really is self-closing
    position = 0
    length = len(html)
    while position < length:
        match = _TAG.search(html, position)
        if match is None:
            return None
        if match.group(0) == "<!--":
            end = html.find("-->", match.end())
            if end == -1:
                return None
            position = end + 3
            continue
        is_end, name = match.group(1) == "/", match.group(2).lower()
        tag_end = html.find(">", match.end())
        if tag_end == -1:
            return None
        position = tag_end + 1
        if is_end:
            if name in stack:
                while stack:
                    popped = stack.pop()
                    if popped in ("svg", "math"):
                        foreign_depth -= 1
                    if popped == name:
                        break
            continue
        if name in _VOID_TAGS or (foreign_depth and html[tag_end - 1] == "/"):
            continue
        if name in _RAW_TEXT_TAGS:
            closing = re.compile(rf"</{name}\b", re.IGNORECASE).search(html, position)
            if closing is None:
                return None
            position = closing.start()
            continue
        if name in _SELF_SIBLING_TAGS and name in stack[-3:]:
            while stack and stack.pop() != name:
                pass
        if name in ("svg", "math"):
            foreign_depth += 1
        stack.append(name)
        if len(stack) > MAX_NESTING_DEPTH:
            return match.start()
    return None


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def _clip(text: str, limit: int = MAX_FIELD_CHARS) -> str:
    return text[:limit]


def _meta_values(tree: LexborHTMLParser) -> tuple[str, str, str]:
    description = keywords = refresh = og_description = ""
    for node in tree.css("meta")[:200]:
        attributes = node.attributes
        name = (attributes.get("name") or attributes.get("property") or "").strip().lower()
        content = _clip(_collapse(attributes.get("content") or ""))
        if name == "description" and not description:
            description = content
        elif name == "og:description" and not og_description:
            og_description = content
        elif name == "keywords" and not keywords:
            keywords = content
        elif (attributes.get("http-equiv") or "").strip().lower() == "refresh" and not refresh:
            refresh = attributes.get("content") or ""
    return description or og_description, keywords, refresh


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    base = tree.css_first("base[href]")
    if base is None:
        return url
    resolved = normalize_url(base.attributes.get("href") or "", base=url)
    return resolved.url if isinstance(resolved, NormalizedUrl) else url


def _refresh_target(content: str, base_url: str) -> str | None:
    match = _REFRESH.match(content[:2000])
    if match is None or not match.group(3).strip():
        return None
    delay_text = match.group(1)
    if delay_text is not None and float(delay_text) > MAX_REFRESH_DELAY_S:
        return None
    target = normalize_url(match.group(3).strip(), base=base_url)
    return target.url if isinstance(target, NormalizedUrl) else None


def _drop_hidden(tree: LexborHTMLParser) -> None:
    hidden = [
        node
        for node in tree.css("[hidden], [style]")
        if "hidden" in node.attributes or _HIDDEN_STYLE.search(node.attributes.get("style") or "")
    ]
    hidden_ids = {node.mem_id for node in hidden}
    # Only the outermost hidden nodes: decomposing an ancestor frees its
    # descendants, so touching them afterwards would use freed memory.
    for node in hidden:
        if not _has_ancestor_in(node, hidden_ids):
            node.decompose()


def _has_ancestor_in(node: LexborNode, ids: set[int]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _same_site_links(
    tree: LexborHTMLParser, base_url: str, page_url: str, max_links: int
) -> tuple[PageLink, ...]:
    if max_links <= 0:
        return ()
    page = normalize_url(page_url)
    if not isinstance(page, NormalizedUrl):
        return ()
    site = registered_domain(page.host)
    seen: set[str] = {page.url}
    # Menus repeat in headers and footers: an href already judged on this page
    # would be judged the same way again, so it is skipped before normalizing.
    hrefs_seen: set[str] = set()
    links: list[PageLink] = []
    for node in tree.css("a[href]")[: max_links * 5]:
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith("#") or href in hrefs_seen:
            continue
        hrefs_seen.add(href)
        target = normalize_url(href, base=base_url)
        if not isinstance(target, NormalizedUrl) or target.url in seen:
            continue
        if registered_domain(target.host) != site or _SKIPPED_LINK_EXTENSIONS.search(
            target.path.partition("?")[0]
        ):
            continue
        seen.add(target.url)
        label = _collapse(node.text(separator=" ")) or _collapse(node.attributes.get("title") or "")
        links.append(PageLink(url=target.url, text=_clip(label, 200)))
        if len(links) >= max_links:
            break
    return tuple(links)


# Link texts and URL slugs that lead to pages describing the company and
# what it sells, in the languages of the export markets.
ABOUT_KEYWORDS = (
    "about",
    "about us",
    "who we are",
    "company",
    "our company",
    "company profile",
    "über uns",
    "ueber uns",
    "uber uns",
    "unternehmen",
    "à propos",
    "a propos",
    "qui sommes-nous",
    "qui sommes nous",
    "société",
    "sobre nosotros",
    "quiénes somos",
    "quienes somos",
    "empresa",
    "chi siamo",
    "azienda",
    "sobre nós",
    "sobre nos",
    "quem somos",
    "hakkımızda",
    "hakkimizda",
    "kurumsal",
    "o nas",
    "o firmie",
    "о компании",
    "о нас",
    "o kompanii",
    "关于我们",
    "公司简介",
    "公司介绍",
    "会社概要",
    "企業情報",
    "회사소개",
    "من نحن",
)
PRODUCT_KEYWORDS = (
    "products",
    "product",
    "solutions",
    "applications",
    "catalog",
    "catalogue",
    "produkte",
    "produkt",
    "lösungen",
    "loesungen",
    "anwendungen",
    "katalog",
    "produits",
    "produit",
    "productos",
    "soluciones",
    "aplicaciones",
    "prodotti",
    "soluzioni",
    "applicazioni",
    "produtos",
    "soluções",
    "solucoes",
    "aplicações",
    "ürünler",
    "urunler",
    "çözümler",
    "uygulamalar",
    "produkty",
    "rozwiązania",
    "zastosowania",
    "продукция",
    "продукты",
    "каталог",
    "решения",
    "produktsiya",
    "产品",
    "产品中心",
    "解决方案",
    "製品",
    "제품",
    "منتجات",
)


def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = []
    for keyword in sorted(keywords, key=len, reverse=True):
        escaped = re.escape(keyword.casefold())
        # CJK scripts have no spaces between words, so no boundaries there.
        alternatives.append(escaped if _CJK_CHAR.search(keyword) else rf"(?<!\w){escaped}(?!\w)")
    return re.compile("|".join(alternatives))


_ABOUT_PATTERN = _keyword_pattern(ABOUT_KEYWORDS)
_PRODUCT_PATTERN = _keyword_pattern(PRODUCT_KEYWORDS)
_SLUG_SEPARATORS = re.compile(r"[-_/.+]+")


def pick_company_pages(page: PageText, limit: int = 3) -> tuple[str, ...]:
    """Choose up to limit same-site links most likely to describe the company: about first, then products, then more of either."""
    about: list[str] = []
    products: list[str] = []
    for link in page.links:
        if link.url == page.url:
            continue
        path = unquote(link.url.split("://", 1)[-1].partition("/")[2].partition("?")[0])
        haystack = f"{link.text.casefold()} | {_SLUG_SEPARATORS.sub(' ', path.casefold())}"
        if _ABOUT_PATTERN.search(haystack):
            about.append(link.url)
        elif _PRODUCT_PATTERN.search(haystack):
            products.append(link.url)
    chosen: list[str] = []
    # Interleave so both what the company is and what it sells get read.
    for index in range(max(len(about), len(products))):
        for group in (about, products):
            if index < len(group) and group[index] not in chosen:
                chosen.append(group[index])
    return tuple(chosen[:limit])
