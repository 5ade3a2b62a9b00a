"""Decides where keyword terms occur in normalised text: one Aho-Corasick pass, word boundaries, leftmost-longest.

Boundaries are compiled into the automaton rather than checked afterwards. The haystack
is the normalised text with one space added at each end, and a term's key carries a space
on each side that needs a boundary ("word" and "phrase": both sides; "prefix": the start
only). The automaton reports overlapping keys, so "water" and "treatment" in "water
treatment" both match although their keys share the space between them. Scripts written
without spaces (Chinese, Japanese, Korean, Thai...) need no exception: normalisation makes
each of their characters a word, so "紫外线" matches inside "紫外线消毒灯" like a substring.

Spelling variants: normalisation already makes hyphens, slashes, underscores and spaces
one space, and splits letters from digits. A term written with a hyphen, slash or
underscore also matches with that joiner dropped: "Wasser-Aufbereitung" matches
"Wasseraufbereitung", "UV-C lamp" matches "UVC lamp". The reverse cannot be derived (a
compound does not say where it may break), so lists should spell compounds with the hyphen.

Overlaps resolve leftmost-longest on the matched text: scanning left to right, the longest
match starting at the earliest position wins and the text it covers cannot count again.
So "uv sterilizer" counts once for that term, not also as "sterilizer"; a span of text is
evidence once, for the most specific term. When one span matches keywords of several
industries (the same term listed twice, even in different modes), it counts once for each
industry; within one industry a span counts once.

``get_matcher`` keeps one compiled matcher per process and rebuilds it only when the
snapshot version changes: the shell derives the version from the keyword lists, so an
admin edit reaches every worker on its next score without a restart.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from types import MappingProxyType

import ahocorasick

from leads.scoring.normalize import normalize_text
from leads.scoring.specs import IndustrySpec, KeywordSpec, MatchMode

__all__ = [
    "Hit",
    "Matcher",
    "Snapshot",
    "clear_matcher_cache",
    "compile_matcher",
    "get_matcher",
]

# A hyphen, slash or underscore between two non-space characters of a term: a joiner that writers also drop.
_JOINER = re.compile(r"(?<=\S)[-\u2010\u2011_/](?=\S)")
# Every subset of up to this many joiners is tried; beyond it only "all joined" (2^n keys per term).
_MAX_JOINER_COMBINATIONS = 3


@dataclass(frozen=True, slots=True)
class Hit:
    start: int  # offset of the first character in the normalised text
    end: int  # offset just past the last character
    term: str  # the normalised text that matched: the term, or its joined spelling
    keyword: KeywordSpec


@dataclass(frozen=True, slots=True, eq=False)
class _Entry:
    """What the automaton stores for one key: every keyword matching that normalised form in that boundary shape."""

    start_offset: int  # start of the form in the text = automaton end index + start_offset
    length: int  # characters of the form in the normalised text
    form: str
    keywords: tuple[KeywordSpec, ...]


_SPAN_ORDER = itemgetter(0, 1)


@dataclass(frozen=True, slots=True, eq=False)
class Matcher:
    version: str
    industries: Mapping[str, IndustrySpec]
    keywords: tuple[KeywordSpec, ...]  # those compiled into the automaton
    # Terms with nothing left after normalisation, a weight <= 0, or repeating another term of their industry.
    skipped: tuple[KeywordSpec, ...]
    _automaton: ahocorasick.Automaton = field(repr=False)

    def _spans(self, text_normalized: str) -> list[tuple[int, int, _Entry]]:
        """Accepted (start, -length, entry) matches in text order, after leftmost-longest resolution."""
        if not text_normalized or not self.keywords:
            return []
        candidates = [
            (end_index + entry.start_offset, -entry.length, entry)
            for end_index, entry in self._automaton.iter(f" {text_normalized} ")
        ]
        if not candidates:
            return []
        # The automaton reports by end position; already almost sorted by start, which timsort exploits.
        candidates.sort(key=_SPAN_ORDER)
        accepted: list[tuple[int, int, _Entry]] = []
        covered_until = 0  # text offset just past the last accepted span
        last_start = last_negative_length = -1
        for candidate in candidates:
            start, negative_length, _ = candidate
            if start >= covered_until:
                accepted.append(candidate)
                covered_until = start - negative_length
                last_start, last_negative_length = start, negative_length
            elif start == last_start and negative_length == last_negative_length:
                # The same text under another boundary shape (e.g. a word and a prefix key): one span.
                accepted.append(candidate)
        return accepted

    def find(self, text_normalized: str) -> list[Hit]:
        """Every term occurrence in ``text_normalized`` (output of ``normalize_text``), left to right."""
        return [
            Hit(start, start - negative_length, entry.form, keyword)
            for start, negative_length, entry in self._spans(text_normalized)
            for keyword in entry.keywords
        ]

    def tally(self, text_normalized: str) -> list[tuple[KeywordSpec, int]]:
        """(keyword, occurrences) pairs for ``text_normalized``, as ``find`` resolves them, without offsets.

        A keyword matched under two spellings ("UV-C lamp" and "UVC lamp") comes in two pairs.
        No keyword is hashed, which keeps this the cheap path for scoring many sections.
        """
        per_entry = Counter(entry for _, _, entry in self._spans(text_normalized))
        return [
            (keyword, occurrences) for entry, occurrences in per_entry.items() for keyword in entry.keywords
        ]

    def count(self, text_normalized: str) -> Counter[KeywordSpec]:
        """How often each keyword occurs in ``text_normalized``: ``tally`` summed per keyword."""
        counts: Counter[KeywordSpec] = Counter()
        for keyword, occurrences in self.tally(text_normalized):
            counts[keyword] += occurrences
        return counts


def _spellings(term: str) -> list[str]:
    """Normal forms a term matches: as written first, then with some or all of its joiners dropped."""
    pieces = _JOINER.split(term)
    joiner_count = len(pieces) - 1
    if joiner_count > _MAX_JOINER_COMBINATIONS:
        glue_choices: Iterable[tuple[str, ...]] = [(" ",) * joiner_count, ("",) * joiner_count]
    else:
        glue_choices = itertools.product((" ", ""), repeat=joiner_count)
    forms: list[str] = []
    for glues in glue_choices:
        spelled = pieces[0] + "".join(glue + piece for glue, piece in zip(glues, pieces[1:], strict=True))
        form = normalize_text(spelled)
        if form and form not in forms:
            forms.append(form)
    return forms


def _key_for(form: str, mode: MatchMode) -> tuple[str, int]:
    """The automaton key for a normalised form, and the offset from the key's last character to the form's start."""
    key = f" {form}" if mode is MatchMode.PREFIX else f" {form} "
    # In the haystack the key starts at end index + 1 - len(key) and the form one character later;
    # the haystack's extra leading space puts the text offset one character earlier again.
    return key, 1 - len(key)


def compile_matcher(
    industries: Iterable[IndustrySpec], keywords: Iterable[KeywordSpec], version: str
) -> Matcher:
    """Build one automaton over every keyword's normalised term and its joined spellings.

    Raises ``ValueError`` for a keyword whose industry is not listed or an industry with a
    negative weight: those are data-integrity bugs, not editing slips. Terms that normalise
    to nothing, have a weight <= 0, or repeat a term already listed for the same industry
    (e.g. "Hospital" and "hospital", or the same word in two languages), are set aside in
    ``Matcher.skipped`` instead, so one bad admin entry cannot stop scoring or count double.
    """
    industry_map: dict[str, IndustrySpec] = {}
    for industry in industries:
        if industry.weight < 0:
            raise ValueError(f"industry {industry.slug!r} has a negative weight")
        industry_map[industry.slug] = industry

    compiled: list[tuple[KeywordSpec, list[str]]] = []
    skipped: list[KeywordSpec] = []
    claimed: set[tuple[str, str]] = set()  # (form, industry slug): a span counts once per industry
    for keyword in keywords:
        if keyword.industry_slug not in industry_map:
            raise ValueError(f"keyword {keyword.term!r} names unknown industry {keyword.industry_slug!r}")
        forms = _spellings(keyword.term) if keyword.weight > 0 else []
        if not forms or (forms[0], keyword.industry_slug) in claimed:
            skipped.append(keyword)
            continue
        claimed.add((forms[0], keyword.industry_slug))
        compiled.append((keyword, forms))

    grouped: dict[str, tuple[str, int, list[KeywordSpec]]] = {}

    def add(form: str, keyword: KeywordSpec) -> None:
        key, start_offset = _key_for(form, keyword.match_mode)
        grouped.setdefault(key, (form, start_offset, []))[2].append(keyword)

    for keyword, forms in compiled:
        add(forms[0], keyword)
    # Joined spellings second, so a term listed as written always wins over another term's variant.
    for keyword, forms in compiled:
        for form in forms[1:]:
            if (form, keyword.industry_slug) not in claimed:
                claimed.add((form, keyword.industry_slug))
                add(form, keyword)

    automaton = ahocorasick.Automaton()
    for key, (form, start_offset, group) in grouped.items():
        automaton.add_word(key, _Entry(start_offset, len(form), form, tuple(group)))
    if grouped:
        automaton.make_automaton()
    return Matcher(
        version=version,
        industries=MappingProxyType(industry_map),
        keywords=tuple(keyword for keyword, _ in compiled),
        skipped=tuple(skipped),
        _automaton=automaton,
    )


Snapshot = tuple[Iterable[IndustrySpec], Iterable[KeywordSpec]]

_cache_lock = threading.Lock()
_current: Matcher | None = None  # the matcher for the newest version seen


def get_matcher(snapshot_version: str, loader: Callable[[], Snapshot]) -> Matcher:
    """The compiled matcher for ``snapshot_version``, calling ``loader`` only when the version changed."""
    global _current
    current = _current  # one read: another thread may swap it meanwhile
    if current is not None and current.version == snapshot_version:
        return current
    with _cache_lock:
        # Another thread may have built it while this one waited for the lock.
        current = _current
        if current is not None and current.version == snapshot_version:
            return current
        industries, keywords = loader()
        current = compile_matcher(industries, keywords, snapshot_version)
        _current = current
        return current


def clear_matcher_cache() -> None:
    """Forget the cached matcher, so the next ``get_matcher`` call loads afresh."""
    global _current
    with _cache_lock:
        _current = None
