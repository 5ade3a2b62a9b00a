"""Is this email address deliverable: a verdict with reason codes from syntax, DNS and SMTP evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from disposable_email_domains import blocklist as _disposable_blocklist
from email_validator import EmailNotValidError, validate_email

# Types only: the look-ups and the probe happen in the shell, never here.
from leads.verification.resolver import AddressLookup, LookupStatus, MxLookup
from leads.verification.smtp_probe import SmtpOutcome, SmtpProbeResult


class EmailStatus(StrEnum):
    VALID = "valid"  # a mail host exists and nothing speaks against the mailbox
    INVALID = "invalid"  # proven undeliverable: bad syntax, no domain, no mail host, mailbox refused
    RISKY = "risky"  # deliverable perhaps, but worthless as proof: disposable, catch-all
    UNKNOWN = "unknown"  # the evidence could not settle it (DNS failed or was not gathered)


# Reason codes: a stable contract, stored and shown; never rename one.
SYNTAX = "syntax"
DOMAIN_NXDOMAIN = "domain_nxdomain"
NULL_MX = "null_mx"
NO_MAIL_HOST = "no_mail_host"
IMPLICIT_MX = "implicit_mx"
DNS_SERVFAIL = "dns_servfail"
DNS_TIMEOUT = "dns_timeout"
DNS_ERROR = "dns_error"
DNS_UNCHECKED = "dns_unchecked"
SMTP_ACCEPTED = "smtp_accepted"
SMTP_REJECTED = "smtp_rejected"
CATCH_ALL = "catch_all"
SMTP_TEMP_FAILURE = "smtp_temp_failure"
SMTP_TIMEOUT = "smtp_timeout"
SMTP_CONNECTION_FAILED = "smtp_connection_failed"
SMTP_INCONCLUSIVE = "smtp_inconclusive"
DISPOSABLE = "disposable"
FREE_PROVIDER = "free_provider"
ROLE_ACCOUNT = "role_account"


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    local_part: str  # NFC-normalized; case kept, since only the receiving host may fold it
    domain: str  # A-label, lower-case: the form DNS and SMTP use
    domain_unicode: str  # U-label form, for people

    @property
    def address(self) -> str:
        """The address in the form to look up and probe (A-label domain)."""
        return f"{self.local_part}@{self.domain}"

    @property
    def is_internationalized(self) -> bool:
        """A non-ASCII local part needs SMTPUTF8 (RFC 6531) on every hop."""
        return not self.local_part.isascii()


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    raw: str
    message: str  # email-validator's explanation, for people


@dataclass(frozen=True, slots=True)
class EmailEvidence:
    address: ParsedAddress | SyntaxProblem
    mx: MxLookup | None = None  # None: not looked up (always so for a SyntaxProblem)
    addresses: AddressLookup | None = None  # the domain's A/AAAA, needed only when there is no MX
    smtp: SmtpProbeResult | None = None  # None: not probed


@dataclass(frozen=True, slots=True)
class EmailVerdict:
    verdict: EmailStatus
    reasons: tuple[str, ...]
    mx_host: str | None  # the host mail would go to; None when there is none or DNS failed


def parse_address(raw: str, *, allow_test_domains: bool = False) -> ParsedAddress | SyntaxProblem:
    """Check an address's syntax and normalize it, without touching the network.

    Surrounding whitespace is dropped (pasted spreadsheet cells carry it).
    Internationalized local parts and IDN domains are accepted; the domain
    comes back as a lower-case A-label. Quoted local parts, IP literals and
    special-use domains (.test, .localhost, ...) are refused, as
    email-validator does by default; `allow_test_domains` lets .test through
    for the loopback fake internet of tests and benchmarks.
    """
    try:
        validated = validate_email(
            raw.strip(), check_deliverability=False, allow_smtputf8=True, test_environment=allow_test_domains
        )
    except EmailNotValidError as error:
        return SyntaxProblem(raw=raw, message=str(error))
    return ParsedAddress(
        local_part=validated.local_part,
        domain=validated.ascii_domain.lower(),
        domain_unicode=validated.domain,
    )


def judge_email(evidence: EmailEvidence) -> EmailVerdict:
    """Decide whether an address is deliverable from the gathered evidence.

    Severity wins: invalid over risky over unknown over valid. Only proof
    makes an address invalid (bad syntax, NXDOMAIN, null MX, no mail host,
    a 5xx "no such mailbox"). Transient failures (SERVFAIL, timeouts,
    greylisting, unreachable or blocked SMTP) never do: a DNS failure makes
    the verdict unknown, and an SMTP probe that did not conclude leaves the
    DNS verdict as it was, with a reason code, so turning probing on never
    lowers a verdict without new facts. Disposable domains and catch-all
    hosts are risky; free providers and role accounts are only noted.
    """
    parsed = evidence.address
    if isinstance(parsed, SyntaxProblem):
        return EmailVerdict(verdict=EmailStatus.INVALID, reasons=(SYNTAX,), mx_host=None)

    verdict, reasons, mx_host = _judge_dns(parsed.domain, evidence.mx, evidence.addresses)
    if verdict is EmailStatus.VALID and evidence.smtp is not None:
        verdict, smtp_reason = _judge_smtp(evidence.smtp)
        reasons.append(smtp_reason)
    if is_disposable_domain(parsed.domain):
        reasons.append(DISPOSABLE)
        verdict = _worse(verdict, EmailStatus.RISKY)
    if is_free_provider(parsed.domain):
        reasons.append(FREE_PROVIDER)
    if is_role_account(parsed.local_part):
        reasons.append(ROLE_ACCOUNT)
    return EmailVerdict(verdict=verdict, reasons=tuple(reasons), mx_host=mx_host)


_TRANSIENT_DNS_REASONS = {
    LookupStatus.SERVFAIL: DNS_SERVFAIL,
    LookupStatus.TIMEOUT: DNS_TIMEOUT,
    LookupStatus.ERROR: DNS_ERROR,
}


def _judge_dns(
    domain: str, mx: MxLookup | None, addresses: AddressLookup | None
) -> tuple[EmailStatus, list[str], str | None]:
    if mx is None:
        return EmailStatus.UNKNOWN, [DNS_UNCHECKED], None
    if mx.status in _TRANSIENT_DNS_REASONS:
        return EmailStatus.UNKNOWN, [_TRANSIENT_DNS_REASONS[mx.status]], None
    if mx.status is LookupStatus.NXDOMAIN:
        return EmailStatus.INVALID, [DOMAIN_NXDOMAIN], None
    if mx.records:
        hosts = [
            record.host for record in sorted(mx.records, key=lambda record: record.preference) if record.host
        ]
        # RFC 7505: a null MX means the domain takes no mail. A null MX next
        # to real hosts breaks that RFC; mail still flows to the real hosts.
        if not hosts:
            return EmailStatus.INVALID, [NULL_MX], None
        return EmailStatus.VALID, [], hosts[0]
    # RFC 5321 5.1: with no MX records the domain itself is the mail host.
    if addresses is None:
        return EmailStatus.UNKNOWN, [DNS_UNCHECKED], None
    if addresses.status in _TRANSIENT_DNS_REASONS:
        return EmailStatus.UNKNOWN, [_TRANSIENT_DNS_REASONS[addresses.status]], None
    if addresses.status is LookupStatus.OK and addresses.addresses:
        return EmailStatus.VALID, [IMPLICIT_MX], domain
    return EmailStatus.INVALID, [NO_MAIL_HOST], None


_SMTP_UNVERIFIED_REASONS = {
    SmtpOutcome.TEMP_FAILURE: SMTP_TEMP_FAILURE,
    SmtpOutcome.TIMEOUT: SMTP_TIMEOUT,
    SmtpOutcome.CONNECTION_FAILED: SMTP_CONNECTION_FAILED,
    SmtpOutcome.INCONCLUSIVE: SMTP_INCONCLUSIVE,
}


def _judge_smtp(smtp: SmtpProbeResult) -> tuple[EmailStatus, str]:
    if smtp.outcome is SmtpOutcome.REJECTED:
        return EmailStatus.INVALID, SMTP_REJECTED
    if smtp.outcome is SmtpOutcome.ACCEPTED:
        # A host that accepts a random mailbox accepts anything: acceptance proves nothing.
        if smtp.is_catch_all:
            return EmailStatus.RISKY, CATCH_ALL
        return EmailStatus.VALID, SMTP_ACCEPTED
    return EmailStatus.VALID, _SMTP_UNVERIFIED_REASONS[smtp.outcome]


_SEVERITY = (
    EmailStatus.VALID,
    EmailStatus.UNKNOWN,
    EmailStatus.RISKY,
    EmailStatus.INVALID,
)


def _worse(first: EmailStatus, second: EmailStatus) -> EmailStatus:
    return max(first, second, key=_SEVERITY.index)


def is_disposable_domain(domain: str) -> bool:
    """Whether the A-label domain, or a parent of it, is a known throw-away mail service."""
    labels = domain.lower().split(".")
    # Parents too: several throw-away services hand out any subdomain.
    return any(".".join(labels[index:]) in _disposable_blocklist for index in range(len(labels) - 1))


def is_free_provider(domain: str) -> bool:
    """Whether the A-label domain is a free consumer mail service (not a company's own)."""
    return domain.lower() in FREE_PROVIDER_DOMAINS


def is_role_account(local_part: str) -> bool:
    """Whether the local part names a function (sales@, info@) rather than a person."""
    # "+tag" is sub-addressing and separators vary: "no-reply", "no_reply", "noreply".
    base = local_part.lower().split("+", 1)[0]
    return _SEPARATORS.sub("", base) in ROLE_LOCAL_PARTS


_SEPARATORS = re.compile(r"[._-]")

FREE_PROVIDER_DOMAINS: frozenset[str] = frozenset(
    {
        # Google, Microsoft, Yahoo, AOL, Apple
        "gmail.com", "googlemail.com",
        "outlook.com", "outlook.de", "outlook.fr", "outlook.it", "outlook.es", "outlook.jp", "outlook.in",
        "outlook.com.br", "outlook.com.tr", "outlook.sa",
        "hotmail.com", "hotmail.co.uk", "hotmail.de", "hotmail.fr", "hotmail.it", "hotmail.es", "hotmail.nl",
        "hotmail.be", "hotmail.ca", "hotmail.com.br", "hotmail.com.ar", "hotmail.com.mx", "hotmail.co.jp",
        "hotmail.co.th", "hotmail.com.tr", "hotmail.my", "hotmail.ph", "hotmail.sg", "hotmail.com.au",
        "live.com", "live.co.uk", "live.de", "live.fr", "live.it", "live.nl", "live.be", "live.ca", "live.cn",
        "live.com.au", "live.com.mx", "live.com.ar", "live.in", "live.jp", "live.ru", "live.se", "live.dk",
        "msn.com", "passport.com", "windowslive.com",
        "yahoo.com", "yahoo.co.uk", "yahoo.de", "yahoo.fr", "yahoo.it", "yahoo.es", "yahoo.ca", "yahoo.com.au",
        "yahoo.co.in", "yahoo.in", "yahoo.co.jp", "yahoo.com.br", "yahoo.com.ar", "yahoo.com.mx", "yahoo.com.sg",
        "yahoo.com.hk", "yahoo.com.tw", "yahoo.com.ph", "yahoo.com.my", "yahoo.com.vn", "yahoo.co.id",
        "yahoo.co.th", "yahoo.gr", "yahoo.ie", "yahoo.pl", "yahoo.ro", "yahoo.se", "yahoo.dk", "yahoo.no",
        "ymail.com", "rocketmail.com",
        "aol.com", "aol.co.uk", "aol.de", "aol.fr", "aim.com",
        "icloud.com", "me.com", "mac.com",
        # Privacy and independent providers
        "protonmail.com", "protonmail.ch", "proton.me", "pm.me",
        "zoho.com", "zohomail.com", "zohomail.in", "zohomail.eu",
        "tutanota.com", "tutanota.de", "tuta.io", "tutamail.com",
        "fastmail.com", "fastmail.fm", "hushmail.com", "gmx.com", "gmx.net", "gmx.de", "gmx.at", "gmx.ch",
        "gmx.fr", "gmx.co.uk", "mail.com", "email.com", "usa.com", "post.com", "inbox.com",
        # Europe
        "web.de", "t-online.de", "freenet.de", "arcor.de", "posteo.de", "mailbox.org",
        "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "neuf.fr",
        "libero.it", "virgilio.it", "tiscali.it", "alice.it", "tin.it",
        "seznam.cz", "centrum.cz", "wp.pl", "o2.pl", "interia.pl", "onet.pl", "op.pl",
        "abv.bg", "inbox.lv", "btinternet.com", "sky.com", "virginmedia.com", "ntlworld.com",
        "telenet.be", "skynet.be", "bluewin.ch", "ziggo.nl", "kpnmail.nl", "home.nl",
        # Russia and neighbours
        "mail.ru", "bk.ru", "inbox.ru", "list.ru", "internet.ru",
        "yandex.ru", "yandex.com", "yandex.ua", "yandex.by", "yandex.kz", "yandex.com.tr", "ya.ru",
        "rambler.ru", "ukr.net", "i.ua", "meta.ua",
        # China
        "qq.com", "foxmail.com", "vip.qq.com", "163.com", "vip.163.com", "126.com", "vip.126.com",
        "yeah.net", "188.com", "sina.com", "sina.cn", "vip.sina.com", "sohu.com", "aliyun.com",
        "139.com", "189.cn", "wo.cn", "tom.com",
        # Korea, Japan, India, South-East Asia
        "naver.com", "daum.net", "hanmail.net", "nate.com",
        "yahoo.co.kr", "nifty.com", "docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp",
        "rediffmail.com", "rediff.com",
        # Americas, Oceania
        "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net", "charter.net",
        "earthlink.net", "optonline.net", "shaw.ca", "rogers.com", "sympatico.ca",
        "uol.com.br", "bol.com.br", "terra.com.br", "ig.com.br",
        "bigpond.com", "bigpond.net.au", "optusnet.com.au", "xtra.co.nz",
    }
)  # fmt: skip

ROLE_LOCAL_PARTS: frozenset[str] = frozenset(
    {
        # General
        "info", "information", "contact", "contactus", "hello", "hi", "office", "mail", "email", "enquiry",
        "enquiries", "inquiry", "inquiries", "general", "team", "company", "reception", "welcome",
        # Commerce
        "sales", "sale", "order", "orders", "shop", "store", "purchase", "purchasing", "procurement",
        "buyer", "buying", "export", "exports", "import", "imports", "trade", "trading", "business",
        "bd", "biz", "marketing", "partners", "partner", "quote", "quotes", "rfq", "tender", "tenders",
        "distribution", "dealer", "dealers", "wholesale",
        # Operations and back office
        "support", "service", "services", "customerservice", "cs", "help", "helpdesk", "care",
        "admin", "administrator", "accounts", "accounting", "billing", "finance", "invoice", "invoices",
        "hr", "jobs", "careers", "recruitment", "legal", "compliance", "logistics", "shipping",
        "operations", "ops", "production", "factory", "quality", "qa", "technical", "tech",
        "engineering", "it", "security", "press", "media", "pr", "news", "newsletter",
        # Mail system
        "noreply", "donotreply", "postmaster", "hostmaster", "webmaster", "abuse", "mailerdaemon",
        "root", "bounce", "bounces",
    }
)  # fmt: skip
