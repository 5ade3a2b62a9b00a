"""Whether two company names likely name the same business ("Aqua-Tech GmbH" and "AquaTech"), for merge candidates."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

# Legal forms and filler words that say nothing about which business it is.
_LEGAL_FORMS = frozenset(
    {
        "co", "company", "corp", "corporation", "inc", "incorporated", "llc", "ltd", "limited", "plc", "lp", "llp",
        "gmbh", "ag", "kg", "ohg", "ug", "mbh", "ek", "sa", "sas", "sarl", "sl", "srl", "spa", "sro", "sp", "zoo",
        "bv", "nv", "oy", "ab", "as", "aps", "kft", "doo", "ooo", "zao", "pjsc", "pte", "pty", "bhd", "sdn", "tbk",
        "pt", "cv", "jsc", "the", "and", "group", "international", "intl", "trading", "industries", "industry",
        "ltda", "sac", "eirl", "ve", "tic", "san", "sti", "kk", "kabushiki", "kaisha",
    }
)  # fmt: skip
_CJK_SUFFIXES = ("有限责任公司", "股份有限公司", "有限公司", "集团", "公司", "株式会社")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def name_key(name: str) -> str:
    """The distinctive part of a company name: folded, accents off, legal forms and punctuation dropped."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(character for character in text if not unicodedata.combining(character))
    for suffix in _CJK_SUFFIXES:
        text = text.replace(suffix, " ")
    words = [word for word in _WORD.findall(text) if word not in _LEGAL_FORMS]
    return "".join(words)


def name_similarity(first: str, second: str) -> float:
    """0..1: how alike two company names are once legal forms, case, accents and spacing are set aside."""
    a, b = name_key(first), name_key(second)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def search_words(name: str) -> list[str]:
    """The longest distinctive words of a name (at most two), to find candidates in the database."""
    text = unicodedata.normalize("NFKC", name.casefold())
    for suffix in _CJK_SUFFIXES:
        text = text.replace(suffix, " ")
    words = [
        word
        for word in _WORD.findall(text)
        if word not in _LEGAL_FORMS and (len(word) >= 3 or not word.isascii())
    ]
    return sorted(set(words), key=lambda word: (-len(word), word))[:2]
