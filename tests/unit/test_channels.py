"""Channel catalogue, handle normalisation, safe chat links, seed rankings and channel recommendation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channels_ref.catalogue import (
    CATALOGUE,
    ChannelKind,
    HandleForm,
    HandleProblem,
    HandleProblemCode,
    NormalizedHandle,
    chat_link,
    normalize_handle,
)
from channels_ref.recommend import RankingBasis, recommend_channels
from channels_ref.seed_rankings import (
    CUSTOMER_RANKINGS,
    CUSTOMER_RESEARCH_SOURCE,
    GLOBAL_DEFAULT_RANKING,
    GLOBAL_DEFAULT_SOURCE,
    REGIONAL_DEFAULT_RANKINGS,
    SEED_RANKINGS,
    rankings_by_country,
)
from followups.history import ReplyHistory

K = ChannelKind
RANKINGS = rankings_by_country()
DEFAULT = GLOBAL_DEFAULT_RANKING.channels


def _handle(kind: ChannelKind, raw: str, region: str | None = None) -> NormalizedHandle:
    result = normalize_handle(kind, raw, region)
    assert isinstance(result, NormalizedHandle), result
    return result


# --- catalogue -------------------------------------------------------------------------------------


def test_channel_kind_values_are_the_contract_strings() -> None:
    assert [kind.value for kind in ChannelKind] == [
        "email",
        "phone",
        "whatsapp",
        "facebook",
        "messenger",
        "twitter",
        "instagram",
        "tiktok",
        "youtube",
        "snapchat",
        "skype",
        "google_chat",
        "discord",
        "apple_messages",
        "telegram",
        "wechat",
        "line",
        "kakaotalk",
        "viber",
        "linkedin",
        "sms",
    ]


def test_every_channel_has_a_catalogue_entry_with_a_label() -> None:
    assert set(CATALOGUE) == set(ChannelKind)
    assert all(info.label and info.kind is kind for kind, info in CATALOGUE.items())


@pytest.mark.parametrize(
    ("kind", "is_instant_messaging"),
    [
        (K.WHATSAPP, True),
        (K.WECHAT, True),
        (K.LINE, True),
        (K.TELEGRAM, True),
        (K.EMAIL, False),
        (K.PHONE, False),
        (K.SMS, False),
        (K.FACEBOOK, False),
        (K.LINKEDIN, False),
    ],
)
def test_catalogue_marks_chat_apps_as_instant_messaging(
    kind: ChannelKind, is_instant_messaging: bool
) -> None:
    assert CATALOGUE[kind].is_instant_messaging is is_instant_messaging


def test_skype_is_marked_discontinued_and_nothing_else_is() -> None:
    assert [kind for kind, info in CATALOGUE.items() if info.is_discontinued] == [K.SKYPE]


# --- normalisation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "raw", "region", "value", "form"),
    [
        (K.EMAIL, "  Buyer@Example.COM ", None, "Buyer@example.com", HandleForm.EMAIL),
        (K.EMAIL, "mailto:sales@uv-import.de?subject=Hi", None, "sales@uv-import.de", HandleForm.EMAIL),
        (K.PHONE, "(650) 253-0000", "US", "+16502530000", HandleForm.PHONE),
        (K.PHONE, "tel:+44 20 7946 0958", None, "+442079460958", HandleForm.PHONE),
        (K.PHONE, "0049 30 901820", None, "+4930901820", HandleForm.PHONE),
        (K.WHATSAPP, "0151 23456789", "DE", "+4915123456789", HandleForm.PHONE),
        (K.WHATSAPP, "https://wa.me/4915123456789", None, "+4915123456789", HandleForm.PHONE),
        (K.WHATSAPP, "api.whatsapp.com/send?phone=919876543210", None, "+919876543210", HandleForm.PHONE),
        (K.SMS, "+33 6 12 34 56 78", None, "+33612345678", HandleForm.PHONE),
        (K.VIBER, "viber://chat?number=%2B380501234567", None, "+380501234567", HandleForm.PHONE),
        (K.TELEGRAM, "@uv_buyer", None, "uv_buyer", HandleForm.USERNAME),
        (K.TELEGRAM, "https://t.me/uv_buyer", None, "uv_buyer", HandleForm.USERNAME),
        (K.TELEGRAM, "tg://resolve?domain=uv_buyer", None, "uv_buyer", HandleForm.USERNAME),
        (K.TELEGRAM, "+7 912 345-67-89", None, "+79123456789", HandleForm.PHONE),
        (K.FACEBOOK, "https://www.facebook.com/uv.lamps.gmbh", None, "uv.lamps.gmbh", HandleForm.USERNAME),
        (K.FACEBOOK, "facebook.com/profile.php?id=100012345678", None, "100012345678", HandleForm.USERNAME),
        (K.MESSENGER, "https://m.me/uv.lamps.gmbh", None, "uv.lamps.gmbh", HandleForm.USERNAME),
        (K.TWITTER, "https://x.com/UVBuyer/status/1", None, "uvbuyer", HandleForm.USERNAME),
        (K.TWITTER, "twitter.com/uvbuyer", None, "uvbuyer", HandleForm.USERNAME),
        (K.INSTAGRAM, "@uv.shop_", None, "uv.shop_", HandleForm.USERNAME),
        (K.TIKTOK, "https://www.tiktok.com/@uv.shop/video/7", None, "uv.shop", HandleForm.USERNAME),
        (K.YOUTUBE, "https://www.youtube.com/@UVLamps", None, "@UVLamps", HandleForm.PROFILE_PATH),
        (K.YOUTUBE, "UVLamps", None, "@UVLamps", HandleForm.PROFILE_PATH),
        (K.SNAPCHAT, "snapchat.com/add/uvbuyer", None, "uvbuyer", HandleForm.USERNAME),
        (K.SKYPE, "skype:john.smith?chat", None, "john.smith", HandleForm.USERNAME),
        (K.SKYPE, "live:.cid.1a2b3c", None, "live:.cid.1a2b3c", HandleForm.USERNAME),
        (K.GOOGLE_CHAT, "buyer@gmail.com", None, "buyer@gmail.com", HandleForm.EMAIL),
        (K.DISCORD, "@UV.Buyer", None, "uv.buyer", HandleForm.USERNAME),
        (K.APPLE_MESSAGES, "buyer@icloud.com", None, "buyer@icloud.com", HandleForm.EMAIL),
        (K.APPLE_MESSAGES, "+1 415 555 0123", None, "+14155550123", HandleForm.PHONE),
        (K.WECHAT, "wxid_uvbuyer", None, "wxid_uvbuyer", HandleForm.USERNAME),
        (K.WECHAT, "138 0013 8000", "CN", "+8613800138000", HandleForm.PHONE),
        (K.LINE, "https://line.me/R/ti/p/~Tanaka.K", None, "tanaka.k", HandleForm.USERNAME),
        (K.LINE, "@uvshop", None, "@uvshop", HandleForm.USERNAME),
        (K.KAKAOTALK, "uvbuyer_kr", None, "uvbuyer_kr", HandleForm.USERNAME),
        (
            K.LINKEDIN,
            "https://de.linkedin.com/in/jana-schmidt-123/",
            None,
            "in/jana-schmidt-123",
            HandleForm.PROFILE_PATH,
        ),
        (K.LINKEDIN, "linkedin.com/company/uv-import", None, "company/uv-import", HandleForm.PROFILE_PATH),
        (K.LINKEDIN, "jana-schmidt-123", None, "in/jana-schmidt-123", HandleForm.PROFILE_PATH),
    ],
)
def test_handle_is_normalised_from_what_people_paste(
    kind: ChannelKind, raw: str, region: str | None, value: str, form: HandleForm
) -> None:
    handle = _handle(kind, raw, region)
    assert (handle.value, handle.form) == (value, form)


def test_phone_display_uses_international_format() -> None:
    assert _handle(K.PHONE, "030 901820", "DE").display == "+49 30 901820"


@pytest.mark.parametrize(
    ("kind", "raw", "region", "code"),
    [
        (K.EMAIL, "   ", None, HandleProblemCode.EMPTY),
        (K.EMAIL, "not-an-address", None, HandleProblemCode.INVALID_EMAIL),
        (K.EMAIL, "a@b.com\r\nBcc: victim@example.com", None, HandleProblemCode.CONTROL_CHARACTERS),
        (K.PHONE, "650 253 0000", None, HandleProblemCode.NEEDS_COUNTRY),
        (K.PHONE, "+1 650 253 0000<script>", None, HandleProblemCode.INVALID_PHONE),
        (K.PHONE, "+1 555", None, HandleProblemCode.INVALID_PHONE),
        (K.WHATSAPP, "uv_buyer", None, HandleProblemCode.INVALID_PHONE),
        (K.TELEGRAM, "ab", None, HandleProblemCode.INVALID_USERNAME),
        (K.FACEBOOK, "https://www.facebook.com/groups/uvlamps", None, HandleProblemCode.UNRECOGNISED_URL),
        (K.INSTAGRAM, "https://www.instagram.com/p/Cx1", None, HandleProblemCode.UNRECOGNISED_URL),
        (K.LINKEDIN, "https://www.linkedin.com/feed/", None, HandleProblemCode.UNRECOGNISED_URL),
        (K.TWITTER, "https://facebook.com/uvbuyer", None, HandleProblemCode.FOREIGN_URL),
        (K.TWITTER, "x" * 600, None, HandleProblemCode.TOO_LONG),
    ],
)
def test_handle_problem_says_why(
    kind: ChannelKind, raw: str, region: str | None, code: HandleProblemCode
) -> None:
    result = normalize_handle(kind, raw, region)
    assert isinstance(result, HandleProblem)
    assert result.code is code
    assert result.detail


HOSTILE_INPUTS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "//evil.example/x",
    "https://evil.example/uvbuyer",
    "https://facebook.com@evil.example/uvbuyer",
    "https://www.facebook.com.evil.example/uvbuyer",
    "https://faceb00k.com/uvbuyer",
    "https://www.facebook.com:8443/uvbuyer",
    "https://www.facebook.com/javascript:alert(1)",
    'https://t.me/"><script>alert(1)</script>',
    'uvbuyer"><img src=x onerror=alert(1)>',
    "uvbuyer?chat&call",
    "../../admin",
    "uv buyer",
    "a@b.com?bcc=victim@example.com",
    "+1 650 253 0000\njavascript:alert(1)",
    "%0d%0aSet-Cookie:x",
]


@pytest.mark.parametrize("raw", HOSTILE_INPUTS)
@pytest.mark.parametrize("kind", list(ChannelKind))
def test_hostile_input_never_becomes_an_unsafe_link(kind: ChannelKind, raw: str) -> None:
    result = normalize_handle(kind, raw, "US")
    if isinstance(result, HandleProblem):
        return
    link = chat_link(result)
    assert link is None or _is_expected_link(kind, link)


@pytest.mark.parametrize(
    "raw", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd", "JAVASCRIPT:x"]
)
@pytest.mark.parametrize("kind", [K.EMAIL, K.FACEBOOK, K.TELEGRAM, K.WHATSAPP, K.LINKEDIN, K.SKYPE])
def test_unsafe_scheme_is_refused_with_its_own_reason(kind: ChannelKind, raw: str) -> None:
    result = normalize_handle(kind, raw, None)
    assert isinstance(result, HandleProblem)
    assert result.code is HandleProblemCode.UNSAFE_SCHEME


@pytest.mark.parametrize(
    "handle",
    [
        NormalizedHandle(K.FACEBOOK, HandleForm.USERNAME, "javascript:alert(1)", "x"),
        NormalizedHandle(K.EMAIL, HandleForm.EMAIL, "a@b.com?bcc=victim@example.com", "x"),
        NormalizedHandle(K.WHATSAPP, HandleForm.PHONE, "+1<script>", "x"),
        NormalizedHandle(K.LINKEDIN, HandleForm.PROFILE_PATH, "in/x/../../evil", "x"),
        NormalizedHandle(K.TELEGRAM, HandleForm.USERNAME, "+4915123456789", "x"),  # form does not match value
        NormalizedHandle(K.SKYPE, HandleForm.USERNAME, "name?call&x", "x"),
    ],
)
def test_hand_built_hostile_handle_gets_no_link(handle: NormalizedHandle) -> None:
    assert chat_link(handle) is None


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(list(ChannelKind)), raw=st.text(max_size=80))
def test_any_text_yields_a_problem_or_a_link_with_the_channels_own_scheme(
    kind: ChannelKind, raw: str
) -> None:
    result = normalize_handle(kind, raw, "DE")
    if isinstance(result, NormalizedHandle):
        link = chat_link(result, text=raw, subject=raw)
        assert link is None or _is_expected_link(kind, link)


def _is_expected_link(kind: ChannelKind, link: str) -> bool:
    prefixes = {
        K.EMAIL: ("mailto:",),
        K.PHONE: ("tel:+",),
        K.SMS: ("sms:+",),
        K.WHATSAPP: ("https://wa.me/",),
        K.SKYPE: ("skype:",),
        K.TELEGRAM: ("https://t.me/", "tg://resolve?phone="),
        K.MESSENGER: ("https://m.me/",),
        K.VIBER: ("viber://chat?number=%2B",),
        K.LINE: ("https://line.me/R/ti/p/",),
        K.LINKEDIN: ("https://www.linkedin.com/",),
        K.FACEBOOK: ("https://www.facebook.com/",),
        K.INSTAGRAM: ("https://www.instagram.com/",),
        K.TWITTER: ("https://x.com/",),
        K.TIKTOK: ("https://www.tiktok.com/@",),
        K.YOUTUBE: ("https://www.youtube.com/",),
        K.SNAPCHAT: ("https://www.snapchat.com/add/",),
        K.APPLE_MESSAGES: ("sms:+", "imessage:"),
    }[kind]
    return link.startswith(prefixes) and not any(
        character.isspace() or character in "<>\"'" for character in link
    )


# --- links -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "raw", "region", "link"),
    [
        (K.EMAIL, "sales@uv-import.de", None, "mailto:sales@uv-import.de"),
        (K.PHONE, "+49 30 901820", None, "tel:+4930901820"),
        (K.SMS, "+33 6 12 34 56 78", None, "sms:+33612345678"),
        (K.WHATSAPP, "0151 23456789", "DE", "https://wa.me/4915123456789"),
        (K.SKYPE, "john.smith", None, "skype:john.smith?chat"),
        (K.TELEGRAM, "@uv_buyer", None, "https://t.me/uv_buyer"),
        (K.TELEGRAM, "+4915123456789", None, "tg://resolve?phone=4915123456789"),
        (K.MESSENGER, "uv.lamps.gmbh", None, "https://m.me/uv.lamps.gmbh"),
        (K.VIBER, "+380501234567", None, "viber://chat?number=%2B380501234567"),
        (K.LINE, "tanaka.k", None, "https://line.me/R/ti/p/~tanaka.k"),
        (K.LINE, "@uvshop", None, "https://line.me/R/ti/p/@uvshop"),
        (K.LINKEDIN, "in/jana-schmidt-123", None, "https://www.linkedin.com/in/jana-schmidt-123/"),
        (K.FACEBOOK, "uv.lamps.gmbh", None, "https://www.facebook.com/uv.lamps.gmbh"),
        (K.FACEBOOK, "100012345678", None, "https://www.facebook.com/profile.php?id=100012345678"),
        (K.INSTAGRAM, "uv.shop", None, "https://www.instagram.com/uv.shop/"),
        (K.TWITTER, "uvbuyer", None, "https://x.com/uvbuyer"),
        (K.TIKTOK, "uv.shop", None, "https://www.tiktok.com/@uv.shop"),
        (K.YOUTUBE, "@UVLamps", None, "https://www.youtube.com/@UVLamps"),
        (K.SNAPCHAT, "uvbuyer", None, "https://www.snapchat.com/add/uvbuyer"),
        (K.APPLE_MESSAGES, "+14155550123", None, "sms:+14155550123"),
        (K.APPLE_MESSAGES, "buyer@icloud.com", None, "imessage:buyer@icloud.com"),
    ],
)
def test_chat_link_for_channel(kind: ChannelKind, raw: str, region: str | None, link: str) -> None:
    assert chat_link(_handle(kind, raw, region)) == link


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        (K.WECHAT, "wxid_uvbuyer"),
        (K.KAKAOTALK, "uvbuyer_kr"),
        (K.DISCORD, "uv.buyer"),
        (K.GOOGLE_CHAT, "a@gmail.com"),
    ],
)
def test_channels_without_a_universal_chat_link_get_none(kind: ChannelKind, raw: str) -> None:
    assert chat_link(_handle(kind, raw)) is None


def test_mailto_subject_and_body_are_percent_encoded_so_they_cannot_add_headers() -> None:
    link = chat_link(
        _handle(K.EMAIL, "sales@uv-import.de"), text="Hi & bye", subject="UV?&bcc=x@evil.example"
    )
    assert link == "mailto:sales@uv-import.de?subject=UV%3F%26bcc%3Dx%40evil.example&body=Hi%20%26%20bye"


def test_whatsapp_text_is_percent_encoded() -> None:
    link = chat_link(_handle(K.WHATSAPP, "+4915123456789"), text="Hello, UV lamps 254 nm?")
    assert link == "https://wa.me/4915123456789?text=Hello%2C%20UV%20lamps%20254%20nm%3F"


# --- seed rankings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "channels"),
    [
        ("US", (K.FACEBOOK, K.TWITTER, K.MESSENGER, K.SNAPCHAT, K.WHATSAPP, K.SKYPE, K.GOOGLE_CHAT)),
        ("GB", (K.WHATSAPP, K.FACEBOOK, K.MESSENGER, K.SNAPCHAT, K.SKYPE, K.DISCORD)),
        ("FR", (K.FACEBOOK, K.MESSENGER, K.WHATSAPP, K.SNAPCHAT, K.TWITTER, K.SKYPE)),
        ("DE", (K.WHATSAPP, K.FACEBOOK, K.MESSENGER, K.APPLE_MESSAGES, K.SKYPE, K.TELEGRAM)),
        ("ES", (K.WHATSAPP, K.FACEBOOK, K.MESSENGER, K.TELEGRAM, K.SKYPE, K.GOOGLE_CHAT)),
        ("IT", (K.WHATSAPP, K.FACEBOOK, K.MESSENGER, K.TWITTER, K.SKYPE, K.SNAPCHAT)),
        ("IN", (K.WHATSAPP, K.FACEBOOK, K.MESSENGER, K.SNAPCHAT, K.SKYPE, K.DISCORD)),
    ],
)
def test_customer_research_ranking_is_kept_in_its_order(
    country: str, channels: tuple[ChannelKind, ...]
) -> None:
    ranking = next(ranking for ranking in CUSTOMER_RANKINGS if ranking.country == country)
    assert ranking.channels == channels
    assert ranking.source == CUSTOMER_RESEARCH_SOURCE
    assert ranking.is_default is False


def test_defaults_are_marked_as_defaults_and_never_claim_customer_research() -> None:
    assert GLOBAL_DEFAULT_RANKING.is_default
    assert GLOBAL_DEFAULT_RANKING.country is None
    assert GLOBAL_DEFAULT_RANKING.source == GLOBAL_DEFAULT_SOURCE
    assert all(
        ranking.is_default and "not from customer research" in ranking.source
        for ranking in REGIONAL_DEFAULT_RANKINGS
    )


@pytest.mark.parametrize(
    ("country", "first"),
    [
        ("CN", K.WECHAT),
        ("JP", K.LINE),
        ("TW", K.LINE),
        ("TH", K.LINE),
        ("KR", K.KAKAOTALK),
        ("RU", K.TELEGRAM),
        ("BR", K.WHATSAPP),
    ],
)
def test_regional_default_puts_the_local_favourite_first(country: str, first: ChannelKind) -> None:
    assert RANKINGS[country][0] is first


def test_seed_rankings_have_one_row_per_country_without_repeats() -> None:
    countries = [ranking.country for ranking in SEED_RANKINGS]
    assert len(countries) == len(set(countries))
    assert all(len(ranking.channels) == len(set(ranking.channels)) for ranking in SEED_RANKINGS)
    assert None not in RANKINGS


# --- recommendation --------------------------------------------------------------------------------


def test_recommendation_follows_the_country_ranking() -> None:
    result = recommend_channels("DE", [K.FACEBOOK, K.EMAIL, K.WHATSAPP], RANKINGS, DEFAULT)
    assert [entry.kind for entry in result.channels] == [K.WHATSAPP, K.FACEBOOK, K.EMAIL]
    assert result.channels[0].reason == "#1 in Germany"
    assert result.channels[0].position == 1
    assert result.basis is RankingBasis.COUNTRY


@pytest.mark.parametrize(
    ("country", "available"),
    [
        ("US", [K.EMAIL]),
        ("DE", [K.PHONE, K.SKYPE]),
        ("GB", []),
        (None, [K.TELEGRAM, K.LINE]),
        ("CN", [K.EMAIL, K.LINKEDIN, K.PHONE]),
    ],
)
def test_recommendation_never_includes_a_channel_without_a_handle(
    country: str | None, available: list[ChannelKind]
) -> None:
    result = recommend_channels(country, available, RANKINGS, DEFAULT)
    assert {entry.kind for entry in result.channels} == set(available)


@settings(max_examples=200, deadline=None)
@given(
    country=st.sampled_from([None, "US", "GB", "FR", "DE", "ES", "IT", "IN", "CN", "JP", "CA", "ZZ"]),
    available=st.lists(st.sampled_from(list(ChannelKind)), max_size=8),
    replies=st.dictionaries(st.sampled_from(list(ChannelKind)), st.integers(1, 5), max_size=3),
)
def test_recommendation_ranks_exactly_the_channels_the_contact_has(
    country: str | None, available: list[ChannelKind], replies: dict[ChannelKind, int]
) -> None:
    history = ReplyHistory(channel_counts=tuple(replies.items()), reply_count=sum(replies.values()))
    result = recommend_channels(country, available, RANKINGS, DEFAULT, history)
    kinds = [entry.kind for entry in result.channels]
    assert sorted(kinds) == sorted(set(available))
    assert not set(result.ask_for) & set(available)
    assert [entry.position for entry in result.channels] == list(range(1, len(result.channels) + 1))


def test_unranked_country_falls_back_to_the_default_ranking() -> None:
    result = recommend_channels("CA", [K.VIBER, K.WHATSAPP], RANKINGS, DEFAULT)
    assert [entry.kind for entry in result.channels] == [K.WHATSAPP, K.VIBER]
    assert result.basis is RankingBasis.DEFAULT
    assert result.channels[0].reason == "#1 in the default ranking"


def test_missing_country_uses_the_default_ranking() -> None:
    result = recommend_channels(None, [K.LINE, K.WECHAT], RANKINGS, DEFAULT)
    assert [entry.kind for entry in result.channels] == [K.WECHAT, K.LINE]


def test_channel_they_answered_on_goes_first_with_the_count_as_reason() -> None:
    history = ReplyHistory(channel_counts=((K.TELEGRAM, 3),), preferred_channel=K.TELEGRAM, reply_count=3)
    result = recommend_channels("DE", [K.WHATSAPP, K.TELEGRAM], RANKINGS, DEFAULT, history)
    assert [entry.kind for entry in result.channels] == [K.TELEGRAM, K.WHATSAPP]
    assert result.channels[0].reason == "they replied on Telegram 3 times; #6 in Germany"


def test_channels_outside_every_ranking_come_after_ranked_ones_with_email_and_phone_last() -> None:
    result = recommend_channels("DE", [K.PHONE, K.EMAIL, K.LINKEDIN, K.VIBER, K.MESSENGER], RANKINGS, DEFAULT)
    assert [entry.kind for entry in result.channels] == [K.MESSENGER, K.VIBER, K.LINKEDIN, K.EMAIL, K.PHONE]
    assert result.channels[1].reason == "#6 in the default ranking"
    assert result.channels[3].reason == "not in any ranking"


def test_discontinued_skype_goes_last_and_is_never_asked_for() -> None:
    result = recommend_channels("US", [K.SKYPE, K.EMAIL], RANKINGS, DEFAULT)
    assert [entry.kind for entry in result.channels] == [K.EMAIL, K.SKYPE]
    assert result.channels[-1].reason.startswith("Skype is discontinued")
    assert result.best_instant_messaging is None
    assert K.SKYPE not in result.ask_for


def test_ask_for_names_popular_chat_apps_ranked_above_what_they_gave() -> None:
    result = recommend_channels("US", [K.EMAIL, K.WHATSAPP], RANKINGS, DEFAULT)
    assert result.ask_for == (K.MESSENGER, K.SNAPCHAT)  # Facebook and Twitter are profiles, not chats


def test_ask_for_is_empty_when_they_gave_the_countrys_favourite() -> None:
    assert recommend_channels("DE", [K.WHATSAPP], RANKINGS, DEFAULT).ask_for == ()


def test_ask_for_lists_the_top_chat_apps_when_they_gave_none() -> None:
    result = recommend_channels("DE", [K.EMAIL], RANKINGS, DEFAULT)
    assert result.ask_for == (K.WHATSAPP, K.MESSENGER, K.APPLE_MESSAGES)


def test_country_code_case_and_repeated_channels_do_not_matter() -> None:
    result = recommend_channels("de", [K.WHATSAPP, K.WHATSAPP, K.EMAIL], RANKINGS, DEFAULT)
    assert [entry.kind for entry in result.channels] == [K.WHATSAPP, K.EMAIL]


def test_history_without_replies_leaves_the_country_order() -> None:
    history = ReplyHistory(median_latency=timedelta(hours=3))
    result = recommend_channels("DE", [K.FACEBOOK, K.WHATSAPP], RANKINGS, DEFAULT, history)
    assert [entry.kind for entry in result.channels] == [K.WHATSAPP, K.FACEBOOK]
