"""Keyword lists and normalised text in, term occurrences out; and the per-version matcher cache."""

from collections.abc import Iterator

import pytest

from leads.scoring.matcher import Matcher, Snapshot, clear_matcher_cache, compile_matcher, get_matcher
from leads.scoring.normalize import normalize_text
from leads.scoring.specs import IndustrySpec, KeywordSpec, MatchMode

WATER = IndustrySpec("water", "Water treatment", True, 1.0)
HEALTH = IndustrySpec("health", "Hospitals and clinics", True, 1.0)
CASINO = IndustrySpec("casino", "Casinos", False, 1.0)


def keyword(
    term: str, industry: IndustrySpec = WATER, mode: str = "word", *, language: str = "en"
) -> KeywordSpec:
    return KeywordSpec(term, industry.slug, language, 1.0, False, MatchMode(mode))


def matcher_for(
    *keywords: KeywordSpec, industries: tuple[IndustrySpec, ...] = (WATER, HEALTH, CASINO)
) -> Matcher:
    return compile_matcher(industries, keywords, "test")


def found_terms(matcher: Matcher, text: str) -> list[str]:
    return [hit.keyword.term for hit in matcher.find(normalize_text(text))]


@pytest.mark.parametrize(
    ("term", "mode", "text", "expected_count"),
    [
        ("uv", "word", "UV lamps", 1),
        ("uv", "word", "uvula", 0),
        ("uv", "word", "the UV-C range", 1),
        ("uv", "word", "ultraviolet", 0),
        ("pool", "word", "whirlpool", 0),
        ("pool", "word", "pools", 0),
        ("pool", "prefix", "pools and pool covers", 2),
        ("pool", "prefix", "whirlpool", 0),
        ("dezynfek", "prefix", "Dezynfekcji, dezynfekcja, DEZYNFEKCJĘ", 3),
        ("дезинфек", "prefix", "дезинфекции и дезинфекция", 2),
        ("дезинфек", "prefix", "антидезинфекция", 0),
        ("aritma", "prefix", "Su arıtma tesisleri, ARITMA", 2),
        ("water treatment", "phrase", "Water-Treatment and water treatment", 2),
        ("water treatment", "phrase", "water and treatment", 0),
        ("water treatment", "phrase", "wastewater treatment", 0),
        ("water treatment", "phrase", "water treatments", 0),
        ("traitement de l'eau", "phrase", "Traitement de l’eau potable", 1),
        ("Wasser-Aufbereitung", "phrase", "Wasseraufbereitung und Wasser Aufbereitung", 2),
        ("UV-C lamp", "prefix", "UVC lamps, UV-C Lampe, UV C lamp", 3),
        ("254 nm", "word", "254nm, 254 nm and 254-NM", 3),
        ("254nm", "word", "254 nm", 1),
        ("紫外线", "word", "采用紫外线消毒灯", 1),
        ("消毒灯", "word", "采用紫外线消毒灯", 1),
        ("消毒", "word", "采用紫外线消毒灯和消毒车", 2),
        ("uv灯", "word", "采用UV灯", 1),
    ],
)
def test_match_mode_and_boundaries_decide_what_counts(
    term: str, mode: str, text: str, expected_count: int
) -> None:
    matcher = matcher_for(keyword(term, mode=mode))
    assert len(matcher.find(normalize_text(text))) == expected_count


def test_adjacent_words_both_match_when_listed_separately() -> None:
    matcher = matcher_for(keyword("water"), keyword("treatment", HEALTH))
    assert found_terms(matcher, "water treatment") == ["water", "treatment"]


def test_longest_match_wins_and_the_shorter_term_is_not_counted_inside_it() -> None:
    matcher = matcher_for(keyword("sterilizer"), keyword("UV sterilizer", HEALTH))
    assert found_terms(matcher, "Our UV sterilizer beats any sterilizer") == ["UV sterilizer", "sterilizer"]


def test_longest_match_applies_to_cjk_substrings() -> None:
    matcher = matcher_for(keyword("紫外线"), keyword("紫外线消毒车", HEALTH))
    assert found_terms(matcher, "紫外线消毒车和紫外线灯") == ["紫外线消毒车", "紫外线"]


def test_a_term_listed_in_several_industries_counts_for_each() -> None:
    matcher = matcher_for(keyword("hospital", WATER), keyword("hospital", HEALTH))
    hits = matcher.find(normalize_text("hospital"))
    assert sorted(hit.keyword.industry_slug for hit in hits) == ["health", "water"]


def test_a_term_listed_as_word_and_as_prefix_in_two_industries_counts_for_both() -> None:
    matcher = matcher_for(keyword("desinfektion", WATER, "word"), keyword("desinfektion", HEALTH, "prefix"))
    hits = matcher.find(normalize_text("Desinfektion"))
    assert sorted(hit.keyword.industry_slug for hit in hits) == ["health", "water"]


def test_the_same_term_twice_in_one_industry_is_compiled_once() -> None:
    first, second = keyword("Hospital", HEALTH), keyword("hospital", HEALTH, language="es")
    matcher = matcher_for(first, second)
    assert matcher.keywords == (first,)
    assert matcher.skipped == (second,)
    assert len(matcher.find(normalize_text("hospital"))) == 1


def test_a_joined_spelling_never_doubles_a_term_listed_as_written() -> None:
    hyphenated, solid = keyword("Wasser-Aufbereitung"), keyword("Wasseraufbereitung")
    matcher = matcher_for(hyphenated, solid)
    hits = matcher.find(normalize_text("Wasseraufbereitung"))
    assert [hit.keyword for hit in hits] == [solid]


def test_hit_offsets_point_at_the_matched_text() -> None:
    matcher = matcher_for(keyword("water treatment", mode="phrase"), keyword("紫外线"), keyword("uv", HEALTH))
    text = normalize_text("Modern water-treatment: 采用紫外线 and UV.")
    hits = matcher.find(text)
    assert [text[hit.start : hit.end] for hit in hits] == [hit.term for hit in hits]
    assert [hit.term for hit in hits] == ["water treatment", "紫 外 线", "uv"]


def test_tally_lists_each_spelling_and_count_sums_them() -> None:
    hyphenated = keyword("UV-C lamp", mode="prefix")
    matcher = matcher_for(hyphenated)
    text = normalize_text("UVC lamp, UV-C lamps, UVC lamps")
    assert sorted(occurrences for _, occurrences in matcher.tally(text)) == [1, 2]
    assert matcher.count(text) == {hyphenated: 3}


def test_count_agrees_with_find() -> None:
    matcher = matcher_for(keyword("water"), keyword("water", HEALTH), keyword("uv", HEALTH, "prefix"))
    text = normalize_text("water UV uvc water, water")
    hits = matcher.find(text)
    counts = matcher.count(text)
    assert counts == {kw: sum(1 for hit in hits if hit.keyword == kw) for kw in counts}
    assert sum(counts.values()) == len(hits) == 8  # 3 × water in two industries, uv and uvc


@pytest.mark.parametrize(
    "bad",
    [
        KeywordSpec("!!!", "water", "en", 1.0, False, MatchMode.WORD),
        KeywordSpec("pump", "water", "en", 0.0, False, MatchMode.WORD),
    ],
)
def test_terms_that_cannot_match_are_skipped_not_fatal(bad: KeywordSpec) -> None:
    matcher = matcher_for(bad, keyword("pump station"))
    assert matcher.skipped == (bad,)
    assert found_terms(matcher, "pump station pump") == ["pump station"]


def test_unknown_industry_is_a_data_error() -> None:
    with pytest.raises(ValueError, match="unknown industry"):
        matcher_for(KeywordSpec("pump", "nowhere", "en", 1.0, False, MatchMode.WORD))


def test_negative_industry_weight_is_a_data_error() -> None:
    with pytest.raises(ValueError, match="negative weight"):
        matcher_for(industries=(IndustrySpec("water", "Water", True, -1.0),))


def test_match_mode_given_as_a_database_string_is_understood() -> None:
    spec = KeywordSpec("pool", "water", "en", 1.0, False, "prefix")  # type: ignore[arg-type]
    assert spec.match_mode is MatchMode.PREFIX
    assert found_terms(matcher_for(spec), "pools") == ["pool"]


def test_empty_text_and_empty_lists_find_nothing() -> None:
    assert matcher_for(keyword("pool")).find("") == []
    assert matcher_for().find(normalize_text("pool")) == []


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    clear_matcher_cache()
    yield
    clear_matcher_cache()


class CountingLoader:
    """A keyword-list loader that records how often the cache asked for the lists."""

    def __init__(self, *terms: str) -> None:
        self.calls = 0
        self.terms = terms

    def __call__(self) -> Snapshot:
        self.calls += 1
        return [WATER], [keyword(term) for term in self.terms]


@pytest.mark.usefixtures("fresh_cache")
def test_same_version_returns_the_cached_matcher_without_loading_again() -> None:
    loader = CountingLoader("pump")
    first = get_matcher("r1", loader)
    second = get_matcher("r1", loader)
    assert second is first
    assert loader.calls == 1


@pytest.mark.usefixtures("fresh_cache")
def test_new_version_rebuilds_from_the_loader() -> None:
    old_lists, new_lists = CountingLoader("pump"), CountingLoader("pump", "filter")
    old = get_matcher("r1", old_lists)
    new = get_matcher("r2", new_lists)
    assert new is not old
    assert (old_lists.calls, new_lists.calls) == (1, 1)
    assert found_terms(new, "filter pump") == ["filter", "pump"]
    assert get_matcher("r2", new_lists) is new
    assert new_lists.calls == 1


@pytest.mark.usefixtures("fresh_cache")
def test_a_failing_loader_caches_nothing() -> None:
    def broken() -> Snapshot:
        raise RuntimeError("database down")

    with pytest.raises(RuntimeError):
        get_matcher("r1", broken)
    loader = CountingLoader("pump")
    assert get_matcher("r1", loader).version == "r1"
    assert loader.calls == 1


@pytest.mark.usefixtures("fresh_cache")
def test_clearing_the_cache_forces_a_reload() -> None:
    loader = CountingLoader("pump")
    get_matcher("r1", loader)
    clear_matcher_cache()
    get_matcher("r1", loader)
    assert loader.calls == 2
