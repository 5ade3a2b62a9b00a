"""Auto-reply detection from headers and wording, and return dates in fourteen languages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from followups.autoreply import detect_auto_reply

RECEIVED = datetime(2026, 12, 28, 10, 0, tzinfo=UTC)
AUTO = {"Auto-Submitted": "auto-replied"}


@pytest.mark.parametrize(
    ("subject", "body", "language", "return_date"),
    [
        (
            "Out of Office: RE: UV lamps",
            "I am out of the office until 12 January 2027 with limited access to email.",
            "en",
            date(2027, 1, 12),
        ),
        (
            "Automatic reply: quote",
            "Thank you for your email. I will be back on Monday 5th January.",
            "en",
            date(2027, 1, 5),
        ),
        ("Automatic reply", "I'm on holiday until January 7, 2027.", "en", date(2027, 1, 7)),
        ("Abwesenheitsnotiz", "Ich bin bis zum 05.01.2027 nicht im Büro.", "de", date(2027, 1, 5)),
        (
            "Abwesenheitsnotiz: Angebot",
            "Ich bin bis einschließlich 5. Januar im Urlaub.",
            "de",
            date(2027, 1, 6),
        ),
        ("Réponse automatique", "Je suis absent du bureau jusqu'au 8 janvier 2027.", "fr", date(2027, 1, 8)),
        ("Respuesta automática", "Estoy fuera de la oficina hasta el 7 de enero.", "es", date(2027, 1, 7)),
        ("Risposta automatica", "Sono fuori ufficio fino al 9 gennaio.", "it", date(2027, 1, 9)),
        ("Resposta automática", "Estou ausente do escritório até 10 de janeiro.", "pt", date(2027, 1, 10)),
        ("Automatisch antwoord", "Ik ben afwezig tot en met 6 januari.", "nl", date(2027, 1, 7)),
        ("Autosvar", "Jag är ej på kontoret till 7 januari.", "sv", date(2027, 1, 7)),
        ("Otomatik yanıt", "12 Ocak'a kadar ofis dışındayım.", "tr", date(2027, 1, 12)),
        ("Automatyczna odpowiedź", "Jestem poza biurem do 11 stycznia.", "pl", date(2027, 1, 11)),
        ("Автоответ", "Я вне офиса до 10 января.", "ru", date(2027, 1, 10)),
        ("رد تلقائي", "أنا خارج المكتب حتى 10 يناير.", "ar", date(2027, 1, 10)),
        ("自动回复", "您好，我目前不在办公室，1月8日返回。", "zh", date(2027, 1, 8)),
        ("自动回复", "春节假期，1月8日回来。", "zh", date(2027, 1, 8)),
        (
            "自動返信",
            "ただいま不在にしております。1月8日まで休暇をいただいております。",
            "ja",
            date(2027, 1, 9),
        ),
    ],
)
def test_out_of_office_gives_language_and_return_date(
    subject: str, body: str, language: str, return_date: date
) -> None:
    result = detect_auto_reply(AUTO, subject, body, RECEIVED)
    assert result is not None
    assert result.is_vacation
    assert (result.language, result.return_date) == (language, return_date)


@pytest.mark.parametrize(
    ("body", "return_date"),
    [
        # "until" the date: back that day (the hold adds a business day for the other reading).
        ("Out of office until 5 January.", date(2027, 1, 5)),
        # The date itself is still away.
        ("Out of office through 5 January.", date(2027, 1, 6)),
        ("Out of office until 5 January inclusive.", date(2027, 1, 6)),
        ("Ich bin bis einschließlich 05.01.2027 abwesend.", date(2027, 1, 6)),
        ("Je suis en congés jusqu'au 8 janvier inclus.", date(2027, 1, 9)),
        ("Ik ben met vakantie t/m 6 januari.", date(2027, 1, 7)),
        ("Jag är på semester till och med 7 januari.", date(2027, 1, 8)),
        ("Я в отпуске по 10 января.", date(2027, 1, 11)),
        ("Я в отпуске до 10 января включительно.", date(2027, 1, 11)),
        ("Jestem na urlopie do 11 stycznia włącznie.", date(2027, 1, 12)),
        ("12 Ocak dahil izindeyim.", date(2027, 1, 13)),
        ("Estoy de vacaciones hasta el 7 de enero inclusive.", date(2027, 1, 8)),
        ("Sono in ferie fino al 9 gennaio compreso.", date(2027, 1, 10)),
    ],
)
def test_inclusive_wording_moves_the_return_to_the_next_day(body: str, return_date: date) -> None:
    result = detect_auto_reply(AUTO, "Auto", body, RECEIVED)
    assert result is not None
    assert result.return_date == return_date


@pytest.mark.parametrize(
    ("body", "return_date"),
    [
        ("I am on leave from 22 December to 4 January.", date(2027, 1, 4)),
        ("Ich bin vom 22.12. bis 06.01. im Urlaub.", date(2027, 1, 6)),
        ("Je suis absent du 22 décembre au 8 janvier.", date(2027, 1, 8)),
        ("Estoy de vacaciones del 22 de diciembre al 7 de enero.", date(2027, 1, 7)),
        ("Я в отпуске с 22 декабря по 10 января.", date(2027, 1, 11)),
        ("Jestem na urlopie od 22 grudnia do 11 stycznia.", date(2027, 1, 11)),
        ("12月27日から1月5日まで休暇をいただいております。", date(2027, 1, 6)),
    ],
)
def test_range_takes_its_end_not_its_start(body: str, return_date: date) -> None:
    result = detect_auto_reply(AUTO, "Auto", body, RECEIVED)
    assert result is not None
    assert result.return_date == return_date


@pytest.mark.parametrize(
    ("body", "received", "return_date"),
    [
        ("Out of office until 5 January.", datetime(2026, 12, 28, tzinfo=UTC), date(2027, 1, 5)),
        ("Out of office until 5 January.", datetime(2026, 6, 1, tzinfo=UTC), date(2027, 1, 5)),
        ("Out of office until 30 June.", datetime(2026, 6, 1, tzinfo=UTC), date(2026, 6, 30)),
        ("Out of office until 28 December.", datetime(2026, 12, 28, tzinfo=UTC), date(2026, 12, 28)),
    ],
)
def test_date_without_year_is_the_next_such_date_from_arrival(
    body: str, received: datetime, return_date: date
) -> None:
    result = detect_auto_reply(AUTO, "Auto", body, received)
    assert result is not None
    assert result.return_date == return_date


@pytest.mark.parametrize(
    ("subject", "body", "received", "return_date"),
    [
        # English 01/08/2027: January 8 (US) or 1 August (UK); the nearer upcoming reading wins.
        ("Out of office", "On annual leave, returning 01/08/2027.", RECEIVED, date(2027, 1, 8)),
        (
            "Out of office",
            "On annual leave, returning 01/08/2027.",
            datetime(2027, 7, 20, tzinfo=UTC),
            date(2027, 8, 1),
        ),
        ("Out of office", "On annual leave, returning 13/01/2027.", RECEIVED, date(2027, 1, 13)),
        ("Out of office", "On annual leave, returning 01/13/2027.", RECEIVED, date(2027, 1, 13)),
        # Other languages write the day first.
        ("Réponse automatique", "Absent, de retour le 01/08/2027.", RECEIVED, date(2027, 8, 1)),
        ("Respuesta automática", "Ausente hasta el 05/01/2027.", RECEIVED, date(2027, 1, 5)),
        # Dotted dates are day first everywhere; ISO dates are ISO everywhere.
        ("Автоответ", "В отпуске до 10.01.2027.", RECEIVED, date(2027, 1, 10)),
        ("Otomatik yanıt", "05.01.2027 tarihine kadar izindeyim.", RECEIVED, date(2027, 1, 5)),
        ("Automatyczna odpowiedź", "Jestem na urlopie do 11.01.27.", RECEIVED, date(2027, 1, 11)),
        ("Out of office", "Back on 2027-01-04.", RECEIVED, date(2027, 1, 4)),
        ("自动回复", "休假至2027年1月8日。", RECEIVED, date(2027, 1, 8)),
    ],
)
def test_numeric_dates_follow_the_languages_convention(
    subject: str, body: str, received: datetime, return_date: date
) -> None:
    result = detect_auto_reply(AUTO, subject, body, received)
    assert result is not None
    assert result.return_date == return_date


def test_full_width_digits_in_japanese_are_read() -> None:
    result = detect_auto_reply(AUTO, "自動返信", "１月８日まで不在です。", RECEIVED)
    assert result is not None
    assert result.return_date == date(2027, 1, 9)


def test_arabic_indic_digits_are_read() -> None:
    result = detect_auto_reply(AUTO, "رد تلقائي", "أنا في إجازة حتى ١٠ يناير.", RECEIVED)
    assert result is not None
    assert result.return_date == date(2027, 1, 10)


def test_traditional_chinese_auto_reply_is_chinese() -> None:
    result = detect_auto_reply({}, "自動回覆：詢價", "我目前不在辦公室，1月8日返回。", RECEIVED)
    assert result is not None
    assert result.language == "zh"


def test_japanese_kana_decide_japanese_over_chinese() -> None:
    result = detect_auto_reply(AUTO, "Out of Office", "ただいま不在にしております。", RECEIVED)
    assert result is not None
    assert result.language == "ja"


def test_foreign_note_with_english_subject_is_read_in_its_own_language() -> None:
    result = detect_auto_reply(
        AUTO, "Out of Office", "Ich bin bis einschließlich 5. Januar im Urlaub.", RECEIVED
    )
    assert result is not None
    assert (result.language, result.return_date) == ("de", date(2027, 1, 6))


@pytest.mark.parametrize(
    ("headers", "matched"),
    [
        ({"Auto-Submitted": "auto-replied"}, "header Auto-Submitted: auto-replied"),
        (
            {"auto-submitted": "auto-generated; owner-email=x@y.z"},
            "header Auto-Submitted: auto-generated; owner-email=x@y.z",
        ),
        ({"X-Autoreply": "yes"}, "header x-autoreply: yes"),
        ({"X-Autorespond": "1"}, "header x-autorespond: 1"),
        ({"X-Auto-Response-Suppress": "All"}, "header x-auto-response-suppress: All"),
        ({"Precedence": "auto_reply"}, "header Precedence: auto_reply"),
        ({"Precedence": "bulk"}, "header Precedence: bulk"),
        ({"Precedence": "junk"}, "header Precedence: junk"),
    ],
)
def test_automatic_headers_mark_an_auto_reply(headers: dict[str, str], matched: str) -> None:
    result = detect_auto_reply(headers, "Re: UV lamps", "Thanks, noted.", RECEIVED)
    assert result is not None
    assert result.matched == matched


@pytest.mark.parametrize(
    "headers", [{"Auto-Submitted": "no"}, {"Precedence": "list"}, {"X-Autoreply": "no"}, {}]
)
def test_headers_saying_no_or_mailing_list_are_not_auto_replies(headers: dict[str, str]) -> None:
    assert detect_auto_reply(headers, "Re: UV lamps", "Please send the price list.", RECEIVED) is None


@pytest.mark.parametrize(
    ("subject", "matched"),
    [
        ("Out of Office: UV lamps", "subject: out of office"),
        ("Automatic reply: UV lamps", "subject: automatic reply"),
        ("Abwesenheitsnotiz: UV-Lampen", "subject: abwesenheitsnotiz"),
        ("Réponse automatique : lampes UV", "subject: réponse automatique"),
        ("Reponse automatique : lampes UV", "subject: réponse automatique"),
        ("Автоответ: УФ-лампы", "subject: автоответ"),
        ("自动回复：紫外线灯", "subject: 自动回复"),
    ],
)
def test_subject_phrase_marks_an_auto_reply_without_headers(subject: str, matched: str) -> None:
    result = detect_auto_reply({}, subject, "", RECEIVED)
    assert result is not None
    assert result.matched == matched


def test_body_out_of_office_with_a_return_date_marks_an_auto_reply() -> None:
    result = detect_auto_reply({}, "Re: quote", "I am out of the office until 12 January.", RECEIVED)
    assert result is not None
    assert result.matched == "body: out of the office"
    assert result.return_date == date(2027, 1, 12)


def test_human_mentioning_being_out_of_office_is_not_an_auto_reply() -> None:
    body = "Sorry, I was out of office last week. Please send the price list for 254 nm lamps."
    assert detect_auto_reply({}, "Re: quote", body, RECEIVED) is None


def test_human_promising_to_be_back_with_a_date_is_not_an_auto_reply() -> None:
    body = "Thanks! I will be back to you by 5 January with our requirements."
    assert detect_auto_reply({}, "Re: quote", body, RECEIVED) is None


def test_receipt_auto_reply_is_not_a_vacation_and_holds_nothing() -> None:
    result = detect_auto_reply({}, "Automatic reply: ticket 4411", "We have received your request.", RECEIVED)
    assert result is not None
    assert not result.is_vacation
    assert result.return_date is None
    assert result.hold_until == date(2026, 12, 28)


def test_receipt_promising_to_be_back_to_you_is_not_a_vacation() -> None:
    result = detect_auto_reply(
        AUTO, "Re: UV lamps", "Thank you, we will be back to you within 24 hours.", RECEIVED
    )
    assert result is not None
    assert not result.is_vacation


def test_vacation_without_a_date_holds_for_the_default_days() -> None:
    result = detect_auto_reply(
        AUTO, "Out of office", "I am on vacation with no access to email.", RECEIVED, 10
    )
    assert result is not None
    assert result.is_vacation
    assert result.return_date is None
    assert result.hold_until == date(2027, 1, 7)


def test_hold_until_is_the_day_after_the_return_date() -> None:
    result = detect_auto_reply(AUTO, "Out of office", "Back on 4 January 2027.", RECEIVED)
    assert result is not None
    assert result.hold_until == date(2027, 1, 5)


def test_dates_in_quoted_history_are_ignored() -> None:
    body = (
        "I am out of the office until 4 January.\n\n"
        "-----Original Message-----\nFrom: sales@uv.example\nPlease confirm the order until 30 March.\n"
    )
    result = detect_auto_reply(AUTO, "Out of office", body, RECEIVED)
    assert result is not None
    assert result.return_date == date(2027, 1, 4)


def test_date_too_far_ahead_is_not_a_return_date() -> None:
    result = detect_auto_reply(AUTO, "Out of office", "Out of office until 5 January 2029.", RECEIVED)
    assert result is not None
    assert result.return_date is None


def test_impossible_date_is_not_a_return_date() -> None:
    result = detect_auto_reply(AUTO, "Out of office", "Out of office until 31.02.2027.", RECEIVED)
    assert result is not None
    assert result.return_date is None


def test_plain_date_without_until_wording_is_used_when_it_is_the_only_one() -> None:
    result = detect_auto_reply(
        AUTO, "Out of office", "Out of office. Next working day: 4 January 2027.", RECEIVED
    )
    assert result is not None
    assert result.return_date == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("body", "language", "return_date"),
    [
        # まで includes the day named: back the next day.
        ("自動返信：1月8日まで", "ja", date(2027, 1, 9)),
        ("自動返信: 1月8日まで休暇中です", "ja", date(2027, 1, 9)),
        ("自動返信：\n1月8日まで", "ja", date(2027, 1, 9)),
        ("【自動返信】12月29日～1月5日まで", "ja", date(2027, 1, 6)),
        ("自動応答：1月8日（木）迄です", "ja", date(2027, 1, 9)),
        ("自動返信：1月9日に出社します", "ja", date(2027, 1, 9)),
        ("自动回复：我将休假至1月8日", "zh", date(2027, 1, 8)),
        ("自动回复：1月8日返回", "zh", date(2027, 1, 8)),
        ("自动回复：我1月8日返回办公室", "zh", date(2027, 1, 8)),
        ("自动回复：1月8日起恢复办公", "zh", date(2027, 1, 8)),
        ("自动回复：自1月8日起恢复办公", "zh", date(2027, 1, 8)),
        ("自动回复：从1月8日起正常上班", "zh", date(2027, 1, 8)),
        ("自動回覆：1月8日返回", "zh", date(2027, 1, 8)),
    ],
)
def test_one_line_cjk_note_gives_its_return_date(body: str, language: str, return_date: date) -> None:
    result = detect_auto_reply({}, "Re: 見積", body, RECEIVED)
    assert result is not None
    assert result.is_vacation
    assert (result.language, result.return_date) == (language, return_date)
    assert result.hold_until == date.fromordinal(return_date.toordinal() + 1)


def test_the_zi_of_a_chinese_label_is_not_from() -> None:
    # "自" alone means "from" (the absence starts then); in "自动回复" it is part of the label.
    result = detect_auto_reply(AUTO, "自动回复", "自动回复：我1月8日返回办公室", RECEIVED)
    assert result is not None
    assert result.return_date == date(2027, 1, 8)


def test_chinese_start_of_leave_without_return_is_no_return_date() -> None:
    result = detect_auto_reply({}, "Re: 报价", "自动回复：从12月29日起休假", RECEIVED, 10)
    assert result is not None
    assert result.is_vacation
    assert result.return_date is None
    assert result.hold_until == date(2027, 1, 7)


def test_label_date_in_another_sentence_of_a_receipt_is_no_absence() -> None:
    body = "自動返信：ご注文を受け付けました。キャンペーンは1月31日までです。"
    result = detect_auto_reply({}, "Re: 注文", body, RECEIVED)
    assert result is not None
    assert not result.is_vacation
    assert result.return_date is None


def test_dates_in_a_repeated_subject_are_no_absence() -> None:
    # The subject of an auto-reply quotes the subject it answers; its dates are the sender's.
    result = detect_auto_reply(AUTO, "自動返信：【1月31日まで】UVランプ特価", "受け付けました。", RECEIVED)
    assert result is not None
    assert not result.is_vacation
    assert result.hold_until == date(2026, 12, 28)
