"""Decides the shape of one seed keyword row: a compact way to write many terms that share a header."""

from __future__ import annotations

from leads.scoring.specs import KeywordSpec, MatchMode

__all__ = ["PHRASE", "PREFIX", "WORD", "negative_terms", "terms"]

WORD = MatchMode.WORD
PHRASE = MatchMode.PHRASE
PREFIX = MatchMode.PREFIX


def terms(
    industry_slug: str, language: str, mode: MatchMode, weight: float, *words: str
) -> tuple[KeywordSpec, ...]:
    """Positive keyword rows: every term in ``words`` with the same industry, language, mode and weight."""
    return tuple(KeywordSpec(word, industry_slug, language, weight, False, mode) for word in words)


def negative_terms(
    industry_slug: str, language: str, mode: MatchMode, weight: float, *words: str
) -> tuple[KeywordSpec, ...]:
    """Keyword rows that count against the fit: terms of a clearly unrelated industry."""
    return tuple(KeywordSpec(word, industry_slug, language, weight, True, mode) for word in words)
