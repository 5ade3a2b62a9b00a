"""Which chat apps each country prefers, as first loaded into the database: customer research first, labelled defaults after."""

from __future__ import annotations

from dataclasses import dataclass

from channels_ref.catalogue import ChannelKind

CUSTOMER_RESEARCH_SOURCE = "Customer research: most popular chat apps by country (sales team guidance)"
GLOBAL_DEFAULT_SOURCE = "Default ranking: global usage, marked as default"
REGIONAL_DEFAULT_SOURCE = (
    "Default ranking: general-knowledge regional default, marked as default; not from customer research"
)


@dataclass(frozen=True, slots=True)
class CountryRanking:
    country: str | None  # ISO 3166-1 alpha-2; None for the global default used where no country row exists
    channels: tuple[ChannelKind, ...]  # most popular first
    is_default: bool  # True: a default to be replaced by research, not the customer's own findings
    source: str


_K = ChannelKind

# Order exactly as the customer's research gives it, including Skype and Google Hangouts (now Google Chat):
# recommendation demotes discontinued services, the record of the research stays faithful.
CUSTOMER_RANKINGS: tuple[CountryRanking, ...] = tuple(
    CountryRanking(country=country, channels=channels, is_default=False, source=CUSTOMER_RESEARCH_SOURCE)
    for country, channels in (
        ("US", (_K.FACEBOOK, _K.TWITTER, _K.MESSENGER, _K.SNAPCHAT, _K.WHATSAPP, _K.SKYPE, _K.GOOGLE_CHAT)),
        ("GB", (_K.WHATSAPP, _K.FACEBOOK, _K.MESSENGER, _K.SNAPCHAT, _K.SKYPE, _K.DISCORD)),
        ("FR", (_K.FACEBOOK, _K.MESSENGER, _K.WHATSAPP, _K.SNAPCHAT, _K.TWITTER, _K.SKYPE)),
        ("DE", (_K.WHATSAPP, _K.FACEBOOK, _K.MESSENGER, _K.APPLE_MESSAGES, _K.SKYPE, _K.TELEGRAM)),
        ("ES", (_K.WHATSAPP, _K.FACEBOOK, _K.MESSENGER, _K.TELEGRAM, _K.SKYPE, _K.GOOGLE_CHAT)),
        ("IT", (_K.WHATSAPP, _K.FACEBOOK, _K.MESSENGER, _K.TWITTER, _K.SKYPE, _K.SNAPCHAT)),
        ("IN", (_K.WHATSAPP, _K.FACEBOOK, _K.MESSENGER, _K.SNAPCHAT, _K.SKYPE, _K.DISCORD)),
    )
)

# Skype is left out of defaults written after its retirement in May 2025.
GLOBAL_DEFAULT_RANKING = CountryRanking(
    country=None,
    channels=(
        _K.WHATSAPP,
        _K.MESSENGER,
        _K.TELEGRAM,
        _K.WECHAT,
        _K.LINE,
        _K.VIBER,
        _K.LINKEDIN,
        _K.FACEBOOK,
        _K.INSTAGRAM,
        _K.KAKAOTALK,
    ),
    is_default=True,
    source=GLOBAL_DEFAULT_SOURCE,
)

# Markets where the global default would put the wrong app first; VK (Russia) is not in the catalogue.
REGIONAL_DEFAULT_RANKINGS: tuple[CountryRanking, ...] = tuple(
    CountryRanking(country=country, channels=channels, is_default=True, source=REGIONAL_DEFAULT_SOURCE)
    for country, channels in (
        ("CN", (_K.WECHAT, _K.WHATSAPP, _K.LINKEDIN)),
        ("JP", (_K.LINE, _K.MESSENGER, _K.WHATSAPP)),
        ("TW", (_K.LINE, _K.MESSENGER, _K.WECHAT)),
        ("TH", (_K.LINE, _K.MESSENGER, _K.WHATSAPP)),
        ("KR", (_K.KAKAOTALK, _K.LINE, _K.TELEGRAM)),
        ("RU", (_K.TELEGRAM, _K.WHATSAPP, _K.VIBER)),
        ("BR", (_K.WHATSAPP, _K.MESSENGER, _K.INSTAGRAM, _K.TELEGRAM)),
    )
)

SEED_RANKINGS: tuple[CountryRanking, ...] = (
    *CUSTOMER_RANKINGS,
    *REGIONAL_DEFAULT_RANKINGS,
    GLOBAL_DEFAULT_RANKING,
)


def rankings_by_country(
    rankings: tuple[CountryRanking, ...] = SEED_RANKINGS,
) -> dict[str, tuple[ChannelKind, ...]]:
    """Country code to channel order, the shape `recommend_channels` takes; the global default is left out."""
    return {ranking.country: ranking.channels for ranking in rankings if ranking.country is not None}
