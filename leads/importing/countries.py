"""Which ISO 3166 country a name in an export means ("United States", "美国", "Deutschland", "DE")."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Names exports use that the phone-number library's country names do not cover.
_ALIASES = {
    "usa": "US",
    "unitedstatesofamerica": "US",
    "america": "US",
    "us": "US",
    "uk": "GB",
    "greatbritain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northernireland": "GB",
    "russianfederation": "RU",
    "korea": "KR",
    "republicofkorea": "KR",
    "korearepublicof": "KR",
    "southkorea": "KR",
    "vietnam": "VN",
    "vietnamsocialistrepublic": "VN",
    "uae": "AE",
    "hongkongsar": "HK",
    "hongkongchina": "HK",
    "中国香港": "HK",
    "香港": "HK",
    "taiwanchina": "TW",
    "中国台湾": "TW",
    "台湾": "TW",
    "macau": "MO",
    "macaochina": "MO",
    "中国澳门": "MO",
    "澳门": "MO",
    "mainlandchina": "CN",
    "中国大陆": "CN",
    "czechia": "CZ",
    "türkiye": "TR",
    "turkiye": "TR",
    "holland": "NL",
    "thenetherlands": "NL",
    "ivorycoast": "CI",
    "iranislamicrepublicof": "IR",
    "kosovo": "XK",
    "capeverde": "CV",
    "burma": "MM",
    "swaziland": "SZ",
    "macedonia": "MK",
    "laos": "LA",
    "syria": "SY",
    "moldova": "MD",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "brunei": "BN",
    "palestine": "PS",
    "德國": "DE",
    "美國": "US",
    "英國": "GB",
}
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


def _key(text: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", text).casefold())


@cache
def _names() -> dict[str, str]:
    # phonenumbers ships country names in many languages; "*xx" points at language xx's entry.
    from phonenumbers.geodata.locale import LOCALE_DATA

    names: dict[str, str] = {}
    for code, by_language in LOCALE_DATA.items():
        if len(code) != 2 or not code.isalpha():
            continue
        for language in by_language:
            name = by_language[language]
            seen = 0
            while name.startswith("*") and seen < 5:
                name = by_language.get(name[1:], "")
                seen += 1
            if name and not name.startswith("*"):
                names.setdefault(_key(name), code.upper())
    for alias, code in _ALIASES.items():
        names[_key(alias)] = code
    return names


def country_code(raw: str) -> str:
    """The ISO 3166-1 alpha-2 code for a country name or code in any common language; "" when unknown."""
    text = raw.strip()
    if not text:
        return ""
    if len(text) == 2 and text.isascii() and text.isalpha():
        code = text.upper()
        if code in _known_codes():
            return code
    return _names().get(_key(text), "")


@cache
def _known_codes() -> frozenset[str]:
    return frozenset(_names().values())
