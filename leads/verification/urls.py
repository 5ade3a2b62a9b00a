"""Decides what URL a lead's website text means, and which registered domain (organization) a host belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from urllib.parse import quote, unquote, urljoin

import idna
import tldextract

from leads.verification.ssrf import literal_address

DEFAULT_PORT = {"http": 80, "https": 443}

# Snapshot only: with no suffix-list URLs and no cache directory tldextract
# never touches the network or the disk, so the answer depends only on the
# installed package version.
_EXTRACT = tldextract.TLDExtract(
    cache_dir=None,
    suffix_list_urls=(),
    fallback_to_snapshot=True,
    # Private suffixes (blogspot.com, myshopify.com, github.io) are separate
    # owners: acme.myshopify.com and rival.myshopify.com are two organizations.
    include_psl_private_domains=True,
)


class UrlProblemReason(StrEnum):
    EMPTY = "empty"  # nothing usable after trimming junk
    BAD_SCHEME = "bad_scheme"  # anything but http/https (file:, ftp:, javascript:, data:, mailto:...)
    BAD_HOST = "bad_host"  # missing, single-label, malformed or not IDNA-valid host
    BAD_PORT = "bad_port"  # non-numeric or out of 1..65535


@dataclass(frozen=True, slots=True)
class UrlProblem:
    reason: UrlProblemReason
    detail: str = ""


@dataclass(frozen=True, slots=True)
class NormalizedUrl:
    """An absolute http(s) URL in canonical form: A-label lower-case host, no userinfo or fragment."""

    scheme: str
    host: str  # A-labels, lower-case, no trailing dot; IPv6 without brackets
    port: int  # always set: the default port when the URL names none
    path: str  # percent-encoded path plus "?query", starts with "/"
    is_scheme_assumed: bool = False  # the input had no scheme, https was assumed

    @property
    def url(self) -> str:
        return f"{self.origin}{self.path}"

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port == DEFAULT_PORT[self.scheme]:
            return f"{self.scheme}://{host}"
        return f"{self.scheme}://{host}:{self.port}"

    def with_scheme(self, scheme: str) -> NormalizedUrl:
        """The same URL over another scheme; a default port follows the scheme."""
        port = DEFAULT_PORT[scheme] if self.port == DEFAULT_PORT[self.scheme] else self.port
        return replace(self, scheme=scheme, port=port)


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_LDH_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
# WHATWG URL parsing drops ASCII tab and newlines anywhere in the input.
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
# WHATWG URL parsing also trims C0 controls and spaces at both ends.
_C0_CONTROL_OR_SPACE = "".join(chr(code) for code in range(0x21))
_LEADING_JUNK = "\"'`<([{ \u00a0\u200b\ufeff"
_TRAILING_JUNK = "\"'`>)]}.,;:!?* \u00a0\u200b\ufeff"
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = "/?%:@!$&'()*+,;=-._~"


def normalize_website(raw: str) -> NormalizedUrl | UrlProblem:
    """Read a website as typed into a form or spreadsheet and return its canonical URL, or why it is unusable.

    Lenient about what people paste: surrounding quotes, "<...>", trailing
    punctuation ("www.x.com/)", "x.com,"), a missing scheme (https is assumed
    and flagged so the shell can fall back to http), and a second word after
    the address ("www.x.com (main site)").
    """
    text = _TAB_NEWLINE.sub("", raw or "").strip().strip(_LEADING_JUNK)
    text = text.split()[0] if text.split() else ""
    text = text.strip(_LEADING_JUNK).rstrip(_TRAILING_JUNK)
    if not text:
        return UrlProblem(UrlProblemReason.EMPTY, raw or "")
    scheme = _scheme_of(text)
    if scheme is None:
        body = text[2:] if text.startswith("//") else text
        result = _from_parts("https", body, raw)
        return replace(result, is_scheme_assumed=True) if isinstance(result, NormalizedUrl) else result
    return normalize_url(text)


def normalize_url(raw: str, base: str | None = None) -> NormalizedUrl | UrlProblem:
    """Canonicalise an absolute URL, or a relative one against base (a Location header or a link href).

    Strict: no junk trimming and no scheme guessing, because these come
    from servers, where a browser would not guess either.
    """
    text = _TAB_NEWLINE.sub("", raw or "").strip(_C0_CONTROL_OR_SPACE)
    if not text:
        return UrlProblem(UrlProblemReason.EMPTY, raw or "")
    scheme = _scheme_of(text)
    if scheme is None:
        if base is None:
            return UrlProblem(UrlProblemReason.BAD_HOST, f"relative URL without a base: {raw!r}")
        # Browsers read "\" as "/" in http(s) URLs, so "/\evil.com" is protocol-relative.
        joined = urljoin(base, text.replace("\\", "/"))
        scheme = _scheme_of(joined)
        if scheme is None:
            return UrlProblem(UrlProblemReason.BAD_HOST, raw)
        text = joined
    if scheme not in DEFAULT_PORT:
        return UrlProblem(UrlProblemReason.BAD_SCHEME, scheme)
    # "http:x.com", "http:\\x.com" and "http:///x.com" all mean http://x.com to a browser.
    body = text[len(scheme) + 1 :].replace("\\", "/").lstrip("/")
    return _from_parts(scheme, body, raw)


def _scheme_of(text: str) -> str | None:
    match = _SCHEME.match(text)
    if match is None:
        return None
    candidate = match.group(1)
    rest = text[match.end() :]
    # "x.com:8080/path" and "localhost:8080" are host:port, not a scheme.
    if "." in candidate or re.match(r"^\d", rest):
        return None
    return candidate.lower()


def _from_parts(scheme: str, body: str, raw: str) -> NormalizedUrl | UrlProblem:
    authority_end = len(body)
    for separator in "/?#":
        position = body.find(separator)
        if position != -1:
            authority_end = min(authority_end, position)
    authority, rest = body[:authority_end], body[authority_end:]
    # RFC 3986: userinfo ends at the last "@"; dropping it is what a browser's
    # connection does, and the host after it is what gets vetted.
    host_port = authority.rpartition("@")[2]
    split = _split_port(host_port)
    if isinstance(split, UrlProblem):
        return split
    host_text, port = split
    host = normalize_host(host_text)
    if host is None:
        return UrlProblem(UrlProblemReason.BAD_HOST, raw)
    path = _normalize_path(rest)
    return NormalizedUrl(scheme=scheme, host=host, port=port or DEFAULT_PORT[scheme], path=path)


def _split_port(host_port: str) -> tuple[str, int | None] | UrlProblem:
    if host_port.startswith("["):
        closing = host_port.find("]")
        if closing == -1:
            return UrlProblem(UrlProblemReason.BAD_HOST, host_port)
        host_text, after = host_port[: closing + 1], host_port[closing + 1 :]
        if after and not after.startswith(":"):
            return UrlProblem(UrlProblemReason.BAD_HOST, host_port)
        port_text = after[1:]
    else:
        host_text, _, port_text = host_port.partition(":")
        if ":" in port_text:
            return UrlProblem(UrlProblemReason.BAD_HOST, host_port)
    if not port_text:
        return host_text, None
    if not port_text.isascii() or not port_text.isdigit() or not 0 < int(port_text) <= 65535:
        return UrlProblem(UrlProblemReason.BAD_PORT, port_text)
    return host_text, int(port_text)


def normalize_host(host_text: str) -> str | None:
    """Canonical host: IP literals in their standard form, names as lower-case A-labels; None when invalid."""
    if host_text.startswith("[") and host_text.endswith("]"):
        try:
            address = literal_address(host_text)
        except ValueError:
            return None
        return None if address is None else str(address)
    # WHATWG: the host is percent-decoded and UTS 46 mapped before the IPv4
    # check, so "%31%32%37.0.0.1" and full-width digits are IP literals too.
    decoded = unquote(host_text)
    try:
        mapped = idna.uts46_remap(decoded, std3_rules=False, transitional=False)
    except (idna.IDNAError, UnicodeError, ValueError):
        return None
    mapped = mapped.lower()
    try:
        address = literal_address(mapped)
    except ValueError:
        return None
    if address is not None:
        return str(address)
    return _name_to_ascii(mapped.removesuffix("."))


def _name_to_ascii(name: str) -> str | None:
    labels = name.split(".")
    if len(labels) < 2:
        return None  # a single label ("localhost", "intranet") is never a public website
    ascii_labels: list[str] = []
    for label in labels:
        ascii_label = _label_to_ascii(label)
        if ascii_label is None:
            return None
        ascii_labels.append(ascii_label)
    if not _TLD.match(ascii_labels[-1]):
        return None
    result = ".".join(ascii_labels)
    return result if len(result) <= 253 else None


def _label_to_ascii(label: str) -> str | None:
    if label.isascii():
        if not _LDH_LABEL.match(label):
            return None
        if label.startswith("xn--"):
            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError):
                return None
        return label
    try:
        encoded = idna.encode(label, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return None
    return encoded if _LDH_LABEL.match(encoded) else None


def _normalize_path(rest: str) -> str:
    without_fragment = rest.partition("#")[0]
    path, question, query = without_fragment.partition("?")
    path = quote(path or "/", safe=_PATH_SAFE)
    if not path.startswith("/"):
        path = "/" + path
    if question:
        return f"{path}?{quote(query, safe=_QUERY_SAFE)}"
    return path


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str:
    """The domain a registrant owns: "shop.acme.co.uk" -> "acme.co.uk"; IPs and suffix-less hosts as given.

    Hosts under a TLD missing from the bundled Public Suffix List snapshot
    (".test", ".internal") keep their last two labels, so test and intranet
    names still group by organization.
    """
    text = host.strip().strip("[]").lower().removesuffix(".")
    if not text:
        return ""
    try:
        if literal_address(text) is not None:
            return text
    except ValueError:
        return text
    extracted = _EXTRACT.extract_str(text)
    if extracted.suffix and extracted.domain:
        return extracted.top_domain_under_public_suffix
    if extracted.suffix:
        return text  # the host is itself a public suffix ("co.uk")
    labels = text.split(".")
    return ".".join(labels[-2:])


def is_same_organization(domain_a: str, domain_b: str) -> bool:
    """True when both hosts share a registered domain.

    A differing public suffix (acme.com vs acme.co) is not enough: that is the
    classic look-alike trick, so only the registrant's exact domain counts.
    """
    first = registered_domain(_ascii_host(domain_a))
    second = registered_domain(_ascii_host(domain_b))
    return bool(first) and first == second


def _ascii_host(host: str) -> str:
    normalized = normalize_host(host.strip())
    return normalized if normalized is not None else host.strip().lower()
