"""Page sections in, fit score, tier and explanation out."""

import json

import pytest

from leads.scoring.matcher import Matcher, compile_matcher
from leads.scoring.score import FitResult, Tier, score_fit, tier_for
from leads.scoring.specs import IndustrySpec, KeywordSpec, MatchMode, SectionKind, TextSection

WATER = IndustrySpec("water", "Water treatment", True, 1.0)
HEALTH = IndustrySpec("health", "Hospitals and clinics", True, 1.0)
GAMBLING = IndustrySpec("gambling", "Gambling", False, 1.0)
TRADE = IndustrySpec("trade", "Trading companies", True, 0.0)  # classification only

KEYWORDS = (
    KeywordSpec("water treatment", "water", "en", 1.0, False, MatchMode.PHRASE),
    KeywordSpec("Wasseraufbereitung", "water", "de", 1.0, False, MatchMode.PREFIX),
    KeywordSpec("wastewater", "water", "en", 1.0, False, MatchMode.PREFIX),
    KeywordSpec("UV disinfection", "water", "en", 2.0, False, MatchMode.PHRASE),
    KeywordSpec("filtration", "water", "en", 1.0, False, MatchMode.WORD),
    KeywordSpec("reverse osmosis", "water", "en", 1.0, False, MatchMode.PHRASE),
    KeywordSpec("hospital", "health", "en", 1.0, False, MatchMode.PREFIX),
    KeywordSpec(
        "car pool", "water", "en", 1.0, True, MatchMode.PHRASE
    ),  # a negative term in a target industry
    KeywordSpec("casino", "gambling", "en", 1.0, False, MatchMode.PREFIX),
    KeywordSpec("poker", "gambling", "en", 1.0, False, MatchMode.WORD),
    KeywordSpec("slot machine", "gambling", "en", 1.0, False, MatchMode.PREFIX),
    KeywordSpec("betting", "gambling", "en", 1.0, False, MatchMode.WORD),
    KeywordSpec("jackpot", "gambling", "en", 1.0, False, MatchMode.WORD),
    KeywordSpec("distributor", "trade", "en", 1.0, False, MatchMode.PREFIX),
)
FILLER = "Our company was founded many years ago and serves customers across the region with care. "


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return compile_matcher([WATER, HEALTH, GAMBLING, TRADE], KEYWORDS, "r7")


def body(text: str) -> TextSection:
    return TextSection(SectionKind.BODY, text, "https://example.test/")


def fit_score(matcher: Matcher, *sections: TextSection) -> int:
    return score_fit(matcher, sections).score


WATER_COMPANY = (
    TextSection(SectionKind.TITLE, "AquaPure – Water Treatment Engineering", "https://aquapure.test/"),
    TextSection(SectionKind.META, "Wastewater and drinking water treatment plants", "https://aquapure.test/"),
    TextSection(SectionKind.HEADING, "UV disinfection Reverse osmosis", "https://aquapure.test/"),
    body(
        FILLER * 20 + "We build filtration, reverse osmosis and UV disinfection systems for water treatment."
    ),
)
CASINO_SITE = (
    TextSection(SectionKind.TITLE, "Royal Casino – poker and slot machines", "https://casino.test/"),
    body(
        FILLER * 20 + "Play poker, betting and jackpot games at our casino. Free drinking water at the bar."
    ),
)


def test_target_company_scores_at_least_60(matcher: Matcher) -> None:
    result = score_fit(matcher, WATER_COMPANY)
    assert result.score >= 60
    assert result.tier in (Tier.A, Tier.B)


def test_clearly_unrelated_company_scores_below_30(matcher: Matcher) -> None:
    result = score_fit(matcher, CASINO_SITE)
    assert result.score < 30
    assert result.tier is Tier.D


def test_repeating_one_term_500_times_scores_no_more_than_8_times(matcher: Matcher) -> None:
    eight = fit_score(matcher, body("filtration " * 8))
    five_hundred = fit_score(matcher, body("filtration " * 500))
    once = fit_score(matcher, body("filtration"))
    assert five_hundred == eight
    assert once < five_hundred <= 3 * once


def test_five_megabyte_page_of_one_term_does_not_max_the_score(matcher: Matcher) -> None:
    repetitions = 5_000_000 // len("UV disinfection ")
    result = score_fit(matcher, [body("UV disinfection " * repetitions)])
    assert result.matches[0].count == repetitions
    assert result.score == fit_score(matcher, body("UV disinfection " * 8))
    assert result.score < 60


def test_page_length_neither_inflates_nor_dilutes_the_same_evidence(matcher: Matcher) -> None:
    evidence = "filtration and reverse osmosis for water treatment"
    short = fit_score(matcher, body(evidence))
    long = fit_score(matcher, body(FILLER * 5_000 + evidence + " " + FILLER * 5_000))
    assert short == long


def test_distinct_terms_add_up_but_saturate_below_100_until_strong(matcher: Matcher) -> None:
    scores = [
        fit_score(matcher, body(" ".join(terms)))
        for terms in (["filtration"], ["filtration", "wastewater"], ["filtration", "wastewater", "hospital"])
    ]
    assert scores == sorted(scores)
    assert scores[-1] < 100


@pytest.mark.parametrize(
    ("stronger", "weaker"),
    [
        (SectionKind.TITLE, SectionKind.META),
        (SectionKind.META, SectionKind.BODY),
        (SectionKind.HEADING, SectionKind.BODY),
    ],
)
def test_title_meta_and_headings_weigh_more_than_body(
    matcher: Matcher, stronger: SectionKind, weaker: SectionKind
) -> None:
    def score_in(kind: SectionKind) -> int:
        return fit_score(matcher, TextSection(kind, "filtration", "https://example.test/"))

    assert score_in(stronger) > score_in(weaker)


def test_inquiry_message_counts_like_a_heading(matcher: Matcher) -> None:
    message = TextSection(SectionKind.MESSAGE, "We need filtration for our hospital", "inquiry form")
    heading = TextSection(SectionKind.HEADING, "We need filtration for our hospital", "https://example.test/")
    assert fit_score(matcher, message) == fit_score(matcher, heading) > 0


def test_one_body_mention_scores_by_the_documented_curve(matcher: Matcher) -> None:
    assert fit_score(matcher, body("filtration")) == 12  # 100 × (1 − e^(−1/8))
    assert fit_score(matcher, TextSection(SectionKind.TITLE, "filtration", "")) == 31  # 100 × (1 − e^(−3/8))


def test_unrelated_industry_terms_lower_the_score(matcher: Matcher) -> None:
    clean = fit_score(matcher, *WATER_COMPANY)
    with_casino = fit_score(matcher, *WATER_COMPANY, body("casino poker"))
    assert with_casino < clean


def test_a_negative_term_of_a_target_industry_lowers_the_score(matcher: Matcher) -> None:
    assert fit_score(matcher, body("water treatment car pool")) < fit_score(matcher, body("water treatment"))


def test_penalty_saturates_at_60_points(matcher: Matcher) -> None:
    strong = (
        TextSection(SectionKind.TITLE, "water treatment UV disinfection reverse osmosis wastewater", ""),
        TextSection(SectionKind.HEADING, "filtration hospital Wasseraufbereitung", ""),
    )
    unrelated = TextSection(SectionKind.TITLE, "casino poker slot machine betting jackpot " * 50, "")
    positive_only = fit_score(matcher, *strong)
    assert positive_only >= 90
    assert fit_score(matcher, *strong, unrelated) >= positive_only - 60 > 0


def test_only_unrelated_terms_score_zero(matcher: Matcher) -> None:
    result = score_fit(matcher, [body("casino poker jackpot")])
    assert (result.score, result.tier) == (0, Tier.D)
    assert all(match.is_negative for match in result.matches)
    assert "only evidence against a fit" in result.explanation[0]


def test_weight_zero_industry_is_reported_but_does_not_change_the_fit(matcher: Matcher) -> None:
    without = score_fit(matcher, [body("filtration")])
    with_trade = score_fit(matcher, [body("filtration by a distributor")])
    assert with_trade.score == without.score
    trade = next(fit for fit in with_trade.industries if fit.slug == "trade")
    assert trade.score == 0.0
    assert any(
        "“distributor” (Trading companies)" in line and "does not change the fit" in line
        for line in with_trade.explanation
    )


def test_no_keywords_scores_zero_with_a_plain_explanation(matcher: Matcher) -> None:
    result = score_fit(matcher, [body(FILLER)])
    assert (result.score, result.tier, result.matches, result.industries) == (0, Tier.D, (), ())
    assert result.explanation == ("Fit 0/100 (tier D): no industry keywords found.",)


@pytest.mark.parametrize(
    ("score", "tier"),
    [
        (100, Tier.A),
        (75, Tier.A),
        (74, Tier.B),
        (55, Tier.B),
        (54, Tier.C),
        (30, Tier.C),
        (29, Tier.D),
        (0, Tier.D),
    ],
)
def test_tier_boundaries(score: int, tier: Tier) -> None:
    assert tier_for(score) is tier


def test_explanation_names_term_industry_count_and_sections(matcher: Matcher) -> None:
    result = score_fit(
        matcher,
        [
            TextSection(SectionKind.TITLE, "Filtration experts", ""),
            body("filtration, filtration and more filtration"),
        ],
    )
    assert result.explanation[0].startswith(
        f"Fit {result.score}/100 (tier {result.tier.value}): fits Water treatment"
    )
    assert (
        result.explanation[1]
        == "“filtration” (Water treatment) found 4 times in the page title and the page text."
    )


def test_explanation_marks_unrelated_evidence(matcher: Matcher) -> None:
    result = score_fit(matcher, [*WATER_COMPANY, body("casino")])
    assert "lowered by Gambling" in result.explanation[0]
    assert "“casino” (Gambling) found once in the page text: lowers the fit." in result.explanation


def test_matches_and_industries_carry_what_the_lead_page_shows(matcher: Matcher) -> None:
    result = score_fit(matcher, [*WATER_COMPANY, body("casino")])
    top = result.matches[0]
    assert (top.term, top.industry_slug, top.industry_name) == ("UV disinfection", "water", "Water treatment")
    assert top.sections == (SectionKind.HEADING, SectionKind.BODY)
    assert top.count == 2
    assert [fit.slug for fit in result.industries] == ["water", "gambling"]
    assert result.industries[-1].score < 0
    assert sum(fit.score for fit in result.industries) == pytest.approx(result.score, abs=0.5)
    assert result.keywords_version == "r7"


def test_to_json_has_the_stored_shape_and_round_trips(matcher: Matcher) -> None:
    result = score_fit(matcher, [*WATER_COMPANY, body("casino by a distributor")])
    stored = json.loads(json.dumps(result.to_json()))
    assert {"score", "tier", "industries", "matches", "explanation", "keywords_version"} <= stored.keys()
    assert set(stored["industries"][0]) >= {"slug", "name", "score", "is_target"}
    assert set(stored["matches"][0]) >= {"term", "industry", "language", "count", "sections", "is_negative"}
    assert stored["matches"][0]["sections"] == ["heading", "body"]
    assert FitResult.from_json(stored) == result


def test_from_json_rejects_another_shape() -> None:
    with pytest.raises(KeyError):
        FitResult.from_json({"score": 10})
