"""Admins edit the country rankings (order, source, default flag), message templates and offers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from channels_ref.catalogue import ChannelKind
from channels_ref.models import Channel, CountryChannelRank
from channels_ref.queries import forget_process_copy, load_rankings
from followups.messaging import unknown_placeholders
from followups.models import MessageTemplate, Offer
from followups.templatetags.followups_extras import countdown, countdown_state

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _fresh_rankings():  # type: ignore[no-untyped-def]
    # Rows written here are rolled back, never committed: no commit hook would refresh the process copy.
    forget_process_copy()
    yield
    forget_process_copy()


def _formset(rows: list[tuple[str, str, bool, int]], initial: int) -> dict[str, str]:
    data = {
        "rank-TOTAL_FORMS": str(len(rows)),
        "rank-INITIAL_FORMS": str(initial),
        "rank-MIN_NUM_FORMS": "0",
        "rank-MAX_NUM_FORMS": "1000",
    }
    for index, (kind, source, is_default, order) in enumerate(rows):
        channel = Channel.objects.get(kind=kind) if kind else None
        data |= {
            f"rank-{index}-channel": str(channel.pk) if channel else "",
            f"rank-{index}-source": source,
            f"rank-{index}-ORDER": str(order) if order else "",
        }
        if is_default:
            data[f"rank-{index}-is_default"] = "on"
    return data


def test_the_seeded_rankings_load_from_the_database_with_their_sources() -> None:
    rankings = load_rankings()

    assert rankings.by_country["GB"][:3] == (
        ChannelKind.WHATSAPP,
        ChannelKind.FACEBOOK,
        ChannelKind.MESSENGER,
    )
    assert ChannelKind.SKYPE not in rankings.by_country["GB"]  # retired channel rows are inactive
    assert rankings.default[0] is ChannelKind.WHATSAPP
    assert rankings.sources["DE"].is_default is False
    assert rankings.sources[""].is_default is True


def test_an_admin_reorders_a_countrys_ranking_and_the_next_look_up_sees_it(client, admin_user) -> None:
    client.force_login(admin_user)
    url = reverse("admin:channels_ref_country_ranking", args=["DE"])
    assert load_rankings().by_country["DE"][0] is ChannelKind.WHATSAPP
    page = client.get(url)
    assert page.status_code == 200
    assert "Customer research" in page.content.decode()

    response = client.post(
        url,
        _formset(
            [
                ("telegram", "Own survey 2026", False, 1),
                ("whatsapp", "Own survey 2026", False, 2),
                ("viber", "Guess", True, 3),
            ],
            initial=0,
        ),
    )

    assert response.status_code == 302
    rows = list(CountryChannelRank.objects.filter(country="DE").order_by("position"))
    assert [(row.channel.kind, row.position, row.is_default) for row in rows] == [
        ("telegram", 1, False),
        ("whatsapp", 2, False),
        ("viber", 3, True),
    ]
    assert load_rankings().by_country["DE"] == (ChannelKind.TELEGRAM, ChannelKind.WHATSAPP, ChannelKind.VIBER)


def test_a_channel_listed_twice_or_without_a_source_is_refused(client, admin_user) -> None:
    client.force_login(admin_user)
    url = reverse("admin:channels_ref_country_ranking", args=["PL"])

    twice = client.post(url, _formset([("telegram", "x", False, 1), ("telegram", "x", False, 2)], initial=0))
    unsourced = client.post(url, _formset([("telegram", "", False, 1)], initial=0))

    assert "listed twice" in twice.content.decode()
    assert "Say where this ranking comes from" in unsourced.content.decode()
    assert not CountryChannelRank.objects.filter(country="PL").exists()


def test_the_rank_list_flags_defaults_and_opens_any_country(client, admin_user) -> None:
    client.force_login(admin_user)
    changelist = reverse("admin:channels_ref_countrychannelrank_changelist")

    page = client.get(changelist).content.decode()
    jump = client.get(changelist, {"open_country": "br"})

    assert "customer research" in page
    assert "default" in page
    assert jump["Location"] == reverse("admin:channels_ref_country_ranking", args=["BR"])


def test_reps_cannot_open_the_ranking_editor(client, rep) -> None:
    client.force_login(rep)

    response = client.get(reverse("admin:channels_ref_country_ranking", args=["DE"]))

    assert response.status_code == 302  # the admin sends non-staff users to its login page


def test_a_template_with_an_unknown_placeholder_is_refused_in_the_admin(client, admin_user) -> None:
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:followups_messagetemplate_add"),
        {"name": "Nudge", "language": "en", "channel": "email", "subject": "Hi", "body": "Dear {contact}"},
    )

    assert "Unknown placeholders: {contact}" in response.content.decode()
    assert not MessageTemplate.objects.filter(name="Nudge").exists()


def test_an_offer_is_saved_with_its_languages_as_a_list(client, admin_user) -> None:
    client.force_login(admin_user)

    client.post(
        reverse("admin:followups_offer_add"),
        {
            "title": "Spring deal",
            "terms": "10% off",
            "valid_until_0": "2099-04-30",
            "valid_until_1": "18:00:00",
            "languages_text": "DE, en ,de",
        },
    )

    offer = Offer.objects.get(title="Spring deal")
    assert offer.languages == ["de", "en"]
    assert offer.created_by == admin_user


def test_seven_languages_of_templates_are_seeded_and_use_only_known_placeholders() -> None:
    languages = set(MessageTemplate.objects.values_list("language", flat=True))
    assert {"en", "de", "fr", "es", "it", "pt", "ru"} <= languages
    assert all(not unknown_placeholders(t.subject + t.body) for t in MessageTemplate.objects.all())


NOW = datetime(2027, 1, 10, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("left", "text", "state"),
    [
        (timedelta(days=2, hours=4, minutes=10), "2 days 4 h left", ""),
        (timedelta(days=1), "1 day left", ""),
        (timedelta(hours=5, minutes=20), "5 h 20 min left", "ending"),
        (timedelta(seconds=20), "1 min left", "ending"),
        (timedelta(0), "expired", "expired"),
        (-timedelta(days=3), "expired", "expired"),
    ],
)
def test_an_offer_countdown_reads_as_time_left(left: timedelta, text: str, state: str) -> None:
    assert countdown(NOW + left, NOW) == text
    assert countdown_state(NOW + left, NOW) == state


def test_the_countdown_fragment_carries_its_end_for_a_ticking_script() -> None:
    html = render_to_string(
        "followups/partials/offer_countdown.html",
        {"title": "Spring deal", "valid_until": timezone.now() + timedelta(days=2, hours=5)},
    )

    assert 'data-valid-until="' in html
    assert "Spring deal" in html
    assert "2 days 4 h left" in html  # a moment less than 2 days 5 h by the time it renders
