"""The whole fake internet in one object: DNS, HTTP(S) and SMTP on loopback, and the settings that point the app at it."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass

from leads.verification.resolver import LookupStatus
from tests.fakenet.dns_server import FakeDnsServer
from tests.fakenet.smtp_server import DomainPolicy, FakeSmtpServer
from tests.fakenet.web_server import WEB_ADDRESS_BOOK, FakeWeb

LOOPBACK = "127.0.0.0/8"


@dataclass(frozen=True, slots=True)
class Company:
    """A company on the fake internet: its web site (one of the fake web's) and its mail domain."""

    domain: str
    mailboxes: tuple[str, ...] = ("anna",)
    policy: DomainPolicy = DomainPolicy.MAILBOXES


# The fake web's real company sites, with mailboxes at the same domains.
COMPANIES = (
    Company("aquaclear-uv.test", ("anna", "sales")),
    Company("uv-technik.test", ("jens",)),
    Company("guangming-uv.test", ("li",)),
    Company("catchall.test", policy=DomainPolicy.CATCH_ALL),
)


class FakeInternet:
    """Start with `with FakeInternet() as net:`; `net.env()` gives the LEADS_* settings for the app and workers."""

    def __init__(self, *, dns_latency_s: float = 0.0, web_latency_s: float = 0.0) -> None:
        self.dns = FakeDnsServer()
        self.web = FakeWeb(latency_s=web_latency_s)
        self.smtp = FakeSmtpServer()
        self._dns_latency_s = dns_latency_s
        self._stack = ExitStack()

    def __enter__(self) -> FakeInternet:
        self._stack.enter_context(self.dns)
        self._stack.enter_context(self.web)
        self._stack.enter_context(self.smtp)
        self.load()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def load(self) -> None:
        """(Re)publish every fake name: the web's address book, mail domains, and a few DNS-only cases."""
        self.dns.reset()
        self.smtp.reset()
        self.dns.latency_s = self._dns_latency_s
        for name, answer in WEB_ADDRESS_BOOK.items():
            if answer is LookupStatus.NXDOMAIN:
                continue  # unknown names are NXDOMAIN already
            if answer is LookupStatus.SERVFAIL:
                self.dns.set_servfail(name)
            elif answer is LookupStatus.TIMEOUT:
                self.dns.set_name(name, a=["127.0.0.1"])
                self.dns.set_delay(name, 30.0)
            elif isinstance(answer, LookupStatus):
                self.dns.set_name(name)  # exists, no address
            else:
                self._publish_addresses(name, answer)
        for company in COMPANIES:
            self.add_mail_domain(company.domain, company.mailboxes, company.policy)
        self.dns.add_records("parked.test", ns=["ns1.sedoparking.com", "ns2.sedoparking.com"])
        self.dns.set_name("nullmx.test", mx=[(0, ".")], a=["127.0.0.1"])
        self.dns.set_servfail("servfail-mail.test")

    def _publish_addresses(self, name: str, addresses: Iterable[str]) -> None:
        v4 = [a for a in addresses if ipaddress.ip_address(a).version == 4]
        v6 = [a for a in addresses if ipaddress.ip_address(a).version == 6]
        self.dns.set_name(name, a=v4, aaaa=v6)

    def add_mail_domain(
        self, domain: str, mailboxes: Iterable[str] = (), policy: DomainPolicy = DomainPolicy.MAILBOXES
    ) -> None:
        host = f"mx.{domain}"
        self.dns.add_records(domain, mx=[(10, host)])
        self.dns.set_name(host, a=["127.0.0.1"])
        self.smtp.set_domain(domain, policy, mailboxes)

    def env(
        self, *, smtp_probe: bool = False, http_timeout_s: float = 3.0, dns_timeout_s: float = 1.0
    ) -> dict[str, str]:
        """Environment variables that aim the app (or a worker process) at this fake internet."""
        dns_host, dns_port = self.dns.nameservers[0]
        return {
            "LEADS_DNS_NAMESERVERS": f"{dns_host}:{dns_port}",
            "LEADS_FETCH_ALLOWED_NETWORKS": LOOPBACK,
            "LEADS_CA_BUNDLE": str(self.web.ca_path),
            "LEADS_FETCH_PORT_MAP": ",".join(f"{k}:{v}" for k, v in self.web.port_map.items()),
            "LEADS_HTTP_TIMEOUT": str(http_timeout_s),
            "LEADS_DNS_TIMEOUT": str(dns_timeout_s),
            "LEADS_SMTP_PROBE": "1" if smtp_probe else "0",
            "LEADS_SMTP_PORT": str(self.smtp.port),
            "LEADS_ALLOW_TEST_DOMAINS": "1",
        }
