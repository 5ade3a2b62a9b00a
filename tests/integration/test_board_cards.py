"""What a card says, from the pure helpers in leads/board.py: flags, local day, waiting days, cursors, reasons."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from followups import timing
from leads import board


@pytest.mark.parametrize(
    ("code", "flag"), [("DE", "🇩🇪"), ("br", "🇧🇷"), ("GB", "🇬🇧"), ("", ""), ("D", ""), ("D1", ""), ("ÄÖ", "")]
)
def test_flag_is_two_regional_indicators_of_the_iso_code(code, flag) -> None:
    assert board.flag(code) == flag


def test_country_names_are_english_and_cover_the_iso_list() -> None:
    assert board.country_name("DE") == "Germany"
    assert board.country_name("CZ") == "Czechia"
    assert len(board.COUNTRY_NAMES) > 240
    assert "AN" not in board.COUNTRY_NAMES


def test_local_day_uses_the_contacts_zone_then_the_countrys() -> None:
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    assert board.local_day(now, "JP").local_time.hour == 21  # Asia/Tokyo
    assert board.local_day(now, "JP", tz="America/New_York").local_time.hour == 8  # DST already started
    assert board.local_day(now, "").local_time is None


def test_local_day_names_todays_public_holiday_in_their_calendar() -> None:
    christmas = datetime(2026, 12, 25, 10, 0, tzinfo=UTC)
    expected = timing.holiday_name(date(2026, 12, 25), timing.calendar_for("DE"))
    assert expected
    assert board.local_day(christmas, "DE").holiday == expected
    assert board.local_day(christmas - timedelta(days=3), "DE").holiday is None


def test_local_day_knows_when_they_are_on_vacation() -> None:
    now = datetime(2026, 7, 15, 9, 0, tzinfo=UTC)
    assert board.local_day(now, "FR", vacation_until=date(2026, 7, 20)).is_on_vacation
    assert board.local_day(
        now, "FR", vacation_from=date(2026, 7, 1), vacation_until=date(2026, 7, 15)
    ).is_on_vacation
    assert not board.local_day(now, "FR", vacation_until=date(2026, 7, 14)).is_on_vacation
    assert not board.local_day(
        now, "FR", vacation_from=date(2026, 7, 16), vacation_until=date(2026, 7, 30)
    ).is_on_vacation


def test_after_hours_follows_their_business_hours() -> None:
    assert board.local_day(datetime(2026, 3, 10, 2, 0, tzinfo=UTC), "DE").is_after_hours  # 03:00 Berlin
    assert not board.local_day(datetime(2026, 3, 10, 10, 0, tzinfo=UTC), "DE").is_after_hours


def test_waiting_days_count_only_while_our_message_is_unanswered() -> None:
    now = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)
    sent = now - timedelta(days=4, hours=3)
    assert board.waiting_days(sent, None, now) == 4
    assert board.waiting_days(sent, sent - timedelta(days=1), now) == 4  # their older message does not count
    assert board.waiting_days(sent, sent + timedelta(hours=2), now) is None
    assert board.waiting_days(None, None, now) is None


def test_cursor_round_trips_and_rejects_garbage() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    assert board.decode_cursor(board.encode_cursor(moment, 42)) == (moment, 42)
    for garbage in ("", "abc", "1.x", "1", ".5", "9" * 30 + ".1", "1.2.3"):
        assert board.decode_cursor(garbage) is None


def test_rank_columns_orders_newest_first_with_id_as_tie_break_and_counts_exactly() -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [(5, "new", base), (3, "new", base), (9, "new", base + timedelta(hours=1)), (4, "won", base)]
    pages = board.rank_columns(rows, ["new", "won", "junk"], per_page=2)
    assert pages["new"].ids == (9, 3)
    assert pages["new"].has_more
    assert pages["new"].count == 3
    assert pages["won"].ids == (4,)
    assert not pages["won"].has_more
    assert pages["junk"].ids == ()
    assert pages["junk"].count == 0


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("catch_all", "The mail server accepts any address (catch-all)"),
        ("parking_nameservers", "The domain uses a parking service's nameservers"),
        ("brand_new_code", "Brand new code"),
        ("", "Unknown reason"),
    ],
)
def test_reason_codes_read_as_words(code, text) -> None:
    assert board.reason_text(code) == text


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://www.aqua.example/", "https://www.aqua.example/"),
        ("HTTP://aqua.example", "HTTP://aqua.example"),
        ("javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("https://a.example/\nx", None),
        ("www.aqua.example", None),
    ],
)
def test_only_plain_web_addresses_become_links(url, href) -> None:
    assert board.web_href(url) == href
