"""The keyword lists as the scoring core sees them: loaded from the database, versioned by a revision counter.

Every change to a list bumps `KeywordListRevision`; each worker compares the revision on its
next score and rebuilds its Aho-Corasick matcher only when it moved.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from leads.keyword_csv import KeywordRow
from leads.models import (
    BackgroundJob,
    Company,
    Industry,
    IndustryKeyword,
    KeywordChange,
    KeywordListRevision,
    Lead,
)
from leads.scoring.matcher import Matcher, Snapshot, get_matcher
from leads.scoring.score import score_fit
from leads.scoring.specs import IndustrySpec, KeywordSpec, SectionKind, TextSection

log = logging.getLogger(__name__)


def current_revision() -> int:
    row = KeywordListRevision.objects.order_by("pk").values_list("revision", flat=True).first()
    return row or 0


def bump_revision() -> int:
    """Record that a keyword list changed; every worker rebuilds its matcher on its next score."""
    with transaction.atomic():
        updated = KeywordListRevision.objects.update(revision=F("revision") + 1)
        if not updated:
            KeywordListRevision.objects.create(revision=1)
    return current_revision()


def load_snapshot() -> Snapshot:
    industries = [
        IndustrySpec(slug=row.slug, name=row.name, is_target=row.is_target, weight=row.weight)
        for row in Industry.objects.all()
    ]
    keywords = [
        KeywordSpec(
            term=term,
            industry_slug=slug,
            language=language,
            weight=weight,
            is_negative=is_negative,
            match_mode=mode,
        )
        for term, slug, language, weight, is_negative, mode in IndustryKeyword.objects.values_list(
            "term", "industry__slug", "language", "weight", "is_negative", "match_mode"
        )
    ]
    return industries, keywords


def current_matcher() -> Matcher:
    """The compiled matcher for the lists as they are now (one cheap query when nothing changed)."""
    return get_matcher(f"r{current_revision()}", load_snapshot)


# --- Editing the lists: every change is recorded, bumps the revision and re-scores in the background ----

CSV_COLUMNS = ("industry_slug", "industry_name", "is_target", "industry_weight", "term", "language", "weight",
               "is_negative", "match_mode")  # fmt: skip


def record_change(user: Any, action: str, industry: str = "", term: str = "", detail: str = "") -> None:
    """Audit one change (who, when, what), bump the revision and queue a re-score of every stored lead."""
    KeywordChange.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        industry=industry[:120],
        term=term[:120],
        detail=detail,
    )
    bump_revision()
    request_rescore(user)


def request_rescore(user: Any = None) -> BackgroundJob:
    """Queue one re-score job; while one is queued or running, later changes ride on it (it loops until current)."""
    active = BackgroundJob.objects.filter(
        kind=BackgroundJob.Kind.RESCORE,
        status__in=[BackgroundJob.Status.QUEUED, BackgroundJob.Status.RUNNING],
    ).first()
    if active is not None:
        return active
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.RESCORE, created_by=user if getattr(user, "is_authenticated", False) else None
    )
    transaction.on_commit(lambda: _enqueue_rescore(job.pk))
    return job


def _enqueue_rescore(job_id: int) -> None:
    from leads import tasks

    try:
        # A short delay gathers a burst of admin edits into one pass.
        tasks.rescore_all.apply_async(args=[job_id], countdown=3, retry=False)
    except Exception as error:  # noqa: BLE001 - broker down: the job row stays queued; the sweeper resends it
        log.warning("could not enqueue re-score job %s: %s", job_id, error)


def sections_from_stored(page_text: list[dict[str, Any]], messages: list[str]) -> list[TextSection]:
    """The fit-scoring sections from stored page text and the company's inquiry messages (no refetch)."""
    sections = []
    for page in page_text if isinstance(page_text, list) else []:
        if not isinstance(page, dict):
            continue
        url = str(page.get("url", ""))
        for kind, key in (
            (SectionKind.TITLE, "title"),
            (SectionKind.META, "meta"),
            (SectionKind.BODY, "text"),
        ):
            value = page.get(key)
            if isinstance(value, str) and value:
                sections.append(TextSection(kind, value, url))
        headings = page.get("headings")
        if isinstance(headings, list) and headings:
            sections.append(TextSection(SectionKind.HEADING, " / ".join(str(h) for h in headings), url))
    sections += [
        TextSection(SectionKind.MESSAGE, message, "inquiry") for message in messages if message.strip()
    ]
    return sections


RESCORE_BATCH = 500


def rescore_all(job_id: int) -> int:
    """Re-score every company from its stored page text and inquiries, reporting progress on the job."""
    job = BackgroundJob.objects.get(pk=job_id)
    total = Company.objects.filter(merged_into__isnull=True).count()
    BackgroundJob.objects.filter(pk=job_id).update(status=BackgroundJob.Status.RUNNING, total=total, done=0)
    scored = 0
    while True:
        revision = current_revision()
        matcher = current_matcher()
        scored = 0
        last_pk = 0
        while True:
            companies = list(
                Company.objects.filter(merged_into__isnull=True, pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "page_text")[:RESCORE_BATCH]
            )
            if not companies:
                break
            last_pk = companies[-1].pk
            messages: dict[int, list[str]] = {}
            for company_id, subject, message in Lead.objects.filter(company__in=companies).values_list(
                "company_id", "subject", "message"
            ):
                messages.setdefault(company_id, []).append(f"{subject}\n{message}"[:5000])
            now = timezone.now()
            for company in companies:
                fit = score_fit(
                    matcher, sections_from_stored(company.page_text, messages.get(company.pk, []))
                )
                company.fit_score = fit.score
                company.fit_tier = fit.tier.value
                company.fit_evidence = fit.to_json()
                company.fit_scored_at = now
                company.fit_keyword_version = matcher.version
            Company.objects.bulk_update(
                companies, ["fit_score", "fit_tier", "fit_evidence", "fit_scored_at", "fit_keyword_version"]
            )
            scored += len(companies)
            BackgroundJob.objects.filter(pk=job_id).update(done=min(scored, total))
        if current_revision() == revision:
            break  # nothing changed while scoring: every company is scored against the current lists
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=BackgroundJob.Status.DONE, done=scored, total=max(total, scored), finished_at=timezone.now()
    )
    return scored


def export_rows() -> list[list[Any]]:
    """Every keyword with its industry, in the CSV's column order."""
    return [
        list(row)
        for row in IndustryKeyword.objects.order_by("industry__slug", "language", "term").values_list(
            "industry__slug",
            "industry__name",
            "industry__is_target",
            "industry__weight",
            "term",
            "language",
            "weight",
            "is_negative",
            "match_mode",
        )  # fmt: skip
    ]


def import_rows(rows: list[KeywordRow], user: Any) -> dict[str, int]:
    """Replace the whole lists of the industries named in the file, atomically; other industries stay as they are."""
    summary = {"industries": 0, "added": 0, "updated": 0, "deleted": 0}
    with transaction.atomic():
        by_slug: dict[str, list[KeywordRow]] = {}
        for row in rows:
            by_slug.setdefault(row.industry_slug, []).append(row)
        for slug, industry_rows in by_slug.items():
            first = industry_rows[0]
            industry, _ = Industry.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": first.industry_name,
                    "is_target": first.is_target,
                    "weight": first.industry_weight,
                },
            )
            summary["industries"] += 1
            current = {(k.term, k.language): k for k in industry.keywords.all()}
            wanted = {(row.term, row.language): row for row in industry_rows}
            stale = [k.pk for key, k in current.items() if key not in wanted]
            summary["deleted"] += IndustryKeyword.objects.filter(pk__in=stale).delete()[0]
            for key, row in wanted.items():
                values = {"weight": row.weight, "is_negative": row.is_negative, "match_mode": row.match_mode}
                existing = current.get(key)
                if existing is None:
                    IndustryKeyword.objects.create(
                        industry=industry, term=row.term, language=row.language, **values
                    )
                    summary["added"] += 1
                elif any(getattr(existing, name) != value for name, value in values.items()):
                    IndustryKeyword.objects.filter(pk=existing.pk).update(**values)
                    summary["updated"] += 1
        detail = ", ".join(f"{count} {name}" for name, count in summary.items())
        record_change(
            user, KeywordChange.Action.IMPORTED, industry=", ".join(sorted(by_slug))[:120], detail=detail
        )
    return summary


def resend_stale_rescore(older_than_s: int = 120) -> int:
    """Send again a re-score job still queued long after it was created (its broker message was lost)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_s)
    stale = list(
        BackgroundJob.objects.filter(
            kind=BackgroundJob.Kind.RESCORE, status=BackgroundJob.Status.QUEUED, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for job_id in stale:
        _enqueue_rescore(job_id)
    return len(stale)
