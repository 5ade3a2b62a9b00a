"""Decides what the fit score is computed from: industries, their keyword terms, and the text sections of a lead."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["IndustrySpec", "KeywordSpec", "MatchMode", "SectionKind", "TextSection"]


class MatchMode(StrEnum):
    WORD = "word"  # whole word: boundaries on both sides
    PHRASE = "phrase"  # several whole words in a row: boundaries on both sides
    PREFIX = "prefix"  # boundary at the start only, for inflected forms and compounds


class SectionKind(StrEnum):
    TITLE = "title"
    META = "meta"  # meta description and keywords
    HEADING = "heading"
    BODY = "body"
    MESSAGE = "message"  # the lead's own inquiry text


@dataclass(frozen=True, slots=True)
class IndustrySpec:
    slug: str
    name: str  # shown to sales reps in explanations
    is_target: bool  # False: an unrelated industry whose terms lower the fit
    weight: float  # scales every term of the industry; 0 keeps it for reporting only


@dataclass(frozen=True, slots=True)
class KeywordSpec:
    term: str  # as written by whoever maintains the list; normalised before matching
    industry_slug: str
    language: str  # ISO 639-1 code
    weight: float
    is_negative: bool  # True: evidence against the fit
    match_mode: MatchMode

    def __post_init__(self) -> None:
        # The shell passes the database's plain string ("prefix"); identity checks need the enum member.
        object.__setattr__(self, "match_mode", MatchMode(self.match_mode))


@dataclass(frozen=True, slots=True)
class TextSection:
    kind: SectionKind
    text: str
    source: str  # where the text came from, e.g. a page URL or "inquiry form"

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", SectionKind(self.kind))
