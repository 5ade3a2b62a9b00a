"""One message from the sales mailbox: a new inquiry, an activity on a known lead, or a note why not."""

from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from followups.models import Activity
from leads.mailbox_poll import take_message
from leads.models import Attachment, Contact, InboundMessage, Lead
from tests import factories, mail_samples

pytestmark = pytest.mark.django_db
OWN = frozenset({mail_samples.OUR_ADDRESS})


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _take(raw: bytes) -> InboundMessage:
    return take_message(raw, mailbox="sales", uidvalidity=7, uid=1, own_addresses=OWN)


def test_new_sender_becomes_an_email_inquiry_with_the_decoded_text() -> None:
    record = _take(mail_samples.gb2312_base64())
    assert record.outcome == InboundMessage.Outcome.NEW_LEAD
    lead = record.lead
    assert (lead.source, lead.source_ref, lead.subject) == (
        "email",
        "<5f3a.qingyuan@qingyuan-water.cn>",
        "询价：紫外线杀菌灯",
    )
    assert "联系人：王喆" in lead.message
    assert (lead.contact.name, lead.contact.email, lead.company.domain) == (
        "王喆",
        "wangzhe@qingyuan-water.cn",
        "qingyuan-water.cn",
    )
    assert lead.check_status == "pending"


def test_the_same_message_is_never_taken_in_twice() -> None:
    first = _take(mail_samples.utf8_quoted_printable())
    again = take_message(mail_samples.utf8_quoted_printable(), mailbox="other", uid=99)
    assert again.pk == first.pk
    assert Lead.objects.count() == 1


def test_new_sender_from_a_known_domain_joins_the_company() -> None:
    company = factories.CompanyFactory(domain="aqua-tech.de")
    record = _take(mail_samples.utf8_quoted_printable())
    assert record.outcome == InboundMessage.Outcome.MERGED
    assert record.lead.company == company


def test_platform_notifications_become_leads_of_that_platform() -> None:
    alibaba = _take(mail_samples.alibaba_notification())
    mic = _take(mail_samples.made_in_china_notification())
    assert (alibaba.lead.source, alibaba.lead.source_ref) == ("alibaba", "9876543210")
    assert (alibaba.lead.contact.name, alibaba.lead.company.name, alibaba.lead.company.country) == (
        "Jan Kowalski",
        "AquaPol Sp. z o.o.",
        "PL",
    )
    assert alibaba.lead.products == "UV germicidal lamp T8 36W"
    assert (mic.lead.source, mic.lead.contact.name, mic.lead.company.country) == (
        "made_in_china",
        "Maria Rossi",
        "IT",
    )
    assert not Contact.objects.filter(email__icontains="alibaba").exists()  # the platform is never a contact


def test_platform_notification_already_imported_from_an_export_is_a_duplicate(tmp_path: Path) -> None:
    from leads import imports

    export = tmp_path / "alibaba.csv"
    export.write_text("Inquiry ID,Buyer Name,Company\n9876543210,Jan Kowalski,AquaPol Sp. z o.o.\n")
    imports.import_path(export, source="alibaba")
    record = _take(mail_samples.alibaba_notification())
    assert record.outcome == InboundMessage.Outcome.DUPLICATE
    assert Lead.objects.count() == 1


def _lead_with_outbound(email: str) -> Lead:
    company = factories.CompanyFactory(domain=email.split("@")[1])
    contact = factories.ContactFactory(company=company, email=email)
    lead = factories.LeadFactory(company=company, contact=contact, stage="awaiting_reply")
    factories.ActivityFactory(
        lead=lead, contact=contact, message_id=mail_samples.OUTBOUND_ID, direction="out"
    )
    return lead


def test_reply_to_our_message_is_an_inbound_activity_on_that_lead() -> None:
    lead = _lead_with_outbound("sales@hvac-pro.co.uk")  # a colleague of the sender answers in the thread
    factories.LeadFactory(company=lead.company, contact=lead.contact)  # a newer lead of the same contact
    record = _take(mail_samples.reply_to_outbound())
    assert record.outcome == InboundMessage.Outcome.ACTIVITY
    assert record.lead == lead
    activity = record.activity
    assert (activity.direction, activity.channel, activity.is_auto_reply) == ("in", "email", False)
    assert activity.in_reply_to == mail_samples.OUTBOUND_ID
    lead.refresh_from_db()
    assert lead.last_inbound_at == activity.occurred_at
    assert lead.stage == "contacted"
    assert Lead.objects.count() == 2  # no new lead


def test_mail_from_a_known_address_without_threading_goes_to_their_latest_lead() -> None:
    contact = factories.ContactFactory(email="Anna.Schmidt@aqua-tech.de")
    factories.LeadFactory(
        company=contact.company,
        contact=contact,
        received_at=factories.timezone.now() - factories.timezone.timedelta(days=9),
    )
    latest = factories.LeadFactory(company=contact.company, contact=contact)
    record = _take(mail_samples.utf8_quoted_printable())
    assert record.outcome == InboundMessage.Outcome.ACTIVITY
    assert record.lead == latest
    assert record.activity.contact == contact


def test_out_of_office_reply_sets_the_vacation_and_is_no_answer() -> None:
    lead = _lead_with_outbound("k.weber@klaer-werk.de")
    record = _take(mail_samples.german_out_of_office())
    assert record.outcome == InboundMessage.Outcome.ACTIVITY
    assert record.activity.is_auto_reply
    assert record.activity.metadata["auto_reply"]["return_date"] == "2027-01-15"
    contact = Contact.objects.get(email="k.weber@klaer-werk.de")
    assert (contact.vacation_from, contact.vacation_until) == (date(2026, 11, 22), date(2027, 1, 14))
    lead.refresh_from_db()
    assert lead.last_inbound_at is None  # an auto-reply does not stop the cadence as an answer would


def test_auto_reply_from_a_stranger_creates_no_lead() -> None:
    record = _take(mail_samples.german_out_of_office("someone@nowhere-known.example"))
    assert record.outcome == InboundMessage.Outcome.IGNORED
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"From: sales@uv-factory.example\r\nMessage-ID: <own@x>\r\n\r\nour own copy", "own address"),
        (b"From: MAILER-DAEMON@mx.example\r\nMessage-ID: <bounce@x>\r\n\r\nundeliverable", "delivery status"),
        (b"Message-ID: <nosender@x>\r\nSubject: who\r\n\r\nno From at all", "no sender"),
        (
            b"From: Alibaba.com <news@service.alibaba.com>\r\nMessage-ID: <news@x>\r\n\r\nTrade show!",
            "not an inquiry",
        ),
    ],
)
def test_mail_that_is_no_inquiry_is_recorded_and_ignored(raw: bytes, reason: str) -> None:
    record = _take(raw)
    assert record.outcome == InboundMessage.Outcome.IGNORED
    assert reason in record.reason
    assert not Lead.objects.exists()


def test_broken_mime_still_becomes_an_inquiry_under_a_stable_id() -> None:
    record = _take(mail_samples.broken_mime())
    assert record.outcome == InboundMessage.Outcome.NEW_LEAD
    assert record.message_id.startswith("<sha256-")
    assert record.lead.contact.name == "李四"
    assert "CloseBoundaryNotFoundDefect" in record.headers["defects"]
    assert _take(mail_samples.broken_mime()).pk == record.pk


def test_attachments_are_stored_under_random_names_with_sniffed_types(media_root: Path) -> None:
    record = _take(mail_samples.with_attachments())
    drawing, program = Attachment.objects.filter(lead=record.lead).order_by("pk")
    assert (drawing.original_name, drawing.content_type, drawing.declared_content_type) == (
        "Zeichnung Kälte.pdf",
        "application/pdf",
        "application/octet-stream",
    )
    assert (program.original_name, program.content_type) == ("invoice.pdf.exe", "application/octet-stream")
    for item in (drawing, program):
        stored = Path(item.file.path)
        assert stored.is_relative_to(media_root / "attachments")
        assert item.original_name not in stored.name
        assert len(stored.stem) == 32
    assert Path(drawing.file.path).read_bytes() == mail_samples.PDF_BYTES
    assert Path(program.file.path).suffix == ".bin"


def test_attachment_over_the_cap_is_skipped_and_noted(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LEADS_MAILBOX_MAX_ATTACHMENT_BYTES = 50
    record = _take(mail_samples.with_attachments())
    assert not Attachment.objects.exists()
    assert any("over the 50 byte limit" in note for note in record.headers["skipped_attachments"])


def test_attachments_download_only_for_those_who_see_the_lead_and_never_inline(
    client: Client, rep, other_rep
) -> None:  # type: ignore[no-untyped-def]
    record = _take(mail_samples.with_attachments())
    Lead.objects.filter(pk=record.lead_id).update(owner=rep)
    drawing, program = Attachment.objects.order_by("pk")
    client.force_login(rep)
    response = client.get(reverse("imports:attachment", kwargs={"attachment_pk": drawing.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == mail_samples.PDF_BYTES
    response = client.get(reverse("imports:attachment", kwargs={"attachment_pk": program.pk}))
    assert response["Content-Type"] == "application/octet-stream"
    assert "sandbox" in response["Content-Security-Policy"]
    client.force_login(other_rep)
    assert client.get(reverse("imports:attachment", kwargs={"attachment_pk": drawing.pk})).status_code == 404


def test_html_body_is_kept_only_sanitized() -> None:
    company = factories.CompanyFactory(domain="clean-water.kr")
    contact = factories.ContactFactory(company=company, email="lee.min@clean-water.kr")
    factories.LeadFactory(company=company, contact=contact)
    record = _take(mail_samples.html_only_with_script())
    html = Activity.objects.get(pk=record.activity_id).metadata["html"]
    assert "<script" not in html
    assert "onclick" not in html
    assert "<img" not in html
    assert record.activity.body == "We need UV lamps for our plant."
