"""Which of a contact's own channels to try first, and which popular ones to ask them for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from channels_ref.catalogue import CATALOGUE, ChannelKind
from followups.history import ReplyHistory

_ASK_FOR_LIMIT = 3

# Channels no ranking mentions: messaging apps first (a chat gets read sooner), then public profiles,
# then the classic channels, which the cadence already uses on its own schedule.
_UNRANKED_ORDER: tuple[ChannelKind, ...] = (
    *(kind for kind, info in CATALOGUE.items() if info.is_instant_messaging),
    ChannelKind.LINKEDIN,
    ChannelKind.FACEBOOK,
    ChannelKind.INSTAGRAM,
    ChannelKind.TWITTER,
    ChannelKind.TIKTOK,
    ChannelKind.YOUTUBE,
    ChannelKind.EMAIL,
    ChannelKind.PHONE,
    ChannelKind.SMS,
)

_COUNTRY_NAMES: dict[str, str] = {
    "AE": "the United Arab Emirates",
    "AR": "Argentina",
    "AT": "Austria",
    "AU": "Australia",
    "BD": "Bangladesh",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "BH": "Bahrain",
    "BR": "Brazil",
    "CA": "Canada",
    "CH": "Switzerland",
    "CL": "Chile",
    "CN": "China",
    "CO": "Colombia",
    "CZ": "Czechia",
    "DE": "Germany",
    "DK": "Denmark",
    "DZ": "Algeria",
    "EG": "Egypt",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GB": "the United Kingdom",
    "GR": "Greece",
    "HK": "Hong Kong",
    "HU": "Hungary",
    "ID": "Indonesia",
    "IE": "Ireland",
    "IL": "Israel",
    "IN": "India",
    "IR": "Iran",
    "IQ": "Iraq",
    "IT": "Italy",
    "JO": "Jordan",
    "JP": "Japan",
    "KE": "Kenya",
    "KR": "South Korea",
    "KW": "Kuwait",
    "KZ": "Kazakhstan",
    "MA": "Morocco",
    "MX": "Mexico",
    "MY": "Malaysia",
    "NG": "Nigeria",
    "NL": "the Netherlands",
    "NO": "Norway",
    "NZ": "New Zealand",
    "OM": "Oman",
    "PE": "Peru",
    "PH": "the Philippines",
    "PK": "Pakistan",
    "PL": "Poland",
    "PT": "Portugal",
    "QA": "Qatar",
    "RO": "Romania",
    "RU": "Russia",
    "SA": "Saudi Arabia",
    "SE": "Sweden",
    "SG": "Singapore",
    "TH": "Thailand",
    "TR": "Türkiye",
    "TW": "Taiwan",
    "UA": "Ukraine",
    "US": "the United States",
    "VN": "Vietnam",
    "ZA": "South Africa",
}


class RankingBasis(StrEnum):
    COUNTRY = "country"  # the contact's country has its own ranking
    DEFAULT = "default"  # no country, or no ranking for it: the default ranking decides


@dataclass(frozen=True, slots=True)
class RankedChannel:
    kind: ChannelKind
    position: int  # 1 = try first
    reason: str


@dataclass(frozen=True, slots=True)
class Recommendation:
    channels: tuple[RankedChannel, ...]  # only channels the contact has a handle for
    ask_for: tuple[ChannelKind, ...]  # popular there, ranked above anything they gave us, and missing
    basis: RankingBasis

    @property
    def best(self) -> ChannelKind | None:
        return self.channels[0].kind if self.channels else None

    @property
    def best_instant_messaging(self) -> ChannelKind | None:
        for ranked in self.channels:
            info = CATALOGUE[ranked.kind]
            if info.is_instant_messaging and not info.is_discontinued:
                return ranked.kind
        return None


def country_name(country: str) -> str:
    return _COUNTRY_NAMES.get(country.upper(), country.upper())


def recommend_channels(
    country: str | None,
    available: Iterable[ChannelKind],
    rankings: Mapping[str, Sequence[ChannelKind]],
    default: Sequence[ChannelKind],
    history: ReplyHistory | None = None,
) -> Recommendation:
    """Order the contact's own channels: where they answered before, then their country's ranking, then the rest.

    A channel without a handle is never in `channels`; popular ones they lack go to `ask_for`.
    Discontinued services (Skype) go last and are never asked for.
    """
    code = country.upper() if country else None
    country_ranking = tuple(rankings.get(code, ())) if code else ()
    basis = RankingBasis.COUNTRY if country_ranking else RankingBasis.DEFAULT
    primary = country_ranking or tuple(default)
    where = f"in {country_name(code)}" if country_ranking and code else "in the default ranking"

    have = tuple(dict.fromkeys(available))  # keeps first-seen order, drops repeats

    def sort_key(kind: ChannelKind) -> tuple[int, int, int]:
        info = CATALOGUE[kind]
        replies = history.replies_on(kind) if history else 0
        rank = primary.index(kind) if kind in primary else len(primary)
        if info.is_discontinued:
            return (4, 0, rank)
        if replies:
            return (0, -replies, rank)
        if kind in primary:
            return (1, 0, rank)
        if kind in default:
            return (2, 0, list(default).index(kind))
        return (3, 0, _UNRANKED_ORDER.index(kind))

    def reason(kind: ChannelKind) -> str:
        info = CATALOGUE[kind]
        parts: list[str] = []
        if info.is_discontinued:
            parts.append(f"{info.label} is discontinued")
        replies = history.replies_on(kind) if history else 0
        if replies:
            times = "once" if replies == 1 else f"{replies} times"
            parts.append(f"they replied on {info.label} {times}")
        if kind in primary:
            parts.append(f"#{primary.index(kind) + 1} {where}")
        elif kind in default:
            parts.append(f"#{list(default).index(kind) + 1} in the default ranking")
        elif not parts:
            parts.append("not in any ranking")
        return "; ".join(parts)

    ordered = sorted(have, key=sort_key)
    channels = tuple(
        RankedChannel(kind=kind, position=index + 1, reason=reason(kind))
        for index, kind in enumerate(ordered)
    )
    return Recommendation(channels=channels, ask_for=_ask_for(primary, have), basis=basis)


def _ask_for(primary: Sequence[ChannelKind], have: Sequence[ChannelKind]) -> tuple[ChannelKind, ...]:
    # Only chat apps are worth asking for, and only those ranked above the best one they already gave.
    wanted: list[ChannelKind] = []
    for kind in primary:
        info = CATALOGUE[kind]
        if not info.is_instant_messaging or info.is_discontinued:
            continue
        if kind in have:
            break
        wanted.append(kind)
    return tuple(wanted[:_ASK_FOR_LIMIT])
