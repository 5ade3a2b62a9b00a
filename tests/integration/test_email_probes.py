"""Email probes against real DNS and SMTP servers on loopback; no database."""

# The fixtures are imported by name for pytest, so ruff sees the parameters as redefinitions.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import time

import dns.asyncquery
import dns.message
import pytest

from leads.verification.email import (
    EmailEvidence,
    EmailStatus,
    EmailVerdict,
    ParsedAddress,
    judge_email,
    parse_address,
)
from leads.verification.probes import ProbeConfig, Prober
from leads.verification.resolver import (
    AddressLookup,
    LookupStatus,
    MxLookup,
    MxRecord,
    NameLookup,
    ResolverConfig,
    lookup_addresses,
    lookup_mx,
    lookup_ns,
    parse_nameservers,
)
from leads.verification.smtp_probe import SmtpOutcome, SmtpProbeConfig, probe_mailbox
from tests.fakenet.dns_server import FakeDnsServer
from tests.fakenet.fixtures import (  # noqa: F401 - pytest finds fixtures by name
    MailDomains,
    dns_config,
    dns_server,
    fake_dns,
    fake_smtp,
    mail_domains,
    smtp_server,
)
from tests.fakenet.smtp_server import DomainPolicy, FakeSmtpServer


async def gather_evidence(raw: str, dns: ResolverConfig, mail_domains: MailDomains) -> EmailEvidence:
    """Parse, look up and probe the way the shell does, against the loopback fakes."""
    parsed = parse_address(raw)
    if not isinstance(parsed, ParsedAddress):
        return EmailEvidence(parsed)
    mx = await lookup_mx(parsed.domain, dns)
    addresses = None
    if mx.status is LookupStatus.NO_ANSWER:
        addresses = await lookup_addresses(parsed.domain, dns)
    hosts = [record.host for record in mx.records if record.host]
    if not hosts and addresses is not None and addresses.status is LookupStatus.OK:
        hosts = [parsed.domain]
    if not hosts:
        return EmailEvidence(parsed, mx, addresses)
    host_lookups = await asyncio.gather(*(lookup_addresses(host, dns) for host in hosts))
    host_addresses = {host: lookup.addresses for host, lookup in zip(hosts, host_lookups, strict=True)}
    smtp = await probe_mailbox(parsed.address, hosts, mail_domains.probe_config(host_addresses))
    return EmailEvidence(parsed, mx, addresses, smtp)


def verify(raw: str, dns: ResolverConfig, mail_domains: MailDomains) -> EmailVerdict:
    return judge_email(asyncio.run(gather_evidence(raw, dns, mail_domains)))


# DNS look-ups


def test_mx_lookup_returns_hosts_best_first(fake_dns: FakeDnsServer, dns_config: ResolverConfig) -> None:
    fake_dns.set_name("acme.example", mx=[(20, "MX2.acme.example"), (10, "mx1.acme.example")])

    lookup = asyncio.run(lookup_mx("acme.example", dns_config))

    assert lookup == MxLookup(
        LookupStatus.OK, (MxRecord(10, "mx1.acme.example"), MxRecord(20, "mx2.acme.example"))
    )


def test_null_mx_is_reported_as_an_empty_host(fake_dns: FakeDnsServer, dns_config: ResolverConfig) -> None:
    fake_dns.set_name("nomail.example", mx=[(0, ".")])

    assert asyncio.run(lookup_mx("nomail.example", dns_config)) == MxLookup(
        LookupStatus.OK, (MxRecord(0, ""),)
    )


@pytest.mark.parametrize(
    ("setup", "status"),
    [
        ("missing", LookupStatus.NXDOMAIN),
        ("no_records", LookupStatus.NO_ANSWER),
        ("servfail", LookupStatus.SERVFAIL),
        ("slow", LookupStatus.TIMEOUT),
    ],
)
def test_dns_outcomes_become_statuses_not_exceptions(
    fake_dns: FakeDnsServer, setup: str, status: LookupStatus
) -> None:
    name = f"{setup.replace('_', '-')}.example"
    if setup == "no_records":
        fake_dns.set_name(name)
    elif setup == "servfail":
        fake_dns.set_servfail(name)
    elif setup == "slow":
        fake_dns.set_name(name, mx=[(10, "mx.slow.example")], a=["127.0.0.1"], ns=["ns.slow.example"])
        fake_dns.set_delay(name, 2.0)
    config = fake_dns.resolver_config(timeout_s=0.3)

    async def lookups() -> tuple[MxLookup, AddressLookup, NameLookup]:
        return await asyncio.gather(
            lookup_mx(name, config), lookup_addresses(name, config), lookup_ns(name, config)
        )

    assert [lookup.status for lookup in asyncio.run(lookups())] == [status] * 3


def test_parent_of_a_known_name_exists_without_records(
    fake_dns: FakeDnsServer, dns_config: ResolverConfig
) -> None:
    fake_dns.set_name("www.sub.acme.example", a=["127.0.0.1"])

    assert asyncio.run(lookup_mx("sub.acme.example", dns_config)).status is LookupStatus.NO_ANSWER


def test_addresses_come_from_a_and_aaaa_records(fake_dns: FakeDnsServer, dns_config: ResolverConfig) -> None:
    fake_dns.set_name("acme.example", a=["127.0.0.1", "127.0.0.2"], aaaa=["::1"])

    lookup = asyncio.run(lookup_addresses("acme.example", dns_config))

    assert lookup == AddressLookup(LookupStatus.OK, ("127.0.0.1", "127.0.0.2", "::1"))


def test_ipv6_only_name_has_addresses(fake_dns: FakeDnsServer, dns_config: ResolverConfig) -> None:
    fake_dns.set_name("v6.example", aaaa=["::1"])

    assert asyncio.run(lookup_addresses("v6.example", dns_config)) == AddressLookup(LookupStatus.OK, ("::1",))


def test_cname_is_followed_to_addresses(fake_dns: FakeDnsServer, dns_config: ResolverConfig) -> None:
    fake_dns.set_name("www.acme.example", cname="web.acme.example")
    fake_dns.set_name("web.acme.example", a=["127.0.0.5"])

    assert asyncio.run(lookup_addresses("www.acme.example", dns_config)).addresses == ("127.0.0.5",)


def test_ns_lookup_returns_sorted_lower_case_names(
    fake_dns: FakeDnsServer, dns_config: ResolverConfig
) -> None:
    fake_dns.set_name("acme.example", ns=["NS2.Host.example", "ns1.host.example"])

    lookup = asyncio.run(lookup_ns("acme.example", dns_config))

    assert lookup == NameLookup(LookupStatus.OK, ("ns1.host.example", "ns2.host.example"))


def test_idn_domain_is_queried_as_a_label(fake_dns: FakeDnsServer, dns_config: ResolverConfig) -> None:
    fake_dns.set_name("xn--bcher-kva.example", mx=[(10, "mx.xn--bcher-kva.example")])

    lookup = asyncio.run(lookup_mx("Bücher.example.", dns_config))

    assert lookup.records == (MxRecord(10, "mx.xn--bcher-kva.example"),)
    assert fake_dns.query_count("xn--bcher-kva.example", "MX") == 1


def test_unencodable_name_is_an_error_status(dns_config: ResolverConfig) -> None:
    lookup = asyncio.run(lookup_mx("a..b.example", dns_config))

    assert lookup.status is LookupStatus.ERROR
    assert lookup.error


def test_rebinding_answers_differ_between_successive_lookups(
    fake_dns: FakeDnsServer, dns_config: ResolverConfig
) -> None:
    fake_dns.set_rebinding("rebind.example", ["127.0.0.1"], ["10.0.0.1"])

    first = asyncio.run(lookup_addresses("rebind.example", dns_config))
    second = asyncio.run(lookup_addresses("rebind.example", dns_config))
    third = asyncio.run(lookup_addresses("rebind.example", dns_config))

    assert (first.addresses, second.addresses, third.addresses) == (
        ("127.0.0.1",),
        ("10.0.0.1",),
        ("10.0.0.1",),
    )


def test_global_latency_delays_answers_without_serializing_them(
    fake_dns: FakeDnsServer, dns_config: ResolverConfig
) -> None:
    fake_dns.set_name("acme.example", mx=[(10, "mx.acme.example")])
    fake_dns.latency_s = 0.2

    async def many_lookups() -> list[MxLookup]:
        return await asyncio.gather(*(lookup_mx("acme.example", dns_config) for _ in range(20)))

    started = time.monotonic()
    lookups = asyncio.run(many_lookups())
    elapsed_s = time.monotonic() - started

    assert all(lookup.status is LookupStatus.OK for lookup in lookups)
    assert 0.2 <= elapsed_s < 0.2 * 5


def test_look_ups_for_many_addresses_at_one_domain_are_not_held_to_the_per_domain_limit(
    fake_dns: FakeDnsServer, dns_config: ResolverConfig
) -> None:
    # The per-domain limit spares a company's own servers; MX look-ups go to the resolver.
    fake_dns.set_name("bigmail.test", mx=[(10, "mx.bigmail.test")])
    fake_dns.latency_s = 0.2
    prober = Prober(ProbeConfig(resolver=dns_config, per_domain_limit=1, allow_test_domains=True))

    async def many_addresses() -> list[EmailEvidence]:
        return await asyncio.gather(
            *(prober.gather_email(f"buyer{index}@bigmail.test") for index in range(10))
        )

    started = time.monotonic()
    evidence = asyncio.run(many_addresses())
    elapsed_s = time.monotonic() - started

    assert all(item.mx is not None and item.mx.status is LookupStatus.OK for item in evidence)
    assert elapsed_s < 0.2 * 5  # one at a time would take 10 x 0.2 s


def test_dns_server_answers_over_tcp_too(fake_dns: FakeDnsServer) -> None:
    fake_dns.set_name("acme.example", a=["127.0.0.9"])
    query = dns.message.make_query("acme.example", "A")

    response = asyncio.run(dns.asyncquery.tcp(query, fake_dns.host, port=fake_dns.port, timeout=1.0))

    assert [item.address for rrset in response.answer for item in rrset] == ["127.0.0.9"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1:5353, [::1]:53, 10.0.0.1", (("127.0.0.1", 5353), ("::1", 53), ("10.0.0.1", 53))),
        ("::1", (("::1", 53),)),
        ("[2001:db8::1]", (("2001:db8::1", 53),)),
        ("", ()),
        ("  ", ()),
    ],
)
def test_nameserver_lists_parse_with_default_port(value: str, expected: tuple[tuple[str, int], ...]) -> None:
    assert parse_nameservers(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "dns.google",
        "127.0.0.1:",
        "127.0.0.1:0",
        "127.0.0.1:70000",
        "127.0.0.1:x",
        "[127.0.0.1]:53",
        "[::1",
        "1.1.1.1,,",
    ],
)
def test_junk_nameserver_lists_raise_value_error(value: str) -> None:
    with pytest.raises(ValueError, match="nameserver"):
        parse_nameservers(value)


# Whole verdicts: DNS and SMTP together


def test_known_mailbox_accepted_by_smtp_is_valid(
    mail_domains: MailDomains, dns_config: ResolverConfig
) -> None:
    mail_domains.add("acme.example", DomainPolicy.MAILBOXES, ["anna"])

    verdict = verify("anna@acme.example", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.VALID, ("smtp_accepted",), "mx.acme.example")


def test_unknown_mailbox_rejected_by_smtp_is_invalid(
    mail_domains: MailDomains, dns_config: ResolverConfig
) -> None:
    mail_domains.add("acme.example", DomainPolicy.MAILBOXES, ["anna"])

    verdict = verify("bob@acme.example", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.INVALID, ("smtp_rejected",), "mx.acme.example")


def test_catch_all_domain_makes_email_risky(
    mail_domains: MailDomains, dns_config: ResolverConfig, fake_smtp: FakeSmtpServer
) -> None:
    mail_domains.add("catchall.example", DomainPolicy.CATCH_ALL)

    verdict = verify("anyone@catchall.example", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.RISKY, ("catch_all",), "mx.catchall.example")
    real, random = fake_smtp.recipients_seen
    assert real == "anyone@catchall.example"
    assert random.endswith("@catchall.example")
    assert random != real


def test_greylisting_leaves_email_valid_with_temp_failure_reason(
    mail_domains: MailDomains, dns_config: ResolverConfig
) -> None:
    mail_domains.add("greylist.example", DomainPolicy.GREYLIST)

    verdict = verify("anna@greylist.example", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.VALID, ("smtp_temp_failure",), "mx.greylist.example")


def test_stalling_smtp_server_times_out_without_invalidating(
    mail_domains: MailDomains, dns_config: ResolverConfig
) -> None:
    mail_domains.add("slow.example", DomainPolicy.SLOW)

    started = time.monotonic()
    verdict = verify("anna@slow.example", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.VALID, ("smtp_timeout",), "mx.slow.example")
    assert time.monotonic() - started < 5


def test_blocked_prober_is_inconclusive_not_invalid(
    mail_domains: MailDomains, dns_config: ResolverConfig
) -> None:
    mail_domains.add("strict.example", DomainPolicy.BLOCKLISTED)

    verdict = verify("anna@strict.example", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.VALID, ("smtp_inconclusive",), "mx.strict.example")


def test_null_mx_makes_email_invalid(
    mail_domains: MailDomains, fake_dns: FakeDnsServer, dns_config: ResolverConfig
) -> None:
    fake_dns.set_name("nomail.example", mx=[(0, "")], a=["127.0.0.1"])

    verdict = verify("anna@nomail.example", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.INVALID, ("null_mx",), None)


def test_domain_without_mx_falls_back_to_its_address(
    mail_domains: MailDomains, fake_dns: FakeDnsServer, dns_config: ResolverConfig
) -> None:
    fake_dns.set_name("implicit.example", a=["127.0.0.1"])
    mail_domains.smtp.set_domain("implicit.example", DomainPolicy.MAILBOXES, ["anna"])

    verdict = verify("anna@implicit.example", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.VALID, ("implicit_mx", "smtp_accepted"), "implicit.example")


def test_domain_without_mx_or_address_is_invalid(
    mail_domains: MailDomains, fake_dns: FakeDnsServer, dns_config: ResolverConfig
) -> None:
    fake_dns.set_name("empty.example", ns=["ns.empty.example"])

    verdict = verify("anna@empty.example", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.INVALID, ("no_mail_host",), None)


def test_nonexistent_domain_makes_email_invalid(
    mail_domains: MailDomains, dns_config: ResolverConfig
) -> None:
    verdict = verify("anna@nowhere.example", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.INVALID, ("domain_nxdomain",), None)


def test_servfail_makes_email_unknown(
    mail_domains: MailDomains, fake_dns: FakeDnsServer, dns_config: ResolverConfig
) -> None:
    fake_dns.set_servfail("broken.example")

    verdict = verify("anna@broken.example", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.UNKNOWN, ("dns_servfail",), None)


def test_dns_timeout_makes_email_unknown(mail_domains: MailDomains, fake_dns: FakeDnsServer) -> None:
    mail_domains.add("sluggish.example", DomainPolicy.MAILBOXES, ["anna"])
    fake_dns.set_delay("sluggish.example", 2.0)

    verdict = verify("anna@sluggish.example", fake_dns.resolver_config(timeout_s=0.3), mail_domains)

    assert verdict == EmailVerdict(EmailStatus.UNKNOWN, ("dns_timeout",), None)


def test_unreachable_first_mx_falls_back_to_the_next(
    mail_domains: MailDomains, fake_dns: FakeDnsServer, dns_config: ResolverConfig
) -> None:
    mail_domains.add("twomx.example", DomainPolicy.MAILBOXES, ["anna"])
    # Nothing listens on 127.0.0.2 at the fake's port, so the best MX refuses.
    fake_dns.set_name("twomx.example", mx=[(5, "down.twomx.example"), (10, "mx.twomx.example")])
    fake_dns.set_name("down.twomx.example", a=["127.0.0.2"])

    evidence = asyncio.run(gather_evidence("anna@twomx.example", dns_config, mail_domains))

    assert evidence.smtp is not None
    assert evidence.smtp.outcome is SmtpOutcome.ACCEPTED
    assert evidence.smtp.mx_host == "mx.twomx.example"
    assert judge_email(evidence) == EmailVerdict(EmailStatus.VALID, ("smtp_accepted",), "down.twomx.example")


def test_no_reachable_mx_is_connection_failed_not_invalid(
    mail_domains: MailDomains, fake_dns: FakeDnsServer, dns_config: ResolverConfig
) -> None:
    fake_dns.set_name("dark.example", mx=[(10, "mx.dark.example")])
    fake_dns.set_name("mx.dark.example", a=["127.0.0.2"])

    verdict = verify("anna@dark.example", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.VALID, ("smtp_connection_failed",), "mx.dark.example")


def test_idn_domain_and_unicode_mailbox_are_verified(
    mail_domains: MailDomains, dns_config: ResolverConfig
) -> None:
    mail_domains.add("пример.рф", DomainPolicy.MAILBOXES, ["пётр"])

    verdict = verify("пётр@Пример.рф", dns_config, mail_domains)

    assert verdict == EmailVerdict(EmailStatus.VALID, ("smtp_accepted",), "mx.xn--e1afmkfd.xn--p1ai")


def test_disposable_free_and_role_reasons_survive_the_whole_pipeline(
    mail_domains: MailDomains, dns_config: ResolverConfig
) -> None:
    mail_domains.add("mailinator.com", DomainPolicy.CATCH_ALL)
    mail_domains.add("163.com", DomainPolicy.MAILBOXES, ["export"])

    disposable = verify("anna@mailinator.com", dns_config, mail_domains)
    free_role = verify("export@163.com", dns_config, mail_domains)

    assert disposable == EmailVerdict(EmailStatus.RISKY, ("catch_all", "disposable"), "mx.mailinator.com")
    assert free_role == EmailVerdict(
        EmailStatus.VALID, ("smtp_accepted", "free_provider", "role_account"), "mx.163.com"
    )


def test_probe_without_mail_hosts_is_connection_failed(fake_smtp: FakeSmtpServer) -> None:
    config = SmtpProbeConfig(helo_name="probe.example", mail_from="verify@probe.example", port=fake_smtp.port)

    result = asyncio.run(probe_mailbox("anna@acme.example", [], config))

    assert result.outcome is SmtpOutcome.CONNECTION_FAILED


def test_probe_refuses_addresses_that_would_inject_commands(fake_smtp: FakeSmtpServer) -> None:
    config = SmtpProbeConfig(helo_name="probe.example", mail_from="verify@probe.example", port=fake_smtp.port)

    with pytest.raises(ValueError, match="line breaks"):
        asyncio.run(probe_mailbox("anna@acme.example>\r\nDATA", ["mx"], config))
