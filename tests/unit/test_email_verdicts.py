"""Email verdicts: evidence in, verdict out. Pure: no sockets, no database."""

from __future__ import annotations

import itertools

import pytest

from leads.verification import email
from leads.verification.email import (
    EmailEvidence,
    EmailStatus,
    EmailVerdict,
    ParsedAddress,
    SyntaxProblem,
    is_disposable_domain,
    is_free_provider,
    is_role_account,
    judge_email,
    parse_address,
)
from leads.verification.resolver import AddressLookup, LookupStatus, MxLookup, MxRecord
from leads.verification.smtp_probe import SmtpOutcome, SmtpProbeResult, classify_rcpt_reply


def parsed(raw: str) -> ParsedAddress:
    result = parse_address(raw)
    assert isinstance(result, ParsedAddress), result
    return result


ANNA = parsed("anna@acme.example")
SALES = parsed("sales@acme.example")
GMAIL = parsed("anna@gmail.com")
DISPOSABLE_ADDRESS = parsed("anna@mailinator.com")
IDN = parsed("anna@bücher.example")
UNICODE_LOCAL = parsed("пётр@пример.рф")

MX = MxLookup(LookupStatus.OK, (MxRecord(10, "mx1.acme.example"), MxRecord(20, "mx2.acme.example")))
MX_UNSORTED = MxLookup(
    LookupStatus.OK, (MxRecord(30, "backup.acme.example"), MxRecord(5, "primary.acme.example"))
)
NULL_MX = MxLookup(LookupStatus.OK, (MxRecord(0, ""),))
NULL_MX_BESIDE_HOST = MxLookup(LookupStatus.OK, (MxRecord(0, ""), MxRecord(10, "mx1.acme.example")))
NO_MX = MxLookup(LookupStatus.NO_ANSWER)
MX_NXDOMAIN = MxLookup(LookupStatus.NXDOMAIN)
MX_SERVFAIL = MxLookup(LookupStatus.SERVFAIL, error="SERVFAIL")
MX_TIMEOUT = MxLookup(LookupStatus.TIMEOUT, error="timed out")
MX_ERROR = MxLookup(LookupStatus.ERROR, error="refused")

HAS_ADDRESS = AddressLookup(LookupStatus.OK, ("192.0.2.10",))
NO_ADDRESS = AddressLookup(LookupStatus.NO_ANSWER)
ADDRESS_NXDOMAIN = AddressLookup(LookupStatus.NXDOMAIN)
ADDRESS_SERVFAIL = AddressLookup(LookupStatus.SERVFAIL)
ADDRESS_TIMEOUT = AddressLookup(LookupStatus.TIMEOUT)

SMTP_ACCEPTED = SmtpProbeResult(SmtpOutcome.ACCEPTED, (220, 250, 250, 250, 550), is_catch_all=False)
SMTP_ACCEPTED_CATCH_ALL_UNKNOWN = SmtpProbeResult(SmtpOutcome.ACCEPTED, (220, 250, 250, 250, 451))
SMTP_CATCH_ALL = SmtpProbeResult(SmtpOutcome.ACCEPTED, (220, 250, 250, 250, 250), is_catch_all=True)
SMTP_REJECTED = SmtpProbeResult(SmtpOutcome.REJECTED, (220, 250, 250, 550), is_catch_all=False)
SMTP_GREYLISTED = SmtpProbeResult(SmtpOutcome.TEMP_FAILURE, (220, 250, 250, 451))
SMTP_TIMEOUT = SmtpProbeResult(SmtpOutcome.TIMEOUT, (220, 250, 250))
SMTP_UNREACHABLE = SmtpProbeResult(SmtpOutcome.CONNECTION_FAILED)
SMTP_BLOCKED = SmtpProbeResult(SmtpOutcome.INCONCLUSIVE, (220, 250, 250, 550))

TRANSIENT_SMTP = (SMTP_GREYLISTED, SMTP_TIMEOUT, SMTP_UNREACHABLE, SMTP_BLOCKED)


def test_email_status_values_are_the_contract_strings() -> None:
    assert [status.value for status in EmailStatus] == ["valid", "invalid", "risky", "unknown"]


def test_reason_codes_are_the_published_lower_snake_strings() -> None:
    codes = {value for name, value in vars(email).items() if name.isupper() and isinstance(value, str)}

    assert codes == {
        "syntax",
        "domain_nxdomain",
        "null_mx",
        "no_mail_host",
        "implicit_mx",
        "dns_servfail",
        "dns_timeout",
        "dns_error",
        "dns_unchecked",
        "smtp_accepted",
        "smtp_rejected",
        "catch_all",
        "smtp_temp_failure",
        "smtp_timeout",
        "smtp_connection_failed",
        "smtp_inconclusive",
        "disposable",
        "free_provider",
        "role_account",
    }


@pytest.mark.parametrize(
    ("raw", "local_part", "domain", "domain_unicode"),
    [
        ("anna@acme.example", "anna", "acme.example", "acme.example"),
        ("Anna.Berg@ACME.Example", "Anna.Berg", "acme.example", "acme.example"),
        ("  anna@acme.example\t", "anna", "acme.example", "acme.example"),
        ("anna+leads@acme.example", "anna+leads", "acme.example", "acme.example"),
        ("anna@Bücher.example", "anna", "xn--bcher-kva.example", "bücher.example"),
        ("anna@xn--bcher-kva.example", "anna", "xn--bcher-kva.example", "bücher.example"),
        ("пётр@пример.рф", "пётр", "xn--e1afmkfd.xn--p1ai", "пример.рф"),
        ("josé@acme.example", "josé", "acme.example", "acme.example"),
    ],
)
def test_valid_syntax_is_normalized_to_a_label_domain(
    raw: str, local_part: str, domain: str, domain_unicode: str
) -> None:
    assert parse_address(raw) == ParsedAddress(
        local_part=local_part, domain=domain, domain_unicode=domain_unicode
    )


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "anna",
        "anna@",
        "@acme.example",
        "anna@@acme.example",
        "an na@acme.example",
        "anna..berg@acme.example",
        "anna@acme..example",
        "anna@acme",
        "anna@localhost",
        "anna@acme.test",
        "anna@[192.0.2.1]",
        "Anna Berg <anna@acme.example>",
        "anna@-acme.example",
    ],
)
def test_bad_syntax_is_a_syntax_problem(raw: str) -> None:
    result = parse_address(raw)

    assert isinstance(result, SyntaxProblem)
    assert result.raw == raw
    assert result.message


def test_internationalized_local_part_is_flagged_for_smtputf8() -> None:
    assert UNICODE_LOCAL.is_internationalized
    assert not IDN.is_internationalized
    assert UNICODE_LOCAL.address == "пётр@xn--e1afmkfd.xn--p1ai"


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        pytest.param(
            EmailEvidence(SyntaxProblem("anna", "no @")),
            EmailVerdict(EmailStatus.INVALID, ("syntax",), None),
            id="bad-syntax",
        ),
        pytest.param(
            EmailEvidence(ANNA, MX_NXDOMAIN),
            EmailVerdict(EmailStatus.INVALID, ("domain_nxdomain",), None),
            id="nxdomain",
        ),
        pytest.param(
            EmailEvidence(ANNA, NULL_MX),
            EmailVerdict(EmailStatus.INVALID, ("null_mx",), None),
            id="null-mx",
        ),
        pytest.param(
            EmailEvidence(ANNA, NULL_MX_BESIDE_HOST),
            EmailVerdict(EmailStatus.VALID, (), "mx1.acme.example"),
            id="null-mx-beside-a-real-host",
        ),
        pytest.param(
            EmailEvidence(ANNA, MX),
            EmailVerdict(EmailStatus.VALID, (), "mx1.acme.example"),
            id="mx",
        ),
        pytest.param(
            EmailEvidence(ANNA, MX_UNSORTED),
            EmailVerdict(EmailStatus.VALID, (), "primary.acme.example"),
            id="mx-host-is-the-lowest-preference",
        ),
        pytest.param(
            EmailEvidence(ANNA, NO_MX, HAS_ADDRESS),
            EmailVerdict(EmailStatus.VALID, ("implicit_mx",), "acme.example"),
            id="implicit-mx",
        ),
        pytest.param(
            EmailEvidence(ANNA, NO_MX, NO_ADDRESS),
            EmailVerdict(EmailStatus.INVALID, ("no_mail_host",), None),
            id="no-mx-no-address",
        ),
        pytest.param(
            EmailEvidence(ANNA, NO_MX, ADDRESS_NXDOMAIN),
            EmailVerdict(EmailStatus.INVALID, ("no_mail_host",), None),
            id="no-mx-address-nxdomain",
        ),
        pytest.param(
            EmailEvidence(ANNA, NO_MX, ADDRESS_SERVFAIL),
            EmailVerdict(EmailStatus.UNKNOWN, ("dns_servfail",), None),
            id="no-mx-address-servfail",
        ),
        pytest.param(
            EmailEvidence(ANNA, NO_MX, ADDRESS_TIMEOUT),
            EmailVerdict(EmailStatus.UNKNOWN, ("dns_timeout",), None),
            id="no-mx-address-timeout",
        ),
        pytest.param(
            EmailEvidence(ANNA, NO_MX),
            EmailVerdict(EmailStatus.UNKNOWN, ("dns_unchecked",), None),
            id="no-mx-address-not-looked-up",
        ),
        pytest.param(
            EmailEvidence(ANNA),
            EmailVerdict(EmailStatus.UNKNOWN, ("dns_unchecked",), None),
            id="mx-not-looked-up",
        ),
        pytest.param(
            EmailEvidence(ANNA, MX_SERVFAIL),
            EmailVerdict(EmailStatus.UNKNOWN, ("dns_servfail",), None),
            id="servfail",
        ),
        pytest.param(
            EmailEvidence(ANNA, MX_TIMEOUT),
            EmailVerdict(EmailStatus.UNKNOWN, ("dns_timeout",), None),
            id="dns-timeout",
        ),
        pytest.param(
            EmailEvidence(ANNA, MX_ERROR),
            EmailVerdict(EmailStatus.UNKNOWN, ("dns_error",), None),
            id="dns-error",
        ),
    ],
)
def test_dns_evidence_decides_the_verdict(evidence: EmailEvidence, expected: EmailVerdict) -> None:
    assert judge_email(evidence) == expected


@pytest.mark.parametrize(
    ("smtp", "verdict", "reason"),
    [
        (SMTP_ACCEPTED, EmailStatus.VALID, "smtp_accepted"),
        (SMTP_ACCEPTED_CATCH_ALL_UNKNOWN, EmailStatus.VALID, "smtp_accepted"),
        (SMTP_CATCH_ALL, EmailStatus.RISKY, "catch_all"),
        (SMTP_REJECTED, EmailStatus.INVALID, "smtp_rejected"),
        (SMTP_GREYLISTED, EmailStatus.VALID, "smtp_temp_failure"),
        (SMTP_TIMEOUT, EmailStatus.VALID, "smtp_timeout"),
        (SMTP_UNREACHABLE, EmailStatus.VALID, "smtp_connection_failed"),
        (SMTP_BLOCKED, EmailStatus.VALID, "smtp_inconclusive"),
    ],
)
def test_smtp_probe_refines_a_domain_with_mail_hosts(
    smtp: SmtpProbeResult, verdict: EmailStatus, reason: str
) -> None:
    assert judge_email(EmailEvidence(ANNA, MX, smtp=smtp)) == EmailVerdict(
        verdict, (reason,), "mx1.acme.example"
    )


def test_smtp_rejection_applies_to_implicit_mx_hosts() -> None:
    verdict = judge_email(EmailEvidence(ANNA, NO_MX, HAS_ADDRESS, SMTP_REJECTED))

    assert verdict == EmailVerdict(EmailStatus.INVALID, ("implicit_mx", "smtp_rejected"), "acme.example")


@pytest.mark.parametrize("mx", [MX_NXDOMAIN, NULL_MX, MX_SERVFAIL])
def test_smtp_evidence_is_ignored_when_dns_found_no_mail_host(mx: MxLookup) -> None:
    with_probe = judge_email(EmailEvidence(ANNA, mx, smtp=SMTP_ACCEPTED))

    assert with_probe == judge_email(EmailEvidence(ANNA, mx))


@pytest.mark.parametrize(
    ("dns", "smtp"),
    list(
        itertools.product(
            [
                (MX_SERVFAIL, None),
                (MX_TIMEOUT, None),
                (MX_ERROR, None),
                (NO_MX, ADDRESS_SERVFAIL),
                (NO_MX, ADDRESS_TIMEOUT),
                (MX, None),
                (NO_MX, HAS_ADDRESS),
            ],
            [None, *TRANSIENT_SMTP],
        )
    ),
)
def test_transient_failures_never_make_email_invalid(
    dns: tuple[MxLookup, AddressLookup | None], smtp: SmtpProbeResult | None
) -> None:
    mx, addresses = dns

    assert judge_email(EmailEvidence(ANNA, mx, addresses, smtp)).verdict is not EmailStatus.INVALID


@pytest.mark.parametrize("smtp", TRANSIENT_SMTP)
def test_inconclusive_probe_gives_the_same_verdict_as_no_probe(smtp: SmtpProbeResult) -> None:
    assert (
        judge_email(EmailEvidence(ANNA, MX, smtp=smtp)).verdict
        == judge_email(EmailEvidence(ANNA, MX)).verdict
    )


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        pytest.param(
            EmailEvidence(DISPOSABLE_ADDRESS, MX),
            EmailVerdict(EmailStatus.RISKY, ("disposable",), "mx1.acme.example"),
            id="disposable",
        ),
        pytest.param(
            EmailEvidence(DISPOSABLE_ADDRESS, MX, smtp=SMTP_ACCEPTED),
            EmailVerdict(EmailStatus.RISKY, ("smtp_accepted", "disposable"), "mx1.acme.example"),
            id="disposable-even-if-smtp-accepts",
        ),
        pytest.param(
            EmailEvidence(DISPOSABLE_ADDRESS, MX_NXDOMAIN),
            EmailVerdict(EmailStatus.INVALID, ("domain_nxdomain", "disposable"), None),
            id="disposable-and-nxdomain-is-invalid",
        ),
        pytest.param(
            EmailEvidence(DISPOSABLE_ADDRESS, MX_SERVFAIL),
            EmailVerdict(EmailStatus.RISKY, ("dns_servfail", "disposable"), None),
            id="disposable-is-known-even-when-dns-fails",
        ),
        pytest.param(
            EmailEvidence(GMAIL, MX),
            EmailVerdict(EmailStatus.VALID, ("free_provider",), "mx1.acme.example"),
            id="free-provider",
        ),
        pytest.param(
            EmailEvidence(SALES, MX),
            EmailVerdict(EmailStatus.VALID, ("role_account",), "mx1.acme.example"),
            id="role-account",
        ),
        pytest.param(
            EmailEvidence(parsed("export@163.com"), MX, smtp=SMTP_CATCH_ALL),
            EmailVerdict(
                EmailStatus.RISKY, ("catch_all", "free_provider", "role_account"), "mx1.acme.example"
            ),
            id="catch-all-free-role",
        ),
        pytest.param(
            EmailEvidence(IDN, MX, smtp=SMTP_ACCEPTED),
            EmailVerdict(EmailStatus.VALID, ("smtp_accepted",), "mx1.acme.example"),
            id="idn-domain",
        ),
        pytest.param(
            EmailEvidence(UNICODE_LOCAL, NO_MX, HAS_ADDRESS),
            EmailVerdict(EmailStatus.VALID, ("implicit_mx",), "xn--e1afmkfd.xn--p1ai"),
            id="internationalized-local-part",
        ),
    ],
)
def test_address_traits_add_reasons_and_risk(evidence: EmailEvidence, expected: EmailVerdict) -> None:
    assert judge_email(evidence) == expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("mailinator.com", True),
        ("yopmail.com", True),
        ("inbox.mailinator.com", True),
        ("acme.example", False),
        ("gmail.com", False),
        ("com", False),
    ],
)
def test_disposable_domains_include_their_subdomains(domain: str, expected: bool) -> None:
    assert is_disposable_domain(domain) is expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("gmail.com", True),
        ("googlemail.com", True),
        ("hotmail.co.uk", True),
        ("yahoo.co.jp", True),
        ("mail.ru", True),
        ("yandex.ru", True),
        ("qq.com", True),
        ("163.com", True),
        ("126.com", True),
        ("yeah.net", True),
        ("naver.com", True),
        ("rediffmail.com", True),
        ("web.de", True),
        ("GMAIL.COM", True),
        ("acme.example", False),
        ("mail.acme.example", False),
        ("gmail.com.example", False),
    ],
)
def test_free_providers_are_matched_by_exact_domain(domain: str, expected: bool) -> None:
    assert is_free_provider(domain) is expected


@pytest.mark.parametrize(
    ("local_part", "expected"),
    [
        ("info", True),
        ("Sales", True),
        ("sales+eu", True),
        ("purchasing", True),
        ("export", True),
        ("import", True),
        ("no-reply", True),
        ("do_not_reply", True),
        ("customer.service", True),
        ("hr", True),
        ("anna", False),
        ("anna.berg", False),
        ("salesforce", False),
        ("john.sales", False),
        ("пётр", False),
    ],
)
def test_role_accounts_ignore_case_tags_and_separators(local_part: str, expected: bool) -> None:
    assert is_role_account(local_part) is expected


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        (250, "2.1.5 OK", SmtpOutcome.ACCEPTED),
        (251, "User not local; will forward", SmtpOutcome.ACCEPTED),
        (550, "5.1.1 <anna@acme.example>: Recipient address rejected: User unknown", SmtpOutcome.REJECTED),
        (550, "No such user here", SmtpOutcome.REJECTED),
        (551, "User not local", SmtpOutcome.REJECTED),
        (553, "Mailbox name not allowed", SmtpOutcome.REJECTED),
        (550, "5.2.1 Mailbox disabled", SmtpOutcome.REJECTED),
        (550, "5.4.1 Recipient address rejected: Access denied", SmtpOutcome.REJECTED),
        (554, "5.1.1 Unknown recipient", SmtpOutcome.REJECTED),
        (451, "4.7.1 Greylisted, try again later", SmtpOutcome.TEMP_FAILURE),
        (450, "Mailbox busy", SmtpOutcome.TEMP_FAILURE),
        (421, "Too many connections", SmtpOutcome.TEMP_FAILURE),
        (550, "5.7.1 Service unavailable; client host blocked", SmtpOutcome.INCONCLUSIVE),
        (550, "Client host [192.0.2.1] listed at zen.spamhaus.org", SmtpOutcome.INCONCLUSIVE),
        (554, "5.7.1 Relay access denied", SmtpOutcome.INCONCLUSIVE),
        (552, "5.2.2 Mailbox full", SmtpOutcome.INCONCLUSIVE),
        (550, "5.1.8 Bad sender's system address", SmtpOutcome.INCONCLUSIVE),
        (554, "Transaction failed", SmtpOutcome.INCONCLUSIVE),
        (503, "Bad sequence of commands", SmtpOutcome.INCONCLUSIVE),
        (354, "Go ahead", SmtpOutcome.INCONCLUSIVE),
    ],
)
def test_only_mailbox_refusals_count_as_smtp_rejection(code: int, text: str, expected: SmtpOutcome) -> None:
    assert classify_rcpt_reply(code, text) is expected
