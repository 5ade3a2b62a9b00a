"""The qualification use case: probe a lead's email and website, judge, score, save.

The check state lives on the Lead row (pending, running, done, failed), so a lost broker
message or a killed worker never loses a check: the sweeper re-enqueues it.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from leads.keywords import current_matcher
from leads.models import BackgroundJob, CheckStatus, Lead, Stage
from leads.scoring.inquiry import InquirySignal, judge_inquiry_text
from leads.scoring.matcher import Matcher
from leads.scoring.score import FitResult, score_fit
from leads.scoring.specs import SectionKind, TextSection
from leads.verification.authenticity import AuthenticityEvidence, AuthenticityVerdict, judge_authenticity
from leads.verification.email import (
    EmailEvidence,
    EmailVerdict,
    ParsedAddress,
    is_free_provider,
    judge_email,
    parse_address,
)
from leads.verification.fetch import FetchLimits
from leads.verification.probes import ProbeConfig, Prober
from leads.verification.resolver import ResolverConfig, parse_nameservers
from leads.verification.smtp_probe import SmtpProbeConfig
from leads.verification.ssrf import AddressPolicy
from leads.verification.website import (
    WebsiteEvidence,
    WebsiteReason,
    WebsiteVerdict,
    judge_website,
)

log = logging.getLogger(__name__)


def lost_after() -> timedelta:
    """How long a pending check's message may wait before it is presumed lost and sent again."""
    return timedelta(seconds=settings.LEADS_CHECK_LOST_AFTER_S)


def stuck_after() -> timedelta:
    """How long a check may run before it is presumed dead (longer than the task's hard time limit)."""
    return timedelta(seconds=settings.LEADS_CHECK_STUCK_AFTER_S)


SWEEP_BATCH = 500


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    status: str
    retry_in_s: int | None = None


def backoff_s(attempt: int) -> int:
    """Exponential backoff for transient failures: 1, 2, 4, 8... minutes, capped at 6 hours."""
    return min(60 * 2 ** max(attempt - 1, 0), 6 * 3600)


def request_check(lead: Lead, job: BackgroundJob | None = None) -> None:
    """Mark the lead's check pending and enqueue it after commit; a broker outage loses nothing."""
    now = timezone.now()
    Lead.objects.filter(pk=lead.pk).update(
        check_status=CheckStatus.PENDING,
        check_attempts=0,
        check_last_error="",
        check_queued_at=now,
        check_retry_at=None,
        check_task_id="",
        check_job=job,
    )
    lead_id = lead.pk
    transaction.on_commit(lambda: enqueue_check(lead_id))


def enqueue_check(lead_id: int, countdown_s: int | None = None) -> bool:
    """Send the task; on a broker failure log it and let the sweeper retry. Never raises."""
    from leads import tasks

    try:
        tasks.verify_lead.apply_async(args=[lead_id], countdown=countdown_s, retry=False)
    except Exception as error:  # noqa: BLE001 - any broker error: the row stays pending for the sweeper
        log.warning("could not enqueue check for lead %s: %s", lead_id, error)
        return False
    return True


def _claim(lead_id: int, task_id: str) -> str | None:
    """Atomically take the check for this task; None when another worker holds it or it is done.

    A redelivered message (its worker died) carries the same task id, so it may take over at once.
    """
    now = timezone.now()
    token = task_id or uuid.uuid4().hex
    claimable = Q(check_status=CheckStatus.PENDING) | Q(
        check_status=CheckStatus.RUNNING, check_started_at__lt=now - stuck_after()
    )
    if task_id:
        claimable |= Q(check_status=CheckStatus.RUNNING, check_task_id=task_id)
    taken = Lead.objects.filter(claimable, pk=lead_id).update(
        check_status=CheckStatus.RUNNING,
        check_started_at=now,
        check_task_id=token,
        check_attempts=F("check_attempts") + 1,
        stage=Case(When(stage=Stage.NEW, then=Value(Stage.CHECKING)), default=F("stage")),
    )
    return token if taken else None


def run_check(lead_id: int, task_id: str = "") -> CheckOutcome:
    """Claim, evaluate and save one lead's check. Running it twice is harmless."""
    token = _claim(lead_id, task_id)
    if token is None:
        return CheckOutcome(status="skipped")
    lead = Lead.objects.select_related("company", "contact").get(pk=lead_id)
    try:
        result = asyncio.run(qualify(facts_for(lead), Prober(probe_config()), current_matcher()))
        return save_qualification(lead, token, result)
    except Exception as error:
        log.exception("check failed for lead %s", lead_id)
        return _record_failure(lead, token, f"{type(error).__name__}: {error}")


def run_checks(lead_ids: Sequence[int], task_id: str = "") -> list[tuple[int, CheckOutcome]]:
    """Check many leads in one event loop, concurrently (bounded); results are saved when the batch ends."""
    claimed = []
    for lead_id in lead_ids:
        token = _claim(lead_id, f"{task_id}:{lead_id}" if task_id else "")
        if token is not None:
            claimed.append((token, Lead.objects.select_related("company", "contact").get(pk=lead_id)))
    if not claimed:
        return []
    results = asyncio.run(
        qualify_many([facts_for(lead) for _, lead in claimed], probe_config(), current_matcher(),
                     settings.LEADS_CHECK_CONCURRENCY)
    )  # fmt: skip
    outcomes = []
    for (token, lead), result in zip(claimed, results, strict=True):
        if isinstance(result, BaseException):
            outcomes.append((lead.pk, _record_failure(lead, token, f"{type(result).__name__}: {result}")))
        else:
            outcomes.append((lead.pk, save_qualification(lead, token, result)))
    return outcomes


def _record_failure(lead: Lead, token: str, error: str) -> CheckOutcome:
    if lead.check_attempts >= settings.LEADS_CHECK_MAX_ATTEMPTS:
        Lead.objects.filter(pk=lead.pk, check_task_id=token).update(
            check_status=CheckStatus.FAILED, check_last_error=error[:500]
        )
        return CheckOutcome(status="failed")
    delay = backoff_s(lead.check_attempts)
    Lead.objects.filter(pk=lead.pk, check_task_id=token).update(
        check_status=CheckStatus.PENDING,
        check_last_error=error[:500],
        check_retry_at=timezone.now() + timedelta(seconds=delay),
    )
    return CheckOutcome(status="retry", retry_in_s=delay)


def sweep_stale_checks(now: datetime | None = None) -> int:
    """Re-enqueue pending checks whose message is overdue and running checks whose worker died."""
    now = now or timezone.now()
    stuck = Lead.objects.filter(check_status=CheckStatus.RUNNING, check_started_at__lt=now - stuck_after())
    stuck.update(check_status=CheckStatus.PENDING, check_retry_at=now, check_task_id="")
    overdue = (
        Lead.objects.filter(check_status=CheckStatus.PENDING)
        .filter(
            Q(check_retry_at__lte=now - lost_after())
            | Q(check_retry_at__isnull=True, check_queued_at__lte=now - lost_after())
            | Q(check_retry_at__isnull=True, check_queued_at__isnull=True)
        )
        .order_by("check_queued_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    lead_ids = list(overdue)
    Lead.objects.filter(pk__in=lead_ids).update(check_queued_at=now, check_retry_at=None)
    return sum(enqueue_check(lead_id) for lead_id in lead_ids)


# --- The use case proper: probe, judge, score ------------------------------------------------


@dataclass(frozen=True, slots=True)
class LeadFacts:
    email: str = ""
    website: str = ""
    company: str = ""
    country: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class Qualification:
    email: EmailVerdict | None
    email_evidence: EmailEvidence | None
    website: WebsiteVerdict | None
    website_evidence: WebsiteEvidence | None
    website_checked: str  # the URL that was checked (entered, or derived from the email's domain), "" if none
    fit: FitResult
    inquiry: InquirySignal
    authenticity: AuthenticityVerdict
    elapsed_ms: int

    def as_output(self) -> dict[str, Any]:
        """The `qualify` command's JSON fields."""
        return {
            "email": {
                "verdict": self.email.verdict.value if self.email else None,
                "reasons": list(self.email.reasons) if self.email else ["no_email"],
            },
            "website": {
                "verdict": self.website.verdict.value if self.website else None,
                "reasons": [str(reason) for reason in self.website.reasons]
                if self.website
                else ["no_website"],
                "final_url": self.website.final_url if self.website else None,
            },
            "fit": {
                "score": self.fit.score,
                "tier": self.fit.tier.value,
                "industries": [
                    {"slug": fit.slug, "name": fit.name, "score": fit.score} for fit in self.fit.industries
                ],
                "matches": [
                    {
                        "term": m.term,
                        "industry": m.industry_slug,
                        "count": m.count,
                        "sections": list(m.sections),
                    }
                    for m in self.fit.matches
                ],
            },
            "authenticity": {
                "verdict": self.authenticity.verdict.value,
                "reasons": list(self.authenticity.reasons),
            },
            "inquiry": {"strength": str(self.inquiry.strength), "reasons": list(self.inquiry.reasons)},
            "elapsed_ms": self.elapsed_ms,
        }


# Website reasons that mean "nothing to check" rather than "could not check right now".
_NO_SITE = {WebsiteReason.NO_WEBSITE, WebsiteReason.URL_INVALID}


def probe_config() -> ProbeConfig:
    """The verification knobs from settings (LEADS_*)."""
    smtp = None
    if settings.LEADS_SMTP_PROBE:
        smtp = SmtpProbeConfig(
            helo_name=settings.LEADS_SMTP_HELO,
            mail_from=settings.LEADS_SMTP_MAIL_FROM,
            timeout_s=settings.LEADS_HTTP_TIMEOUT,
            port=settings.LEADS_SMTP_PORT,
        )
    timeout = settings.LEADS_HTTP_TIMEOUT
    return ProbeConfig(
        resolver=ResolverConfig(
            nameservers=parse_nameservers(settings.LEADS_DNS_NAMESERVERS),
            timeout_s=settings.LEADS_DNS_TIMEOUT,
        ),
        policy=AddressPolicy(allowed_networks=settings.LEADS_FETCH_ALLOWED_NETWORKS),
        limits=FetchLimits(
            connect_timeout_s=min(5.0, timeout), read_timeout_s=timeout, total_timeout_s=2 * timeout
        ),
        ca_bundle=settings.LEADS_CA_BUNDLE or None,
        port_map=settings.LEADS_FETCH_PORT_MAP or None,
        smtp=smtp,
        allow_test_domains=settings.LEADS_ALLOW_TEST_DOMAINS,
    )


def facts_for(lead: Lead) -> LeadFacts:
    return LeadFacts(
        email=lead.contact.email if lead.contact else "",
        website=lead.company.website,
        company=lead.company.name,
        country=lead.company.country,
        message="\n".join(part for part in (lead.subject, lead.products, lead.message) if part),
    )


def fit_sections(website: WebsiteVerdict | None, message: str) -> list[TextSection]:
    """Title, meta and headings weigh more than body text; the inquiry itself counts too."""
    sections = []
    for page in website.pages if website else ():
        if page.title:
            sections.append(TextSection(SectionKind.TITLE, page.title, page.url))
        meta = " ".join(part for part in (page.meta_description, page.meta_keywords) if part)
        if meta:
            sections.append(TextSection(SectionKind.META, meta, page.url))
        if page.headings:
            sections.append(TextSection(SectionKind.HEADING, " / ".join(page.headings), page.url))
        if page.text:
            sections.append(TextSection(SectionKind.BODY, page.text, page.url))
    if message.strip():
        sections.append(TextSection(SectionKind.MESSAGE, message, "inquiry"))
    return sections


async def qualify(facts: LeadFacts, prober: Prober, matcher: Matcher) -> Qualification:
    """Check one lead, its email and website concurrently; judge; score."""
    started = time.monotonic()
    has_email = bool(facts.email.strip())
    email_task = asyncio.create_task(prober.gather_email(facts.email)) if has_email else None
    parsed = (
        parse_address(facts.email, allow_test_domains=prober.config.allow_test_domains) if has_email else None
    )
    email_domain = parsed.domain if isinstance(parsed, ParsedAddress) else None
    is_free = email_domain is not None and is_free_provider(email_domain)
    # No website given: a company email's own domain is the company's site.
    site_url = facts.website.strip() or (f"https://{email_domain}/" if email_domain and not is_free else "")
    email_evidence: EmailEvidence | None = None
    website_evidence = (
        await prober.gather_website(site_url, email_domain=email_domain, is_free_mail=is_free)
        if site_url
        else None
    )
    if email_task is not None:
        email_evidence = await email_task
    email_verdict = judge_email(email_evidence) if email_evidence else None
    website_verdict = judge_website(website_evidence) if website_evidence else None
    return _judge(
        facts, matcher, email_evidence, email_verdict, website_evidence, website_verdict, site_url, started
    )


def _judge(
    facts: LeadFacts,
    matcher: Matcher,
    email_evidence: EmailEvidence | None,
    email_verdict: EmailVerdict | None,
    website_evidence: WebsiteEvidence | None,
    website_verdict: WebsiteVerdict | None,
    site_url: str,
    started: float,
) -> Qualification:
    inquiry = judge_inquiry_text(facts.message)
    fit = score_fit(matcher, fit_sections(website_verdict, facts.message))
    email_reasons = set(email_verdict.reasons) if email_verdict else set()
    site_reasons = set(website_verdict.reasons) if website_verdict else set()
    has_site = website_verdict is not None and not (site_reasons & _NO_SITE)
    is_free = "free_provider" in email_reasons
    domains_match = None
    if has_site and email_verdict is not None and not is_free:
        domains_match = WebsiteReason.EMAIL_DOMAIN_MISMATCH not in site_reasons
    authenticity = judge_authenticity(
        AuthenticityEvidence(
            email=email_verdict.verdict if email_verdict else None,
            website=website_verdict.verdict if has_site and website_verdict else None,
            is_free_email=is_free,
            is_disposable_email="disposable" in email_reasons,
            domains_match=domains_match,
            is_redirected_offsite=WebsiteReason.REDIRECTED_OFFSITE in site_reasons,
            inquiry_strength=str(inquiry.strength),
        )
    )
    return Qualification(
        email=email_verdict,
        email_evidence=email_evidence,
        website=website_verdict,
        website_evidence=website_evidence,
        website_checked=site_url,
        fit=fit,
        inquiry=inquiry,
        authenticity=authenticity,
        elapsed_ms=round((time.monotonic() - started) * 1000),
    )


async def qualify_many(
    facts: Iterable[LeadFacts], config: ProbeConfig, matcher: Matcher, concurrency: int
) -> list[Qualification | BaseException]:
    """Check many leads concurrently (at most `concurrency` at once), results in input order."""
    items = list(facts)
    results = {
        position: result async for position, result in qualify_each(items, config, matcher, concurrency)
    }
    return [results[position] for position in range(len(items))]


async def qualify_each(
    facts: Iterable[LeadFacts], config: ProbeConfig, matcher: Matcher, concurrency: int
) -> AsyncIterator[tuple[int, Qualification | BaseException]]:
    """Check leads concurrently (at most `concurrency` at once), yielding (position, result) as each is done.

    A fixed crew of `concurrency` runners each takes the next lead when done
    with one, so a batch of any size costs the memory of `concurrency` checks,
    and no crowd of tasks waits on a semaphore (asyncio's wakes cost O(waiters)).
    A lead whose check raised yields the exception.
    """
    prober = Prober(config)
    pending = enumerate(facts)
    done: asyncio.Queue[tuple[int, Qualification | BaseException] | None] = asyncio.Queue()

    async def runner() -> None:
        try:
            for position, item in pending:  # one shared iterator: every lead is taken once
                try:
                    result: Qualification | BaseException = await qualify(item, prober, matcher)
                except Exception as error:  # noqa: BLE001 - reported per lead, the batch goes on
                    result = error
                except asyncio.CancelledError as error:
                    if asyncio.current_task().cancelling():  # type: ignore[union-attr]
                        raise  # the batch itself is being cancelled
                    result = error  # a check cancelled from within fails alone, as with gather()
                done.put_nowait((position, result))
        finally:
            done.put_nowait(None)

    runners = [asyncio.create_task(runner()) for _ in range(max(1, concurrency))]
    try:
        running = len(runners)
        while running:
            entry = await done.get()
            if entry is None:
                running -= 1
            else:
                yield entry
    finally:
        for task in runners:
            task.cancel()
        await asyncio.gather(*runners, return_exceptions=True)


# --- Saving ---------------------------------------------------------------------------------

PAGE_TEXT_CAP = 20_000  # characters of body text kept per page for re-scoring


def save_qualification(lead: Lead, token: str, result: Qualification) -> CheckOutcome:
    """Store verdicts, evidence and fit; move the lead (fakes to Junk). Only the check's holder may save."""
    now = timezone.now()
    is_retry = result.authenticity.is_transient and lead.check_attempts < settings.LEADS_CHECK_MAX_ATTEMPTS
    with transaction.atomic():
        locked = Lead.objects.select_for_update().filter(pk=lead.pk, check_task_id=token).first()
        if locked is None:
            return CheckOutcome(status="superseded")  # re-check requested meanwhile: the newer check wins
        _save_contact(lead, result, now)
        _save_company(lead, result, now)
        updates: dict[str, Any] = {
            "authenticity": result.authenticity.verdict.value,
            "authenticity_reasons": list(result.authenticity.reasons),
            "inquiry_signal": {
                "strength": str(result.inquiry.strength),
                "reasons": list(result.inquiry.reasons),
            },
            "checked_at": now,
            "check_last_error": "",
        }
        if is_retry:
            delay = backoff_s(lead.check_attempts)
            updates |= {"check_status": CheckStatus.PENDING, "check_retry_at": now + timedelta(seconds=delay)}
        else:
            updates |= {"check_status": CheckStatus.DONE, "check_retry_at": None}
        if locked.stage in (Stage.NEW, Stage.CHECKING) and not is_retry:
            if result.authenticity.verdict.value == "fake":
                updates |= {"stage": Stage.JUNK, "junk_reason": junk_reason(result.authenticity)}
            else:
                updates["stage"] = Stage.QUALIFIED
        Lead.objects.filter(pk=lead.pk).update(**updates)
    if is_retry:
        return CheckOutcome(status="retry", retry_in_s=backoff_s(lead.check_attempts))
    return CheckOutcome(status="done")


REASON_TEXT = {
    "email_undeliverable": "the email cannot receive mail",
    "email_disposable": "a throwaway email address",
    "website_dead": "the website is dead",
    "website_parked": "the domain is parked or for sale",
    "website_placeholder": "the website is a placeholder",
    "no_website": "no website",
    "no_email": "no email",
}


def junk_reason(verdict: AuthenticityVerdict) -> str:
    parts = [REASON_TEXT[reason] for reason in verdict.reasons if reason in REASON_TEXT]
    return ("Fake: " + ", ".join(parts))[:300] if parts else "Fake: nothing real behind the lead"


def _save_contact(lead: Lead, result: Qualification, now: Any) -> None:
    if lead.contact is None or result.email is None:
        return
    evidence = result.email_evidence
    mx = evidence.mx if evidence else None
    smtp = evidence.smtp if evidence else None
    lead.contact.email_verdict = result.email.verdict.value
    lead.contact.email_reasons = list(result.email.reasons)
    lead.contact.email_evidence = {
        "mx_status": mx.status.value if mx else None,
        "mx": [{"preference": r.preference, "host": r.host} for r in mx.records] if mx else [],
        "mail_host": result.email.mx_host,
        "smtp": (
            {"outcome": smtp.outcome.value, "codes": list(smtp.codes), "is_catch_all": smtp.is_catch_all}
            if smtp
            else None
        ),
    }
    lead.contact.email_checked_at = now
    lead.contact.save(update_fields=["email_verdict", "email_reasons", "email_evidence", "email_checked_at"])


def _save_company(lead: Lead, result: Qualification, now: Any) -> None:
    company = lead.company
    fields = ["fit_score", "fit_tier", "fit_evidence", "fit_scored_at", "fit_keyword_version"]
    company.fit_score = result.fit.score
    company.fit_tier = result.fit.tier.value
    company.fit_evidence = result.fit.to_json()
    company.fit_scored_at = now
    company.fit_keyword_version = result.fit.keywords_version
    website = result.website
    if website is not None and not (set(website.reasons) & _NO_SITE):
        company.website_verdict = website.verdict.value
        company.website_reasons = [str(reason) for reason in website.reasons]
        company.website_final_url = (website.final_url or "")[:2000]
        company.website_evidence = _site_evidence(result)
        company.page_text = [
            {
                "url": page.url,
                "title": page.title,
                "meta": " ".join(p for p in (page.meta_description, page.meta_keywords) if p),
                "headings": list(page.headings),
                "text": page.text[:PAGE_TEXT_CAP],
            }
            for page in website.pages
        ]
        company.website_checked_at = now
        fields += ["website_verdict", "website_reasons", "website_final_url", "website_evidence", "page_text",
                   "website_checked_at"]  # fmt: skip
    elif not company.website_verdict or company.website_verdict == "none":
        company.website_verdict = "none"
        company.website_reasons = ["no_website"]
        fields += ["website_verdict", "website_reasons"]
    company.save(update_fields=[*fields, "updated_at"])


def _site_evidence(result: Qualification) -> dict[str, Any]:
    evidence = result.website_evidence
    site = evidence.site if evidence else None
    if site is None:
        return {"checked_url": result.website_checked}
    home = site.home.result
    return {
        "checked_url": result.website_checked,
        "status_code": home.status_code,
        "final_url": home.final_url,
        "redirects": [list(hop) for hop in home.redirects],
        "error": home.error.value if home.error else None,
        "error_detail": home.error_detail[:300],
        "has_tls_error": home.has_tls_error,
        "peer_address": home.peer_address,
        "nameservers": list(evidence.nameservers) if evidence else [],
        "pages": [page.result.final_url or page.result.requested_url for page in site.pages],
        "elapsed_ms": home.elapsed_ms,
    }
