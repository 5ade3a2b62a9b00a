"""Text in, normal form out: the shape keyword terms and page text are compared in."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leads.scoring.normalize import clear_token_cache, is_unspaced_script_char, normalize_text


@pytest.mark.parametrize(
    ("spelling", "same_as"),
    [
        ("Wasser-Aufbereitung", "wasser aufbereitung"),
        ("Wasser_Aufbereitung", "wasser aufbereitung"),
        ("Wasser/Aufbereitung", "wasser aufbereitung"),
        ("WASSER   aufbereitung!!", "wasser aufbereitung"),
        ("Wasser\u2010Aufbereitung", "wasser aufbereitung"),  # Unicode hyphen
        ("Wasser\u00adaufbereitung", "wasseraufbereitung"),  # soft hyphen sits inside a word
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("Kläranlage", "klaranlage"),
        ("traitement de l’eau", "traitement de l'eau"),
        ("Épuration", "epuration"),
        ("acuicultura ACUICULTURA", "acuicultura acuicultura"),
        ("Dezynfekcja ŁÓDŹ", "dezynfekcja lodz"),
        ("ARITMA", "arıtma"),
        ("İSTANBUL", "istanbul"),
        ("ıspanak", "ispanak"),
        ("ДЕЗИНФЕКЦИЯ", "дезинфекция"),
        ("Ёлка", "елка"),
        ("254nm", "254 nm"),
        ("254-nm", "254 nm"),
        ("T5", "t-5"),
        ("ＵＶ－Ｃ", "uv-c"),  # full-width forms
        ("ﬁltration", "filtration"),
        ("e\u0301puration", "épuration"),  # decomposed accent
        ("٢٥٤ nm", "254 nm"),  # Arabic-Indic digits
    ],
)
def test_spelling_variants_share_one_normal_form(spelling: str, same_as: str) -> None:
    assert normalize_text(spelling) == normalize_text(same_as)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Water-Treatment", "water treatment"),
        ("Straße", "strasse"),
        ("Kläranlage", "klaranlage"),
        ("İzmir arıtma", "izmir aritma"),
        ("ОБЕЗЗАРАЖИВАНИЕ воды", "обеззараживание воды"),
        ("Ærø Øresund", "aero oresund"),
        ("ZW36S19W", "zw 36 s 19 w"),
        ("220V/50Hz", "220 v 50 hz"),
        ("1,000 pcs.", "1 000 pcs"),
        ("C++ | -- || ...", "c"),
        ("  leading and trailing  ", "leading and trailing"),
        ("", ""),
        ("?!", ""),
        ("a\u200bb", "a b"),  # zero-width space is a word break
        ("θεραπεία", "θεραπεια"),
    ],
)
def test_text_normalizes_to_expected_form(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


def test_turkish_dotted_and_dotless_i_fold_to_plain_i() -> None:
    assert (
        normalize_text("SU ARITMA İŞLETMESİ")
        == normalize_text("su arıtma işletmesi")
        == "su aritma isletmesi"
    )


def test_short_i_stays_a_letter_of_its_own_in_cyrillic() -> None:
    assert normalize_text("Водоочистной") == "водоочистной"
    assert normalize_text("мой") != normalize_text("мои")
    assert normalize_text("и\u0306") == "й"  # decomposed form composes first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("紫外线消毒灯", "紫 外 线 消 毒 灯"),
        ("采用UV灯", "采 用 uv 灯"),
        ("紫外线灯，好！", "紫 外 线 灯 好"),
        ("殺菌灯 ランプ", "殺 菌 灯 ラ ン プ"),
        ("소독", "소 독"),
        ("36瓦", "36 瓦"),
    ],
)
def test_cjk_characters_are_kept_and_each_becomes_a_word(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    ("char", "is_unspaced"),
    [("紫", True), ("ラ", True), ("소", True), ("ภ", True), ("a", False), ("д", False), ("é", False)],
)
def test_unspaced_scripts_are_recognised(char: str, is_unspaced: bool) -> None:
    assert is_unspaced_script_char(char) is is_unspaced


def test_punctuation_never_joins_or_splits_words_differently_from_spaces() -> None:
    assert normalize_text("water,treatment;plant.") == "water treatment plant"
    assert normalize_text("«water» (treatment) [plant]") == "water treatment plant"


def test_normal_form_is_stable_when_normalized_again() -> None:
    text = "Wasser-Aufbereitung, İZMİR 254nm 紫外线UV灯 Ærø l’eau"
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_memoised_tokens_give_the_same_result_as_fresh_ones() -> None:
    text = "Kläranlage KLÄRANLAGE Kläranlage 254nm " * 3
    warm = normalize_text(text)
    clear_token_cache()
    assert normalize_text(text) == warm


@settings(database=None, max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_fast_path_equals_the_token_path(text: str) -> None:
    # "…" folds to nothing, but makes the text non-ASCII and so sends it down the token path.
    assert normalize_text(text) == normalize_text(text + " \u2026")
