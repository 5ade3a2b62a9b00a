"""Merging two companies that are one business: the merged one's contacts and leads (with their activities,
follow-up tasks and attachments) move to the survivor, which keeps its own values and takes only what it lacks.

The merged company is not deleted: it stays as a record pointing at the survivor (merged_into), and a
CompanyMerge row keeps what it was and what moved, so nothing is lost and the merge can be read back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet

from followups.models import Activity, FollowUpTask
from leads.company_match import name_similarity, search_words
from leads.models import Attachment, Company, CompanyMerge, Contact, Lead
from leads.verification.email import is_free_provider

# Filled one by one when the survivor has none.
_SIMPLE_FIELDS = ("name", "website", "domain", "country", "subdivision")
# Results of one check belong together: taken whole from the merged company, or not at all.
_WEBSITE_CHECK = (
    "website_verdict",
    "website_reasons",
    "website_final_url",
    "website_evidence",
    "website_checked_at",
    "page_text",
)
_FIT_SCORE = ("fit_score", "fit_tier", "fit_evidence", "fit_scored_at", "fit_keyword_version")
SIMILAR_NAME = 0.75


class MergeError(Exception):
    """The merge was refused (same company, or one of them already merged); nothing changed."""


@dataclass(frozen=True, slots=True)
class Candidate:
    company: Company
    reasons: tuple[str, ...]
    score: float


def merge_companies(survivor: Company, merged: Company, user: AbstractBaseUser | None = None) -> CompanyMerge:
    """Fold `merged` into `survivor` in one transaction and record it."""
    if survivor.pk == merged.pk:
        raise MergeError("A company cannot be merged into itself.")
    with transaction.atomic():
        locked = {
            c.pk: c
            for c in Company.objects.select_for_update()
            .filter(pk__in=[survivor.pk, merged.pk])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise MergeError("One of the companies no longer exists.")
        keep, gone = locked[survivor.pk], locked[merged.pk]
        if keep.merged_into_id or gone.merged_into_id:
            raise MergeError("One of the companies was already merged into another.")
        moved = {
            "contacts": Contact.objects.filter(company=gone).count(),
            "leads": Lead.objects.filter(company=gone).count(),
            "activities": Activity.objects.filter(lead__company=gone).count(),
            "followup_tasks": FollowUpTask.objects.filter(lead__company=gone).count(),
            "attachments": Attachment.objects.filter(lead__company=gone).count(),
        }
        Contact.objects.filter(company=gone).update(company=keep)
        Lead.objects.filter(company=gone).update(company=keep)
        # Companies merged into this one earlier now point at the survivor too: no chain to follow.
        Company.objects.filter(merged_into=gone).update(merged_into=keep)
        gone.merged_into = keep
        gone.save(update_fields=["merged_into", "updated_at"])  # frees its domain for the survivor
        filled = _fill_from(keep, gone)
        if filled:
            keep.save(update_fields=[*filled, "updated_at"])
        record = CompanyMerge.objects.create(
            survivor=keep,
            merged_company=gone,
            merged_company_pk=gone.pk,
            merged_name=gone.name,
            merged_domain=gone.domain,
            moved=moved,
            filled_fields=filled,
            merged_by=user if user is not None and user.is_authenticated else None,
        )
    for name in filled:
        setattr(survivor, name, getattr(keep, name))
    merged.merged_into = keep
    return record


def _fill_from(keep: Company, gone: Company) -> list[str]:
    filled = [name for name in _SIMPLE_FIELDS if not getattr(keep, name) and getattr(gone, name)]
    if keep.website_checked_at is None and gone.website_checked_at is not None:
        filled += _WEBSITE_CHECK
    if keep.fit_scored_at is None and gone.fit_scored_at is not None:
        filled += _FIT_SCORE
    for name in filled:
        setattr(keep, name, getattr(gone, name))
    return filled


def merge_history(company: Company) -> QuerySet[CompanyMerge]:
    """What was merged into this company, directly or through a company merged into it later."""
    absorbed = Company.objects.filter(merged_into=company).values("pk")
    return (
        CompanyMerge.objects.filter(Q(survivor=company) | Q(survivor__in=absorbed))
        .select_related("merged_by", "survivor")
        .order_by("-at", "-id")
    )


def merge_candidates(company: Company, limit: int = 20) -> list[Candidate]:
    """Companies that are likely the same business: a shared email domain, or a similar name."""
    active = Company.objects.filter(merged_into__isnull=True).exclude(pk=company.pk)
    reasons: dict[int, list[str]] = {}
    scores: dict[int, float] = {}
    found: dict[int, Company] = {}

    def note(other: Company, reason: str, score: float) -> None:
        found[other.pk] = other
        reasons.setdefault(other.pk, []).append(reason)
        scores[other.pk] = max(scores.get(other.pk, 0.0), score)

    if company.domain:
        for other in active.filter(
            Q(contacts__email__iendswith="@" + company.domain)
            | Q(contacts__email__iendswith="." + company.domain)
        ).distinct()[:limit]:
            note(other, f"a contact writes from {company.domain}", 1.0)
        for other in active.filter(website__icontains=company.domain)[:limit]:
            note(other, f"its website is on {company.domain}", 1.0)
    own_domains = {
        email.rpartition("@")[2].lower()
        for email in Contact.objects.filter(company=company).exclude(email="").values_list("email", flat=True)
    }
    own_domains = {domain for domain in own_domains if domain and not is_free_provider(domain)}
    for domain in sorted(own_domains)[:10]:
        for other in active.filter(Q(domain=domain) | Q(domain__iendswith="." + domain))[:limit]:
            note(other, f"its domain {other.domain} is this company's contacts' email domain", 1.0)
    words = search_words(company.name)
    if words:
        query = Q()
        for word in words:
            query |= Q(name__icontains=word)
        for other in active.filter(query).order_by("-pk")[:200]:
            similarity = name_similarity(company.name, other.name)
            if similarity >= SIMILAR_NAME:
                note(other, f"similar name ({similarity:.0%})", similarity)
    ranked = sorted(found.values(), key=lambda other: (-scores[other.pk], other.pk))[:limit]
    return [Candidate(other, tuple(reasons[other.pk]), scores[other.pk]) for other in ranked]


def search_companies(company: Company, text: str, limit: int = 20) -> list[Company]:
    """Companies (not merged, not this one) whose name or domain contains the text, to merge by hand."""
    text = text.strip()
    if not text:
        return []
    return list(
        Company.objects.filter(merged_into__isnull=True)
        .exclude(pk=company.pk)
        .filter(Q(name__icontains=text) | Q(domain__icontains=text))
        .order_by("name", "pk")[:limit]
    )
