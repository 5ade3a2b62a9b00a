"""Decides when two pieces of text spell the same words: one normal form for page text and keyword terms.

The normal form is: Unicode NFKC, ``str.casefold``, Latin/Greek/Cyrillic/Arabic/Hebrew
diacritics stripped, every run of punctuation, symbols and whitespace turned into one
space, a space between letters and digits, a space around every character of a script
written without spaces, no leading or trailing space. So "Water-Treatment",
"water_treatment", "water/treatment" and "WATER  treatment!" all become "water treatment",
"Kläranlage" becomes "klaranlage", "254nm", "254 nm" and "254-nm" all become "254 nm", and
"采用UV灯" becomes "采 用 uv 灯".

Folding decisions (each one trades a little precision for recall across spellings):

- Diacritics: é→e, ü→u, ç→c, ñ→n, ą→a, ş→s; letters that carry no combining mark in
  Unicode are mapped by hand: ł→l, ø→o, đ/ð→d, æ→ae, œ→oe, þ→th, ħ→h; ß→ss comes from
  casefold.
- Turkish: dotless ı folds to i, and İ casefolds to i plus a dot mark that is stripped,
  so "ARITMA", "arıtma" and "aritma" are one word. Turkish has no ı/i minimal pair in
  trade vocabulary that matters here, and uppercase Turkish text is common in headings.
- Cyrillic: ё folds to е (Russian text routinely omits the dots), but й stays й: it is
  a letter of its own, and folding it to и would merge distinct words (мой/мои).
- Arabic: tashkeel and tatweel are removed, hamza-carrying alef forms fold to ا
  (via the stripped hamza mark), ى→ي and ة→ه, the usual search normalisation.
- Marks that are part of a script's spelling (Indic vowel signs, Japanese voicing marks,
  Thai vowels) are kept: stripping them would change the word, not its accent.
- Scripts written without spaces (Han, kana, Hangul, Thai, Lao, Khmer, Myanmar): every
  character becomes a word of its own. Word boundaries mean nothing inside such a run, and
  with one on each character a term in those scripts matches wherever its characters occur
  in a row, i.e. as a substring, while Latin terms right beside them ("UV灯") keep theirs.
- Letters and digits are split apart ("T5" → "t 5", "ZW36S19W" → "zw 36 s 19 w"): specs and
  model codes are written both glued and spaced ("36W", "36 W"), and this way both sides of a
  match always agree without listing every spelling.
- Soft hyphens, zero-width joiners and other invisible format characters are removed,
  so "Wasser\\u00adaufbereitung" is one word; a zero-width space separates words.

Speed: one ``str.translate`` table holds, per character, the result of NFKC, casefold and
the folds above. Pure-ASCII text goes through it whole (CPython translates ASCII in C).
Other text is split on whitespace and each distinct token is normalised once and memoised
(natural text repeats a small vocabulary), so the Unicode work runs on the vocabulary, not
on every megabyte. Whole-text Unicode passes (NFKC, NFD, regex substitutions) were measured
slower than the memo: each runs at only 50–100 MB/s on its own.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clear_token_cache", "is_unspaced_script_char", "normalize_text"]

# Characters with no combining-mark decomposition that still need folding.
_SPECIAL_FOLDS: dict[str, str] = {
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ħ": "h",
    "ı": "i",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ŀ": "l",
    "ŧ": "t",
    "ƒ": "f",
    "ى": "ي",  # alef maqsura, commonly written for final ya
    "ة": "ه",  # ta marbuta, commonly written as ha
    "ـ": "",  # Arabic tatweel only stretches a word
    "й": "й",  # a letter, not и with an accent
    "ў": "ў",  # Belarusian short u: a letter, same reasoning
    "\u200b": " ",  # zero-width space marks a word break
    "\u02bc": " ",  # modifier-letter apostrophe, spelled like the ASCII apostrophe that separates words
}

# Combining marks that are accents on top of a letter rather than part of its spelling.
_STRIPPABLE_MARK_RANGES: tuple[tuple[int, int], ...] = (
    (0x0300, 0x036F),  # Combining Diacritical Marks
    (0x0483, 0x0489),  # Cyrillic combining marks
    (0x0591, 0x05BD),  # Hebrew cantillation and points
    (0x05BF, 0x05BF),
    (0x05C1, 0x05C2),
    (0x05C4, 0x05C5),
    (0x05C7, 0x05C7),
    (0x0610, 0x061A),  # Arabic honorifics and small marks
    (0x064B, 0x065F),  # Arabic tashkeel and hamza marks
    (0x0670, 0x0670),  # Arabic superscript alef
    (0x1AB0, 0x1AFF),  # Combining Diacritical Marks Extended
    (0x1DC0, 0x1DFF),  # Combining Diacritical Marks Supplement
    (0x20D0, 0x20FF),  # Combining marks for symbols
    (0xFE20, 0xFE2F),  # Combining half marks
)

# Scripts written without spaces between words: boundaries inside them are meaningless.
_UNSPACED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3005, 0x3007),  # CJK iteration and ideographic zero
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana extensions
    (0x3400, 0x4DBF),  # CJK Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK Extensions B and later
)


def _in_ranges(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def is_unspaced_script_char(char: str) -> bool:
    """Whether ``char`` belongs to a script written without spaces between words."""
    return _in_ranges(ord(char), _UNSPACED_RANGES)


def _fold_compatible_char(char: str) -> str:
    """The fold of one character that is already NFKC-normalised and casefolded."""
    special = _SPECIAL_FOLDS.get(char)
    if special is not None:
        return special
    category = unicodedata.category(char)
    major = category[0]
    if major in "LN":
        if char.isascii():
            return char
        if category == "Nd":
            # Arabic-Indic, Devanagari... digits: specs like "254 nm" match in any digit script.
            return str(unicodedata.decimal(char))
        decomposed = unicodedata.normalize("NFD", char)
        kept = "".join(c for c in decomposed if not _in_ranges(ord(c), _STRIPPABLE_MARK_RANGES))
        folded = unicodedata.normalize("NFC", kept)
        return f" {folded} " if is_unspaced_script_char(char) else folded
    if major == "M":
        if _in_ranges(ord(char), _STRIPPABLE_MARK_RANGES):
            return ""
        return f" {char} " if is_unspaced_script_char(char) else char
    if category == "Cf":
        # Soft hyphen, ZWJ/ZWNJ, BOM: invisible, and they sit inside words.
        return ""
    # Punctuation, symbols, separators, controls: all just separate words.
    return " "


def _fold_char(char: str) -> str:
    """The normal form of one character: NFKC and casefold first (either may give several characters), then the folds."""
    compatible = unicodedata.normalize("NFKC", char).casefold()
    return "".join(_fold_compatible_char(part) for part in compatible)


class _CharFoldTable(dict[int, str]):
    """A ``str.translate`` table that computes and remembers each character's fold on first sight."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_CHAR_FOLDS = _CharFoldTable()
_HAS_DIGIT = re.compile(r"[0-9]")
_DIGIT_RUN = re.compile(r"([0-9]+)")


def _normalize_token(token: str) -> str:
    if not token.isascii() and not unicodedata.is_normalized("NFC", token):
        # The table folds character by character; composing first keeps "и"+U+0306 the letter й,
        # and Hangul jamo one syllable, as NFKC over the whole token would.
        token = unicodedata.normalize("NFC", token)
    folded = token.translate(_CHAR_FOLDS)
    if _HAS_DIGIT.search(folded) is not None:
        folded = " ".join(_DIGIT_RUN.split(folded))
    # Every separator is a plain space by now; replace() mends runs without a string per character.
    while "  " in folded:
        folded = folded.replace("  ", " ")
    return folded.strip(" ")


# Longer tokens are mostly runs of an unspaced script that never repeat: caching them only costs memory.
_MAX_CACHED_TOKEN_CHARS = 32
# Bound on the memo (about 15 MB) so a worker scoring millions of pages keeps flat memory.
_MAX_CACHED_TOKENS = 100_000


class _TokenCache(dict[str, str]):
    """Memo of token → normal form; ``__missing__`` keeps lookups on the C fast path for hits."""

    def __missing__(self, token: str) -> str:
        normalized = _normalize_token(token)
        if len(token) <= _MAX_CACHED_TOKEN_CHARS:
            if len(self) >= _MAX_CACHED_TOKENS:
                self.clear()
            self[token] = normalized
        return normalized


_TOKENS = _TokenCache()


def normalize_text(text: str) -> str:
    """Return the normal form of ``text``: the shape both keyword terms and page text are matched in."""
    if text.isascii():
        # The same table, applied to the whole text at once: CPython translates ASCII in C without a
        # string per token. Splitting digit runs apart here equals doing it token by token.
        normalized = text.translate(_CHAR_FOLDS)
        if _HAS_DIGIT.search(normalized) is not None:
            normalized = " ".join(_DIGIT_RUN.split(normalized))
    else:
        normalized = " ".join(map(_TOKENS.__getitem__, text.split()))
    # A token of only punctuation ("|", "-") folds to nothing and leaves a double space behind;
    # mending the few afterwards is cheaper than filtering every token.
    while "  " in normalized:
        normalized = normalized.replace("  ", " ")
    if normalized[:1] == " " or normalized[-1:] == " ":
        normalized = normalized.strip(" ")
    return normalized


def clear_token_cache() -> None:
    """Forget every memoised token, e.g. to measure normalisation without a warm cache."""
    _TOKENS.clear()
