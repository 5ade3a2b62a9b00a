"""`manage.py nonreply`: the JSON it prints, out-of-office files, channels from the stored rankings, and
one-line errors with exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from channels_ref.models import Channel, CountryChannelRank
from channels_ref.queries import forget_process_copy
from tests import celery_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    out = StringIO()
    call_command("nonreply", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": celery_worker.worker_database_url()}
    return subprocess.run(
        [sys.executable, "manage.py", "nonreply", *args],
        cwd=celery_worker.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_prints_exactly_reasons_next_attempt_local_time_and_channels(postgres_url: str) -> None:
    result = _run(
        "--country", "DE", "--sent-at", "2026-12-24T16:00:00Z", "--now", "2026-12-28T06:00:00Z", "--json"
    )

    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert list(payload) == ["reasons", "next_attempt_at", "local_time_at_send", "channels"]
    assert all(list(reason) == ["code", "detail"] for reason in payload["reasons"])
    codes = [reason["code"] for reason in payload["reasons"]]
    assert codes == ["weekend", "public_holiday", "timezone_gap"]
    assert "Christmas Day" in payload["reasons"][1]["detail"]
    assert payload["next_attempt_at"] == "2026-12-28T08:00:00Z"  # Monday 09:00 in Berlin
    assert payload["local_time_at_send"] == "2026-12-24T17:00:00+01:00"
    assert payload["channels"] == ["whatsapp", "facebook", "messenger", "apple_messages", "telegram"]


def test_channels_given_are_ranked_by_the_country_and_never_extended() -> None:
    payload = _json(
        "--country", "US", "--sent-at", "2026-03-02T15:00:00Z", "--now", "2026-03-02T18:00:00Z",
        "--channels", "email,whatsapp,facebook,skype",
    )  # fmt: skip

    assert payload["channels"] == ["facebook", "whatsapp", "email", "skype"]  # Skype is discontinued: last


def test_rankings_edited_in_the_database_are_used() -> None:
    whatsapp = Channel.objects.get(kind="whatsapp")
    telegram = Channel.objects.get(kind="telegram")
    CountryChannelRank.objects.create(country="PL", channel=telegram, position=1, source="test research")
    CountryChannelRank.objects.create(country="PL", channel=whatsapp, position=2, source="test research")
    forget_process_copy()  # this test's transaction never commits, so no commit hook refreshes the copy

    payload = _json(
        "--country", "PL", "--sent-at", "2026-03-02T08:00:00Z", "--now", "2026-03-02T10:00:00Z",
        "--channels", "whatsapp,telegram",
    )  # fmt: skip

    forget_process_copy()
    assert payload["channels"] == ["telegram", "whatsapp"]


def test_a_message_in_their_business_hours_is_explained_by_the_time_gap_alone_and_can_be_chased_now() -> None:
    payload = _json(
        "--country", "GB", "--sent-at", "2026-03-03T09:30:00+00:00", "--now", "2026-03-03T11:00:00Z",
        "--timezone", "Europe/London",
    )  # fmt: skip

    # London is eight hours behind the Shanghai office: that gap is the only reason there is.
    assert [reason["code"] for reason in payload["reasons"]] == ["timezone_gap"]
    assert payload["next_attempt_at"] == "2026-03-03T11:00:00Z"


def test_an_rfc_5322_out_of_office_reply_puts_them_on_vacation_until_a_day_after_their_return(
    tmp_path: Path,
) -> None:
    note = tmp_path / "ooo.eml"
    note.write_bytes(
        "From: Hans Weber <hans@klinik.example>\r\n"
        "Subject: Abwesenheitsnotiz\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "Date: Mon, 21 Dec 2026 10:00:00 +0100\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
        "Vielen Dank für Ihre Nachricht. Ich bin bis zum 05.01.2027 nicht im Büro.\r\n".encode()
    )

    payload = _json(
        "--country", "DE", "--sent-at", "2026-12-21T08:00:00Z", "--now", "2026-12-30T10:00:00Z",
        "--auto-reply-file", str(note),
    )  # fmt: skip

    vacation = next(reason for reason in payload["reasons"] if reason["code"] == "on_vacation")
    assert "2026-12-21" in vacation["detail"]
    assert payload["next_attempt_at"] == "2027-01-06T08:00:00Z"  # back on the 5th, free on the 6th


@pytest.mark.parametrize(
    ("text", "country", "next_attempt_at"),
    [
        # Back on Saturday the 9th; Monday the 11th is Coming of Age Day: free on Tuesday the 12th.
        ("ただいま不在にしております。1月8日まで休暇をいただいております。", "JP", "2027-01-12T00:00:00Z"),
        # Back on Sunday the 10th: free on Monday the 11th.
        ("Автоответ: я в отпуске до 10 января.", "RU", "2027-01-11T06:00:00Z"),
    ],
)
def test_a_plain_text_out_of_office_note_is_read_too(
    tmp_path: Path, text: str, country: str, next_attempt_at: str
) -> None:
    note = tmp_path / "ooo.txt"
    note.write_text(text, encoding="utf-8")

    payload = _json(
        "--country", country, "--sent-at", "2026-12-28T02:00:00Z", "--now", "2026-12-29T02:00:00Z",
        "--auto-reply-file", str(note),
    )  # fmt: skip

    assert "on_vacation" in [reason["code"] for reason in payload["reasons"]]
    assert payload["next_attempt_at"] == next_attempt_at


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "UK", "--sent-at", "2026-03-02T09:00:00Z"], "the United Kingdom is GB"),
        (["--country", "DE", "--sent-at", "yesterday"], "not an ISO 8601 date-time"),
        (
            ["--country", "DE", "--sent-at", "2026-03-02T09:00:00Z", "--now", "2026-03-01T09:00:00Z"],
            "before --sent-at",
        ),
        (
            ["--country", "DE", "--sent-at", "2026-03-02T09:00:00Z", "--timezone", "Mars/Olympus"],
            "not an IANA time zone",
        ),
        (
            ["--country", "DE", "--sent-at", "2026-03-02T09:00:00Z", "--channels", "email,pigeon"],
            "unknown channel 'pigeon'",
        ),
        (
            [
                "--country",
                "DE",
                "--sent-at",
                "2026-03-02T09:00:00Z",
                "--auto-reply-file",
                "/nonexistent/ooo.eml",
            ],
            "--auto-reply-file",
        ),
        (["--sent-at", "2026-03-02T09:00:00Z"], "--country"),
    ],
)
def test_bad_arguments_print_one_line_and_exit_with_status_2(
    postgres_url: str, args: list[str], message: str
) -> None:
    result = _run(*args, "--json")

    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]


def test_without_json_it_prints_a_readable_summary() -> None:
    out = StringIO()
    call_command(
        "nonreply",
        "--country",
        "CN",
        "--sent-at",
        "2026-02-13T02:00:00Z",
        "--now",
        "2026-02-18T02:00:00Z",
        stdout=out,
    )

    text = out.getvalue()
    assert "public_holiday: " in text
    assert "Spring Festival" in text
    assert text.startswith("Local time at send: 2026-02-13T10:00:00+08:00 (Asia/Shanghai)")
