"""The seed keyword lists are consistent: every term compiles, counts once, and sits in a known industry."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from leads.scoring.matcher import Matcher, compile_matcher
from leads.scoring.normalize import normalize_text
from leads.scoring.seed import INDUSTRIES, KEYWORDS, NEGATIVE_INDUSTRIES, TARGET_INDUSTRIES, terms
from leads.scoring.specs import KeywordSpec, MatchMode

REQUIRED_LANGUAGES = {"en", "de", "fr", "es", "it", "pt", "tr", "pl", "ru"}
KNOWN_LANGUAGES = REQUIRED_LANGUAGES | {"zh", "ar", "nl"}
MIN_PREFIX_CHARS = 4
MIN_TERMS_PER_TARGET_INDUSTRY = 40
# Column sizes of Industry and IndustryKeyword, so the data migration can load every row.
MAX_SLUG_CHARS = 60
MAX_NAME_CHARS = 120
MAX_TERM_CHARS = 120

TARGET_SLUGS = {industry.slug for industry in TARGET_INDUSTRIES}
NEGATIVE_SLUGS = {industry.slug for industry in NEGATIVE_INDUSTRIES}


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return compile_matcher(INDUSTRIES, KEYWORDS, "seed")


def _label(keyword: KeywordSpec) -> str:
    return f"{keyword.term!r} [{keyword.language}, {keyword.industry_slug}]"


def test_seed_compiles_without_setting_any_keyword_aside(matcher: Matcher) -> None:
    assert [_label(keyword) for keyword in matcher.skipped] == []
    assert len(matcher.keywords) == len(KEYWORDS)


def test_no_term_is_listed_twice_for_one_industry_after_normalization() -> None:
    seen: dict[tuple[str, str], KeywordSpec] = {}
    duplicates = []
    for keyword in KEYWORDS:
        key = (normalize_text(keyword.term), keyword.industry_slug)
        if key in seen:
            duplicates.append(f"{_label(keyword)} repeats {_label(seen[key])}")
        seen[key] = keyword
    assert duplicates == []


def test_no_term_belongs_to_two_industries_after_normalization() -> None:
    # A shared span would count once per industry: one word would score twice.
    industries_by_term: dict[str, set[str]] = defaultdict(set)
    for keyword in KEYWORDS:
        industries_by_term[normalize_text(keyword.term)].add(keyword.industry_slug)
    shared = {term: sorted(slugs) for term, slugs in industries_by_term.items() if len(slugs) > 1}
    assert shared == {}


def test_every_target_industry_has_terms_in_all_required_languages() -> None:
    languages: dict[str, set[str]] = defaultdict(set)
    for keyword in KEYWORDS:
        languages[keyword.industry_slug].add(keyword.language)
    missing = {
        slug: sorted(REQUIRED_LANGUAGES - languages[slug])
        for slug in sorted(TARGET_SLUGS)
        if REQUIRED_LANGUAGES - languages[slug]
    }
    assert missing == {}


def test_every_target_industry_has_a_real_vocabulary() -> None:
    counts = Counter(keyword.industry_slug for keyword in KEYWORDS)
    thin = {slug: counts[slug] for slug in TARGET_SLUGS if counts[slug] < MIN_TERMS_PER_TARGET_INDUSTRY}
    assert thin == {}


def test_every_negative_industry_has_terms_in_all_required_languages() -> None:
    languages: dict[str, set[str]] = defaultdict(set)
    for keyword in KEYWORDS:
        languages[keyword.industry_slug].add(keyword.language)
    missing = {
        slug: sorted(REQUIRED_LANGUAGES - languages[slug])
        for slug in sorted(NEGATIVE_SLUGS)
        if REQUIRED_LANGUAGES - languages[slug]
    }
    assert missing == {}


def test_no_prefix_term_is_shorter_than_four_characters_after_normalization() -> None:
    short = [
        _label(keyword)
        for keyword in KEYWORDS
        if keyword.match_mode is MatchMode.PREFIX and len(normalize_text(keyword.term)) < MIN_PREFIX_CHARS
    ]
    assert short == []


def test_word_terms_are_one_word_and_phrase_terms_several() -> None:
    # Chinese normalises to one word per character, so a two-character Chinese term is a phrase.
    mislabelled = []
    for keyword in KEYWORDS:
        word_count = len(normalize_text(keyword.term).split())
        if keyword.match_mode is MatchMode.WORD and word_count != 1:
            mislabelled.append(_label(keyword))
        if keyword.match_mode is MatchMode.PHRASE and word_count < 2:
            mislabelled.append(_label(keyword))
    assert mislabelled == []


def test_every_keyword_names_a_listed_industry() -> None:
    slugs = {industry.slug for industry in INDUSTRIES}
    assert sorted({keyword.industry_slug for keyword in KEYWORDS} - slugs) == []


def test_every_industry_has_keywords() -> None:
    used = {keyword.industry_slug for keyword in KEYWORDS}
    assert sorted(industry.slug for industry in INDUSTRIES if industry.slug not in used) == []


def test_industry_slugs_are_unique_and_lower_snake_case() -> None:
    slugs = [industry.slug for industry in INDUSTRIES]
    assert len(slugs) == len(set(slugs))
    assert [slug for slug in slugs if not re.fullmatch(r"[a-z]+(_[a-z]+)*", slug)] == []


def test_weights_are_positive() -> None:
    assert [industry.slug for industry in INDUSTRIES if industry.weight <= 0] == []
    assert [_label(keyword) for keyword in KEYWORDS if keyword.weight <= 0] == []


def test_our_own_product_terms_weigh_most() -> None:
    weights = {industry.slug: industry.weight for industry in INDUSTRIES}
    assert weights["uv_products"] == max(weights.values())


def test_negative_industries_hold_only_negative_terms_and_targets_only_positive_ones() -> None:
    assert all(industry.is_target for industry in TARGET_INDUSTRIES)
    assert not any(industry.is_target for industry in NEGATIVE_INDUSTRIES)
    wrong = [
        _label(keyword)
        for keyword in KEYWORDS
        if keyword.is_negative != (keyword.industry_slug in NEGATIVE_SLUGS)
    ]
    assert wrong == []


def test_languages_are_known_iso_639_1_codes() -> None:
    assert sorted({keyword.language for keyword in KEYWORDS} - KNOWN_LANGUAGES) == []


def test_every_row_fits_the_database_columns() -> None:
    assert [industry.slug for industry in INDUSTRIES if len(industry.slug) > MAX_SLUG_CHARS] == []
    assert [industry.slug for industry in INDUSTRIES if len(industry.name) > MAX_NAME_CHARS] == []
    assert [_label(keyword) for keyword in KEYWORDS if len(keyword.term) > MAX_TERM_CHARS] == []
    assert [_label(keyword) for keyword in KEYWORDS if keyword.term != keyword.term.strip()] == []


def test_terms_helper_builds_one_positive_row_per_term() -> None:
    rows = terms("water_treatment", "de", MatchMode.PREFIX, 0.7, "Abwasser", "Trinkwasser")
    assert rows == (
        KeywordSpec("Abwasser", "water_treatment", "de", 0.7, False, MatchMode.PREFIX),
        KeywordSpec("Trinkwasser", "water_treatment", "de", 0.7, False, MatchMode.PREFIX),
    )


# Words that look like seed terms but belong to other trades: a prefix or a bare word
# chosen carelessly would match them. None may give evidence either way.
LOOKALIKE_TEXTS = [
    "Hospitality management for hotels",
    "Clinically tested formula",
    "Szkolenia BHP dla pracowników",
    "Prevención de riesgos laborales",
    "Reducing greenhouse gas emissions",
    "Aritmetik dersleri",
    "Poradnik dla klientów",
    "A family business with a history dating back to 1985",
    "Safe disposal of hazardous waste",
    "Shenzhen Trading Co., Ltd.",
    "Colliers de serrage inox",
    "Protective clothing and gloves",
    "Odzież ochronna i robocza",
    "Защитная одежда для персонала",
    "Klimaschutz ist uns wichtig",
    "Produto esgotado",
    "Suppliers to the cosmetic and pharmaceutical industry",
    "Anelli di tenuta in EPDM",
    "Ferias comerciales internacionales",
    "Concessionnaire du service public de l'eau",
    "Le défi de la qualité",
    "Labor costs and labour law",
    "операционная система",
    "Sunglasses with UV400 protection",
]


@pytest.mark.parametrize("text", LOOKALIKE_TEXTS)
def test_lookalike_words_of_other_trades_match_no_seed_term(matcher: Matcher, text: str) -> None:
    assert [_label(hit.keyword) for hit in matcher.find(normalize_text(text))] == []
