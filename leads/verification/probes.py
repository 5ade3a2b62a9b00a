"""The verification I/O: gather DNS, HTTP and (optionally) SMTP evidence for the pure verdicts.

One `Prober` per event loop; it bounds how many checks hit the same registered domain's servers
(web and mail) at once, so a batch full of one company's addresses cannot hammer them. DNS
look-ups go to our resolver, not to the company, and are not held back: a batch full of gmail.com
addresses must not queue its MX look-ups four at a time.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from leads.verification import resolver
from leads.verification.email import EmailEvidence, ParsedAddress, parse_address
from leads.verification.fetch import FetchLimits, fetch_site, tls_context
from leads.verification.resolver import AddressLookup, LookupStatus, ResolverConfig
from leads.verification.smtp_probe import SmtpProbeConfig, SmtpProbeResult, probe_mailbox
from leads.verification.ssrf import AddressPolicy, check_address
from leads.verification.urls import NormalizedUrl, normalize_website, registered_domain
from leads.verification.website import SiteFetch, WebsiteEvidence


@dataclass(frozen=True, slots=True)
class ProbeConfig:
    resolver: ResolverConfig = field(default_factory=ResolverConfig)
    policy: AddressPolicy = field(default_factory=AddressPolicy)
    limits: FetchLimits = field(default_factory=FetchLimits)
    ca_bundle: str | None = None
    port_map: Mapping[int, int] | None = None  # tests only: where the fake internet listens for 80/443
    smtp: SmtpProbeConfig | None = None  # None: the SMTP probe is off
    per_domain_limit: int = 4
    allow_test_domains: bool = False  # tests only: accept addresses at .test (RFC 2606) for the fake internet


class Prober:
    """Gathers evidence; create one per event loop (its semaphores belong to that loop)."""

    def __init__(self, config: ProbeConfig) -> None:
        self.config = config
        self._domain_slots: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(config.per_domain_limit)
        )

    async def _resolve(self, name: str) -> AddressLookup:
        return await resolver.lookup_addresses(name, self.config.resolver)

    async def gather_email(self, raw: str) -> EmailEvidence:
        """Syntax, MX (or the implicit MX's addresses) and, when enabled, an SMTP mailbox probe."""
        parsed = parse_address(raw, allow_test_domains=self.config.allow_test_domains)
        if not isinstance(parsed, ParsedAddress):
            return EmailEvidence(address=parsed)
        mx = await resolver.lookup_mx(parsed.domain, self.config.resolver)
        addresses = None
        if mx.status is LookupStatus.NO_ANSWER:
            # RFC 5321 5.1: with no MX, the domain's own address records receive mail.
            addresses = await self._resolve(parsed.domain)
        smtp = None
        if self.config.smtp is not None:
            async with self._domain_slots[registered_domain(parsed.domain) or parsed.domain]:
                smtp = await self._probe_smtp(parsed, mx, addresses)
        return EmailEvidence(address=parsed, mx=mx, addresses=addresses, smtp=smtp)

    async def _probe_smtp(
        self, parsed: ParsedAddress, mx: resolver.MxLookup, addresses: AddressLookup | None
    ) -> SmtpProbeResult | None:
        if self.config.smtp is None:
            return None
        if mx.status is LookupStatus.OK:
            hosts = [record.host for record in mx.records if record.host]
        elif addresses is not None and addresses.status is LookupStatus.OK:
            hosts = [parsed.domain]
        else:
            return None
        if not hosts:
            return None
        lookups = await asyncio.gather(*(self._resolve(host) for host in hosts))
        # The same address policy as the web fetcher: never dial a private address unless allowed.
        vetted = {
            host: tuple(ip for ip in lookup.addresses if check_address(ip, self.config.policy) is None)
            for host, lookup in zip(hosts, lookups, strict=True)
        }
        config = replace(self.config.smtp, host_addresses=vetted)
        return await probe_mailbox(parsed.address, hosts, config)

    async def gather_website(
        self, website: str, *, email_domain: str | None, is_free_mail: bool
    ) -> WebsiteEvidence:
        """Fetch the site (home plus a few company pages) and its domain's nameservers."""
        url = normalize_website(website) if website.strip() else None
        if not isinstance(url, NormalizedUrl):
            return WebsiteEvidence(
                website=website or None, email_domain=email_domain, is_free_mail=is_free_mail
            )
        domain = registered_domain(url.host) or url.host

        async def fetch() -> SiteFetch:
            async with self._domain_slots[domain]:
                return await fetch_site(
                    url.url,
                    resolve=self._resolve,
                    policy=self.config.policy,
                    limits=self.config.limits,
                    tls=tls_context(self.config.ca_bundle or None),
                    port_map=self.config.port_map,
                )

        site, nameservers = await asyncio.gather(fetch(), resolver.lookup_ns(domain, self.config.resolver))
        return WebsiteEvidence(
            website=website,
            site=site,
            nameservers=nameservers.names if nameservers.status is LookupStatus.OK else (),
            email_domain=email_domain,
            is_free_mail=is_free_mail,
        )
