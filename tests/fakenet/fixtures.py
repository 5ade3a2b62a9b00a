"""Pytest fixtures for the loopback DNS and SMTP stand-ins: one server each per session, reset per test."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pytest

from leads.verification.resolver import ResolverConfig
from leads.verification.smtp_probe import SmtpProbeConfig
from tests.fakenet.dns_server import FakeDnsServer
from tests.fakenet.smtp_server import DomainPolicy, FakeSmtpServer

# Short enough that timeout tests stay quick, long enough for a loaded CI box.
DNS_TIMEOUT_S = 1.0
SMTP_TIMEOUT_S = 1.0


@pytest.fixture(scope="session")
def dns_server() -> Iterator[FakeDnsServer]:
    """The session's fake DNS server; prefer `fake_dns`, which starts each test empty."""
    with FakeDnsServer() as server:
        yield server


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[FakeSmtpServer]:
    """The session's fake SMTP server; prefer `fake_smtp`, which starts each test empty."""
    with FakeSmtpServer(stall_s=SMTP_TIMEOUT_S * 10) as server:
        yield server


@pytest.fixture
def fake_dns(dns_server: FakeDnsServer) -> Iterator[FakeDnsServer]:
    """The fake DNS server with an empty zone and no added latency."""
    dns_server.reset()
    yield dns_server
    dns_server.reset()


@pytest.fixture
def fake_smtp(smtp_server: FakeSmtpServer) -> Iterator[FakeSmtpServer]:
    """The fake SMTP server with no domains configured."""
    smtp_server.reset()
    yield smtp_server
    smtp_server.reset()


@pytest.fixture
def dns_config(fake_dns: FakeDnsServer) -> ResolverConfig:
    """A resolver config that asks only the fake DNS server."""
    return fake_dns.resolver_config(timeout_s=DNS_TIMEOUT_S)


@dataclass(frozen=True, slots=True)
class MailDomains:
    """Sets up a mail domain in both fakes: an MX in DNS pointing at the fake SMTP server."""

    dns: FakeDnsServer
    smtp: FakeSmtpServer

    def add(
        self,
        domain: str,
        policy: DomainPolicy = DomainPolicy.MAILBOXES,
        mailboxes: Iterable[str] = (),
        *,
        mx_host: str | None = None,
    ) -> str:
        """Publish `domain` with one MX on 127.0.0.1 and give it an SMTP policy; return the MX host."""
        host = mx_host or f"mx.{domain}"
        self.dns.set_name(domain, mx=[(10, host)])
        self.dns.set_name(host, a=["127.0.0.1"])
        self.smtp.set_domain(domain, policy, mailboxes)
        return host

    def probe_config(self, host_addresses: dict[str, tuple[str, ...]]) -> SmtpProbeConfig:
        """A probe config aimed at the fake SMTP server's port, dialling the given addresses."""
        return SmtpProbeConfig(
            helo_name="probe.uvleads.example",
            mail_from="verify@uvleads.example",
            timeout_s=SMTP_TIMEOUT_S,
            port=self.smtp.port,
            host_addresses=host_addresses,
        )


@pytest.fixture
def mail_domains(fake_dns: FakeDnsServer, fake_smtp: FakeSmtpServer) -> MailDomains:
    """Helper to publish mail domains across the fake DNS and SMTP servers."""
    return MailDomains(dns=fake_dns, smtp=fake_smtp)
