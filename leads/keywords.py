"""The keyword lists as the scoring core sees them: loaded from the database, versioned by a revision counter.

Every change to a list bumps `KeywordListRevision`; each worker compares the revision on its
next score and rebuilds its Aho-Corasick matcher only when it moved.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from leads.models import Industry, IndustryKeyword, KeywordListRevision
from leads.scoring.matcher import Matcher, Snapshot, get_matcher
from leads.scoring.specs import IndustrySpec, KeywordSpec


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
