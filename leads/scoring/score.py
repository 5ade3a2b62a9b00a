"""Decides how well a company fits the target industries: a saturating 0–100 score, a tier, and reasons a rep can read.

The formula, in three steps:

1. Each distinct matched keyword gives points = term weight × industry weight × the weight
   of the most prominent section it appeared in (title 3, meta/heading/message 2, body 1)
   × a count factor of 1 + ln(count), capped at 3 (reached at 8 occurrences).
2. Points of target-industry terms add up to x; points of negative evidence (a term marked
   negative, or any term of a non-target industry) add up to y.
   score = 100 × (1 − e^(−x/8)) − 60 × (1 − e^(−y/6)), rounded and clamped to 0–100.
3. Tier A ≥ 75, B ≥ 55, C ≥ 30, D below.

Why this shape: both curves saturate, so a long page cannot win by length and one term
repeated 500 times is worth three mentions at most. About four distinct terms in headings
and body already reach tier B; a title naming the business plus a few body terms reaches
A. The penalty is capped at 60 points and one unrelated body word costs about 9, so a
stray "casino" on a water-treatment site does not sink it, while a page full of unrelated
terms and no target terms ends at 0. An industry with weight 0 gives no points either way:
its terms are reported ("does not change the fit") and nothing else, for classification.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from leads.scoring.matcher import Matcher
from leads.scoring.normalize import normalize_text
from leads.scoring.specs import IndustrySpec, KeywordSpec, SectionKind, TextSection

__all__ = [
    "SECTION_WEIGHTS",
    "FitResult",
    "IndustryFit",
    "TermMatch",
    "Tier",
    "score_fit",
    "tier_for",
]


class Tier(StrEnum):
    A = "A"  # score >= 75: clear fit, worth a rep's time now
    B = "B"  # score >= 55: likely fit
    C = "C"  # score >= 30: some evidence, check by hand
    D = "D"  # below 30: no real evidence, or unrelated


_TIER_FLOORS: tuple[tuple[int, Tier], ...] = ((75, Tier.A), (55, Tier.B), (30, Tier.C))

# Where a business says what it does: the title and headings name it, the body rambles.
SECTION_WEIGHTS: Mapping[SectionKind, float] = {
    SectionKind.TITLE: 3.0,
    SectionKind.META: 2.0,
    SectionKind.HEADING: 2.0,
    SectionKind.MESSAGE: 2.0,
    SectionKind.BODY: 1.0,
}

_SECTION_PHRASES: Mapping[SectionKind, str] = {
    SectionKind.TITLE: "the page title",
    SectionKind.META: "the meta description",
    SectionKind.HEADING: "headings",
    SectionKind.BODY: "the page text",
    SectionKind.MESSAGE: "the inquiry message",
}
_SECTION_ORDER: Mapping[SectionKind, int] = {kind: index for index, kind in enumerate(SectionKind)}

_POSITIVE_SCALE = 8.0  # x at which the positive curve reaches 63 points
_PENALTY_MAX = 60.0
_PENALTY_SCALE = 6.0
_COUNT_FACTOR_CAP = 3.0

_MAX_POSITIVE_LINES = 8
_MAX_NEGATIVE_LINES = 5
_MAX_NEUTRAL_LINES = 3
_MAX_INDUSTRIES_IN_SUMMARY = 3


@dataclass(frozen=True, slots=True)
class IndustryFit:
    slug: str
    name: str
    score: float  # points this industry added to the fit (negative: took away), before clamping, 1 decimal
    is_target: bool


@dataclass(frozen=True, slots=True)
class TermMatch:
    term: str  # as written in the keyword list
    industry_slug: str
    industry_name: str
    language: str
    count: int
    sections: tuple[SectionKind, ...]  # in SectionKind order
    is_negative: bool  # counted against the fit: a negative term, or a term of a non-target industry
    points: float  # raw evidence before the saturation curves, 2 decimals; 0 for report-only terms


@dataclass(frozen=True, slots=True)
class FitResult:
    score: int  # 0–100
    tier: Tier
    industries: tuple[IndustryFit, ...]  # most positive first
    matches: tuple[TermMatch, ...]  # strongest evidence first
    explanation: tuple[str, ...]  # sentences for a sales rep, summary first
    keywords_version: str = field(default="")  # the keyword snapshot that produced this result

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict for storing the result next to the lead; ``from_json`` reads it back."""
        return {
            "score": self.score,
            "tier": self.tier.value,
            "keywords_version": self.keywords_version,
            "industries": [
                {"slug": fit.slug, "name": fit.name, "score": fit.score, "is_target": fit.is_target}
                for fit in self.industries
            ],
            "matches": [
                {
                    "term": match.term,
                    "industry": match.industry_slug,
                    "industry_name": match.industry_name,
                    "language": match.language,
                    "count": match.count,
                    "sections": [kind.value for kind in match.sections],
                    "is_negative": match.is_negative,
                    "points": match.points,
                }
                for match in self.matches
            ],
            "explanation": list(self.explanation),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FitResult:
        """The result stored by ``to_json``. Raises ``KeyError``/``ValueError`` on a dict of another shape."""
        return cls(
            score=int(data["score"]),
            tier=Tier(data["tier"]),
            industries=tuple(
                IndustryFit(
                    slug=item["slug"],
                    name=item["name"],
                    score=float(item["score"]),
                    is_target=bool(item["is_target"]),
                )
                for item in data["industries"]
            ),
            matches=tuple(
                TermMatch(
                    term=item["term"],
                    industry_slug=item["industry"],
                    industry_name=item.get("industry_name", item["industry"]),
                    language=item["language"],
                    count=int(item["count"]),
                    sections=tuple(SectionKind(kind) for kind in item["sections"]),
                    is_negative=bool(item["is_negative"]),
                    points=float(item.get("points", 0.0)),
                )
                for item in data["matches"]
            ),
            explanation=tuple(data["explanation"]),
            keywords_version=data.get("keywords_version", ""),
        )


def tier_for(score: int) -> Tier:
    """The tier a 0–100 score falls in."""
    for floor, tier in _TIER_FLOORS:
        if score >= floor:
            return tier
    return Tier.D


def _count_factor(count: int) -> float:
    return min(1.0 + math.log(count), _COUNT_FACTOR_CAP)


@dataclass(frozen=True, slots=True)
class _Evidence:
    keyword: KeywordSpec
    industry: IndustrySpec
    count: int
    sections: tuple[SectionKind, ...]
    points: float  # raw evidence before the saturation curves
    direction: int  # +1 adds to the fit, -1 lowers it, 0 is reported only


def _direction(keyword: KeywordSpec, industry: IndustrySpec, points: float) -> int:
    if points <= 0:
        return 0
    # An unrelated industry's terms are evidence against the fit whether or not each row says so.
    if keyword.is_negative or not industry.is_target:
        return -1
    return 1


def _gather_evidence(matcher: Matcher, sections: Sequence[TextSection]) -> list[_Evidence]:
    # Keyed by id(): hashing a KeywordSpec runs Python code over all its fields, an int hash does not.
    counts: dict[int, tuple[KeywordSpec, dict[SectionKind, int]]] = {}
    for section in sections:
        for keyword, occurrences in matcher.tally(normalize_text(section.text)):
            per_kind = counts.setdefault(id(keyword), (keyword, {}))[1]
            per_kind[section.kind] = per_kind.get(section.kind, 0) + occurrences

    evidence: list[_Evidence] = []
    for keyword, per_kind in counts.values():
        industry = matcher.industries[keyword.industry_slug]
        if len(per_kind) == 1:  # the usual case: found in one kind of section
            [(kind, total)] = per_kind.items()
            kinds: tuple[SectionKind, ...] = (kind,)
            prominence = SECTION_WEIGHTS[kind]
        else:
            total = sum(per_kind.values())
            kinds = tuple(sorted(per_kind, key=_SECTION_ORDER.__getitem__))
            prominence = max(SECTION_WEIGHTS[kind] for kind in kinds)
        points = keyword.weight * industry.weight * prominence * _count_factor(total)
        evidence.append(
            _Evidence(keyword, industry, total, kinds, points, _direction(keyword, industry, points))
        )
    evidence.sort(key=lambda item: (-item.points, item.keyword.term, item.industry.slug))
    return evidence


def _saturate(amount: float, ceiling: float, scale: float) -> float:
    return ceiling * (1.0 - math.exp(-amount / scale))


def score_fit(matcher: Matcher, sections: Sequence[TextSection]) -> FitResult:
    """Score how well the text of a lead (site pages, inquiry message) fits the target industries."""
    evidence = _gather_evidence(matcher, sections)
    positive_total = sum(item.points for item in evidence if item.direction > 0)
    negative_total = sum(item.points for item in evidence if item.direction < 0)
    positive_points = _saturate(positive_total, 100.0, _POSITIVE_SCALE)
    penalty_points = _saturate(negative_total, _PENALTY_MAX, _PENALTY_SCALE)
    score = max(0, min(100, round(positive_points - penalty_points)))
    tier = tier_for(score)

    industries = _industry_fits(evidence, positive_total, positive_points, negative_total, penalty_points)
    matches = tuple(
        TermMatch(
            term=item.keyword.term,
            industry_slug=item.industry.slug,
            industry_name=item.industry.name,
            language=item.keyword.language,
            count=item.count,
            sections=item.sections,
            is_negative=item.direction < 0,
            points=round(item.points, 2),
        )
        for item in evidence
    )
    return FitResult(
        score=score,
        tier=tier,
        industries=industries,
        matches=matches,
        explanation=_explain(score, tier, evidence, industries),
        keywords_version=matcher.version,
    )


def _industry_fits(
    evidence: Sequence[_Evidence],
    positive_total: float,
    positive_points: float,
    negative_total: float,
    penalty_points: float,
) -> tuple[IndustryFit, ...]:
    # Each industry's share of a curve is proportional to its share of the raw evidence on that side.
    contributions: dict[str, float] = {}
    industries: dict[str, IndustrySpec] = {}
    for item in evidence:
        slug = item.industry.slug
        industries[slug] = item.industry
        share = 0.0
        if item.direction > 0:
            share = positive_points * item.points / positive_total
        elif item.direction < 0:
            share = -penalty_points * item.points / negative_total
        contributions[slug] = contributions.get(slug, 0.0) + share
    fits = [
        IndustryFit(
            slug=slug,
            name=industries[slug].name,
            score=round(contribution, 1),
            is_target=industries[slug].is_target,
        )
        for slug, contribution in contributions.items()
    ]
    fits.sort(key=lambda fit: (-fit.score, fit.slug))
    return tuple(fits)


def _join_words(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _summary(score: int, tier: Tier, evidence: Sequence[_Evidence], industries: Sequence[IndustryFit]) -> str:
    head = f"Fit {score}/100 (tier {tier.value})"
    helping = [fit.name for fit in industries if fit.score > 0][:_MAX_INDUSTRIES_IN_SUMMARY]
    hurting = [fit.name for fit in reversed(industries) if fit.score < 0][:_MAX_INDUSTRIES_IN_SUMMARY]
    if not evidence:
        return f"{head}: no industry keywords found."
    if helping and hurting:
        return f"{head}: fits {_join_words(helping)}; lowered by {_join_words(hurting)}."
    if helping:
        return f"{head}: fits {_join_words(helping)}."
    if hurting:
        return f"{head}: only evidence against a fit ({_join_words(hurting)})."
    return f"{head}: only industries that do not affect the fit were found."


def _evidence_line(item: _Evidence) -> str:
    where = _join_words([_SECTION_PHRASES[kind] for kind in item.sections])
    found = f"“{item.keyword.term}” ({item.industry.name}) found {_times(item.count)} in {where}"
    if item.direction > 0:
        return f"{found}."
    if item.direction < 0:
        return f"{found}: lowers the fit."
    return f"{found}: noted, does not change the fit."


def _explain(
    score: int, tier: Tier, evidence: Sequence[_Evidence], industries: Sequence[IndustryFit]
) -> tuple[str, ...]:
    lines = [_summary(score, tier, evidence, industries)]
    positive = [item for item in evidence if item.direction > 0]
    negative = [item for item in evidence if item.direction < 0]
    neutral = [item for item in evidence if item.direction == 0]
    for items, limit, kind_of_terms in (
        (positive, _MAX_POSITIVE_LINES, "matching terms"),
        (negative, _MAX_NEGATIVE_LINES, "terms against the fit"),
        (neutral, _MAX_NEUTRAL_LINES, "terms that do not change the fit"),
    ):
        lines.extend(_evidence_line(item) for item in items[:limit])
        if len(items) > limit:
            lines.append(f"…and {len(items) - limit} more {kind_of_terms}.")
    return tuple(lines)
