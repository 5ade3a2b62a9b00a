"""Raw mail in any charset and state of repair is decoded, threaded, sanitized and read for platform inquiries."""

import base64
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leads.company_match import name_similarity, search_words
from leads.mailbox.attachments import OCTET_STREAM, sniff
from leads.mailbox.config import MailboxSettings, parse_mailboxes
from leads.mailbox.parsing import decode_bytes, decode_header, html_to_text, parse_mail, sanitize_html
from leads.mailbox.platforms import parse_notification, platform_of
from tests import mail_samples

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(
    ("raw", "sender", "subject", "text_part"),
    [
        (
            mail_samples.utf8_quoted_printable(),
            "Anna Schmidt",
            "Anfrage: UV-Lampen für Kläranlage",
            "Kläranlage",
        ),
        (mail_samples.gb2312_base64(), "王喆", "询价：紫外线杀菌灯", "联系人：王喆"),
        (
            mail_samples.iso_8859_1_quoted_printable(),
            "José García",
            "Solicitud de cotización - esterilizadores",
            "cotización",
        ),
        (mail_samples.iso_8859_2_base64(), "Łukasz Wójcik", "Zapytanie ofertowe: lampy UV", "żółta"),
    ],
    ids=["utf8-qp", "gb2312-with-gbk-char-base64", "iso-8859-1-qp", "iso-8859-2-base64"],
)
def test_headers_and_bodies_are_decoded_in_their_charsets(
    raw: bytes, sender: str, subject: str, text_part: str
) -> None:
    mail = parse_mail(raw)
    assert mail.sender is not None
    assert mail.sender.name == sender
    assert mail.subject == subject
    assert text_part in mail.text
    assert mail.message_id.startswith("<")
    assert mail.message_id.endswith(">")
    assert mail.sent_at is not None
    assert mail.sent_at.tzinfo is not None


def test_reply_is_threaded_by_in_reply_to_then_references_newest_first() -> None:
    mail = parse_mail(mail_samples.reply_to_outbound())
    assert mail.thread_keys == (mail_samples.OUTBOUND_ID, "<older@uv-factory.example>")


def test_broken_mime_is_read_as_far_as_it_goes() -> None:
    mail = parse_mail(mail_samples.broken_mime())
    assert mail.message_id == ""
    assert mail.sender is not None
    assert mail.sender.name == "李四"
    assert "询价" in mail.subject
    assert mail.sent_at is None
    assert mail.text.startswith("我们需要紫外线灯")
    assert "CloseBoundaryNotFoundDefect" in mail.defects
    assert "onclick" not in mail.html
    assert "javascript:" not in mail.html


def test_html_only_mail_gets_text_and_sanitized_html() -> None:
    mail = parse_mail(mail_samples.html_only_with_script())
    assert mail.text == "We need UV lamps for our plant."
    assert "<script" not in mail.html
    assert "document.location" not in mail.html
    assert "<img" not in mail.html
    assert "onclick" not in mail.html
    assert 'rel="noopener noreferrer nofollow"' in mail.html


def test_attachments_keep_their_decoded_names_but_never_a_path() -> None:
    attachments = parse_mail(mail_samples.with_attachments()).attachments
    assert [a.filename for a in attachments] == ["Zeichnung Kälte.pdf", "invoice.pdf.exe"]
    assert attachments[0].data == mail_samples.PDF_BYTES


@pytest.mark.parametrize(
    ("data", "content_type", "is_executable"),
    [
        (mail_samples.PDF_BYTES, "application/pdf", False),
        (mail_samples.EXE_BYTES, OCTET_STREAM, True),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png", False),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg", False),
        (b"#!/bin/sh\nrm -rf /\n", OCTET_STREAM, True),
        (b"<html><script>alert(1)</script></html>", OCTET_STREAM, False),
        ("Grüße, plain text".encode(), "text/plain", False),
        (b"\x00\x01\x02\x03", OCTET_STREAM, False),
    ],
)
def test_attachment_type_is_sniffed_from_the_bytes(
    data: bytes, content_type: str, is_executable: bool
) -> None:
    sniffed = sniff(data)
    assert (sniffed.content_type, sniffed.is_executable) == (content_type, is_executable)


def test_alibaba_notification_gives_the_buyer_and_the_inquiry_id() -> None:
    notification = parse_notification(parse_mail(mail_samples.alibaba_notification()))
    assert notification is not None
    assert notification.platform == "alibaba"
    assert notification.inquiry_id == "9876543210"
    assert (notification.contact_name, notification.company_name, notification.country) == (
        "Jan Kowalski",
        "AquaPol Sp. z o.o.",
        "PL",
    )
    assert (
        notification.message == "Hello, we need 300 pcs for a fish farm.\nPlease send the price FOB Shanghai."
    )
    assert notification.quantity == "300 Pieces"


def test_made_in_china_notification_is_read_from_its_html_table() -> None:
    notification = parse_notification(parse_mail(mail_samples.made_in_china_notification()))
    assert notification is not None
    assert notification.platform == "made_in_china"
    assert (notification.contact_name, notification.company_name, notification.country) == (
        "Maria Rossi",
        "Acque Pure S.r.l.",
        "IT",
    )
    assert "20 UV sterilizers" in notification.message
    assert "View details" not in notification.message


def test_chinese_platform_notification_labels_are_read() -> None:
    raw = (
        "From: Alibaba <notice@notice.alibaba.com>\r\nSubject: =?utf-8?b?5paw6K+i55uY?=\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "买家：张伟\r\n公司名称：广州净水科技\r\n国家/地区：美国\r\n询盘内容：\r\n需要紫外线灯管\r\n立即回复\r\n"
    ).encode()
    notification = parse_notification(parse_mail(raw))
    assert notification is not None
    assert (notification.contact_name, notification.country, notification.message) == (
        "张伟",
        "US",
        "需要紫外线灯管",
    )


def test_platform_mail_without_buyer_details_is_no_inquiry() -> None:
    raw = b"From: Alibaba.com <news@service.alibaba.com>\r\nSubject: Trade show\r\n\r\nVisit our trade show.\r\n"
    mail = parse_mail(raw)
    assert platform_of(mail) == "alibaba"
    assert parse_notification(mail) is None


def test_a_customer_is_no_platform_even_when_naming_alibaba() -> None:
    assert platform_of(parse_mail(b"From: buyer@alibaba-fan.example\r\n\r\nhi")) is None


@pytest.mark.parametrize(
    ("header", "text"),
    [
        ("=?UTF-8?B?S8OkbHRl?=", "Kälte"),
        ("=?iso-8859-1?q?Gr=FC=DFe?= und =?utf-8?q?K=C3=B6ln?=", "Grüße und Köln"),
        ("=?utf-8?q?a?= =?utf-8?q?b?=", "ab"),  # the folding space between encoded words is not text
        ("=?gb2312?b?" + base64.b64encode("王喆".encode("gbk")).decode() + "?=", "王喆"),
        ("=?utf-8?b?!!!?=", "=?utf-8?b?!!!?="),  # not an encoded word at all: kept as written
        ("=?unknown-charset?q?plain?=", "plain"),
        ("no encoding at all", "no encoding at all"),
    ],
)
def test_encoded_words_are_decoded_and_broken_ones_left_readable(header: str, text: str) -> None:
    assert decode_header(header) == text


@pytest.mark.parametrize(
    ("data", "charset", "text"),
    [
        ("喆".encode("gbk"), "gb2312", "喆"),
        ("Grüße".encode("cp1252"), "iso-8859-1", "Grüße"),
        ("Grüße".encode(), "iso-8859-1", "GrÃ¼ÃŸe"),  # the label wins when it reads the bytes
        ("Grüße".encode(), "x-unknown", "Grüße"),
        ("żółć".encode("iso-8859-2"), "ISO-8859-2", "żółć"),
    ],
)
def test_bodies_are_decoded_with_charset_aliases_and_fallbacks(data: bytes, charset: str, text: str) -> None:
    assert decode_bytes(data, charset) == text


def test_html_to_text_breaks_lines_at_blocks_and_drops_scripts() -> None:
    html = "<p>Hello<br>World</p><script>x()</script><div>Row</div><style>p{}</style>"
    assert html_to_text(html) == "Hello\nWorld\nRow"


def test_sanitized_html_keeps_safe_links_only() -> None:
    cleaned = sanitize_html(
        '<a href="javascript:alert(1)">x</a><a href="https://ok.example/">y</a><iframe></iframe>'
    )
    assert "javascript" not in cleaned
    assert "iframe" not in cleaned
    assert 'href="https://ok.example/"' in cleaned


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes_parse_without_an_exception(raw: bytes) -> None:
    mail = parse_mail(raw)
    assert isinstance(mail.text, str)
    assert isinstance(mail.subject, str)


@FUZZ
@given(
    st.sampled_from(mail_samples.all_new_inquiries()),
    st.integers(0, 4000),
    st.binary(min_size=1, max_size=40),
)
def test_damaged_real_mail_parses_without_an_exception(raw: bytes, position: int, junk: bytes) -> None:
    damaged = raw[:position] + junk + raw[position + len(junk) :]
    mail = parse_mail(damaged)
    assert "<script" not in mail.html


def test_mailbox_list_from_names_and_environment() -> None:
    environ = {
        "LEADS_MAILBOX_SALES_HOST": "imap.example.com",
        "LEADS_MAILBOX_SALES_USER": "sales@example.com",
        "LEADS_MAILBOX_SALES_PASSWORD": "secret",
        "LEADS_MAILBOX_CHINA_HOST": "imap.example.cn",
        "LEADS_MAILBOX_CHINA_USER": "cn@example.cn",
        "LEADS_MAILBOX_CHINA_SSL": "starttls",
        "LEADS_MAILBOX_CHINA_FOLDER": "Inquiries",
    }
    sales, china = parse_mailboxes("sales, china", environ)
    assert sales == MailboxSettings("sales", "imap.example.com", 993, "sales@example.com", "secret", "ssl")
    assert (china.port, china.security, china.folder, china.password) == (143, "starttls", "Inquiries", "")


def test_mailbox_list_as_json_takes_the_password_only_from_the_environment() -> None:
    boxes = parse_mailboxes(
        '[{"name": "test", "host": "127.0.0.1", "port": 1143, "user": "u", "ssl": "plain", "password": "ignored"}]',
        {"LEADS_MAILBOX_TEST_PASSWORD": "from-env"},
    )
    assert boxes == [MailboxSettings("test", "127.0.0.1", 1143, "u", "from-env", "plain")]


@pytest.mark.parametrize(
    ("raw", "environ", "message"),
    [
        ("sales", {}, "LEADS_MAILBOX_SALES_HOST and LEADS_MAILBOX_SALES_USER must be set"),
        ("bad name", {}, "must be letters"),
        ("[not json", {}, "not valid JSON"),
        ('{"name": "x"}', {}, "must be letters"),
        (
            "x",
            {"LEADS_MAILBOX_X_HOST": "h", "LEADS_MAILBOX_X_USER": "u", "LEADS_MAILBOX_X_SSL": "maybe"},
            "ssl, starttls or plain",
        ),
        (
            "x",
            {"LEADS_MAILBOX_X_HOST": "h", "LEADS_MAILBOX_X_USER": "u", "LEADS_MAILBOX_X_PORT": "99999"},
            "1..65535",
        ),
        ("x,x", {"LEADS_MAILBOX_X_HOST": "h", "LEADS_MAILBOX_X_USER": "u"}, "twice"),
    ],
)
def test_incomplete_mailbox_settings_name_the_variable(
    raw: str, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_mailboxes(raw, environ)


@pytest.mark.parametrize(
    ("first", "second", "alike"),
    [
        ("Aqua-Tech GmbH", "AquaTech", True),
        ("Müller Wasser GmbH", "Mueller Wasser", True),
        ("深圳清源水处理有限公司", "深圳清源水处理", True),
        ("Acme Ltd", "Zeta Trading Co.", False),
        ("", "Anything", False),
    ],
)
def test_company_names_compare_without_legal_forms_case_and_accents(
    first: str, second: str, alike: bool
) -> None:
    assert (name_similarity(first, second) >= 0.75) is alike


def test_search_words_are_the_longest_distinctive_words() -> None:
    assert search_words("The Aqua-Tech Water Solutions GmbH") == ["solutions", "water"]


def test_mail_dates_keep_their_offset() -> None:
    mail = parse_mail(mail_samples.gb2312_base64())
    assert mail.sent_at == datetime(2026, 11, 17, 10, 2, 11, tzinfo=timezone(timedelta(hours=8)))
    assert mail.sent_at.astimezone(UTC).hour == 2
