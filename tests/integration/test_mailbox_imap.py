"""Polling a real IMAP server (a private dovecot on 127.0.0.1) seeded with real-looking mail."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from leads import mailbox_poll
from leads.mailbox.config import MailboxSettings
from leads.models import Attachment, InboundMessage, Lead, MailboxCursor
from tests import factories, mail_samples
from tests.celery_worker import celery_worker, wait_for
from tests.conftest import REQUIRE_SERVICES
from tests.imap_server import ImapServer, dovecot_binary, dovecot_server

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def imap() -> Iterator[ImapServer]:
    if dovecot_binary() is None:
        if REQUIRE_SERVICES:
            pytest.fail("dovecot required (REQUIRE_SERVICES=1): apt-get install dovecot-imapd")
        pytest.skip("dovecot is not installed")
    with dovecot_server() as server:
        yield server


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _box(server: ImapServer, **fields: object) -> MailboxSettings:
    values: dict[str, object] = {
        "name": "sales",
        "host": server.host,
        "port": server.port,
        "user": server.user,
        "password": server.password,
        "security": "plain",
    }
    values.update(fields)
    return MailboxSettings(**values)  # type: ignore[arg-type]


def _seed_known_contacts() -> Lead:
    company = factories.CompanyFactory(domain="hvac-pro.co.uk")
    contact = factories.ContactFactory(company=company, email="p.brown@hvac-pro.co.uk")
    lead = factories.LeadFactory(company=company, contact=contact, stage="awaiting_reply")
    factories.ActivityFactory(lead=lead, contact=contact, message_id=mail_samples.OUTBOUND_ID)
    weber = factories.ContactFactory(
        company=factories.CompanyFactory(domain="klaer-werk.de"), email="k.weber@klaer-werk.de"
    )
    factories.LeadFactory(company=weber.company, contact=weber)
    return lead


def test_poll_takes_in_every_kind_of_mail_and_leaves_the_mailbox_untouched(
    imap: ImapServer, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DEFAULT_FROM_EMAIL = mail_samples.OUR_ADDRESS
    replied = _seed_known_contacts()
    messages = [
        *mail_samples.all_new_inquiries(),
        mail_samples.alibaba_notification(),
        mail_samples.made_in_china_notification(),
        mail_samples.reply_to_outbound(),
        mail_samples.german_out_of_office(),
    ]
    for raw in messages:
        imap.append(raw)

    report = mailbox_poll.poll_mailbox(_box(imap))

    assert report.error == ""
    assert report.seen == len(messages)
    assert report.outcomes == {"new_lead": 9, "activity": 2}
    sources = sorted(Lead.objects.exclude(pk__in=[replied.pk]).values_list("source", flat=True))
    assert sources.count("email") == 7
    assert {"alibaba", "made_in_china"} <= set(sources)
    names = set(Lead.objects.values_list("contact__name", flat=True))
    assert {
        "Anna Schmidt",
        "王喆",
        "José García",
        "Łukasz Wójcik",
        "Jan Kowalski",
        "Maria Rossi",
        "李四",
    } <= names
    replied.refresh_from_db()
    assert replied.last_inbound_at is not None
    assert Attachment.objects.count() == 2
    cursor = MailboxCursor.objects.get(mailbox="sales")
    assert cursor.last_uid == len(messages)
    assert cursor.uidvalidity > 0
    assert cursor.last_error == ""
    assert imap.message_count() == len(messages)  # nothing deleted
    assert not any("Seen" in flags for flags in imap.flags().values())  # nothing marked read


def test_second_poll_reads_only_new_mail(imap: ImapServer) -> None:
    imap.append(mail_samples.utf8_quoted_printable())
    mailbox_poll.poll_mailbox(_box(imap))
    imap.append(mail_samples.iso_8859_2_base64())
    report = mailbox_poll.poll_mailbox(_box(imap))
    assert report.seen == 1
    assert InboundMessage.objects.count() == 2
    assert mailbox_poll.poll_mailbox(_box(imap)).seen == 0


def test_new_uidvalidity_rereads_the_mailbox_but_takes_nothing_twice(imap: ImapServer) -> None:
    imap.append(mail_samples.utf8_quoted_printable())
    imap.append(mail_samples.gb2312_base64())
    mailbox_poll.poll_mailbox(_box(imap))
    MailboxCursor.objects.filter(mailbox="sales").update(
        uidvalidity=1, last_uid=999
    )  # the server rebuilt its index
    report = mailbox_poll.poll_mailbox(_box(imap))
    assert report.seen == 2  # read again from the start...
    assert Lead.objects.count() == 2  # ...and recognized by Message-ID
    assert MailboxCursor.objects.get(mailbox="sales").last_uid == 2


def test_mail_is_marked_seen_only_when_configured(imap: ImapServer, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LEADS_MAILBOX_MARK_SEEN = True
    imap.append(mail_samples.utf8_quoted_printable())
    mailbox_poll.poll_mailbox(_box(imap))
    assert "\\Seen" in imap.flags()[1]


def test_message_over_the_size_cap_is_noted_from_its_header_only(imap: ImapServer, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LEADS_MAILBOX_MAX_MESSAGE_BYTES = 20_000
    imap.append(mail_samples.large_message(50_000))
    mailbox_poll.poll_mailbox(_box(imap))
    record = InboundMessage.objects.get()
    assert (record.outcome, record.message_id, record.subject) == (
        "too_large",
        "<huge-1@bulk-files.example.com>",
        "huge attachment",
    )
    assert not Lead.objects.exists()


def test_wrong_password_is_kept_on_the_cursor_not_raised(imap: ImapServer) -> None:
    report = mailbox_poll.poll_mailbox(_box(imap, password="wrong"))
    assert "cannot log in" in report.error
    assert "cannot log in" in MailboxCursor.objects.get(mailbox="sales").last_error


def test_missing_folder_is_reported(imap: ImapServer) -> None:
    report = mailbox_poll.poll_mailbox(_box(imap, folder="Does Not Exist"))
    assert "cannot open folder" in report.error


def test_poll_all_reads_every_configured_mailbox(imap: ImapServer, settings) -> None:  # type: ignore[no-untyped-def]
    imap.append(mail_samples.iso_8859_1_quoted_printable())
    settings.LEADS_MAILBOXES = [_box(imap).as_dict(), _box(imap, name="dead", port=1).as_dict()]
    assert mailbox_poll.poll_all() == 1
    assert MailboxCursor.objects.get(mailbox="dead").last_error


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_connections_verify_the_server_certificate(security: str) -> None:
    if dovecot_binary() is None:
        pytest.skip("dovecot is not installed")
    with dovecot_server(tls=True) as server:
        server.append(mail_samples.utf8_quoted_printable())
        port = server.tls_port if security == "ssl" else server.port
        box = _box(server, security=security, port=port, ca_file=server.ca_file)
        assert mailbox_poll.poll_mailbox(box).seen == 1
        untrusted = mailbox_poll.poll_mailbox(_box(server, name="untrusted", security=security, port=port))
        assert "CERTIFICATE_VERIFY_FAILED" in untrusted.error


def test_beat_polls_the_mailboxes_every_two_minutes(settings) -> None:  # type: ignore[no-untyped-def]
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["poll-mailboxes"]
    assert (entry["task"], entry["schedule"]) == ("leads.import_tasks.poll_mailboxes", 120.0)
    app.loader.import_default_modules()
    assert "leads.import_tasks.poll_mailboxes" in app.tasks


@pytest.mark.django_db(transaction=True)
def test_celery_task_polls_mailboxes_configured_from_the_environment(
    imap: ImapServer, tmp_path: Path, media_root: Path, redis_url: str, postgres_url: str
) -> None:
    from leads import import_tasks

    imap.append(mail_samples.gb2312_base64())
    env = {
        "LEADS_MAILBOXES": "sales",
        "LEADS_MAILBOX_SALES_HOST": imap.host,
        "LEADS_MAILBOX_SALES_PORT": str(imap.port),
        "LEADS_MAILBOX_SALES_USER": imap.user,
        "LEADS_MAILBOX_SALES_PASSWORD": imap.password,
        "LEADS_MAILBOX_SALES_SSL": "plain",
        "MEDIA_ROOT": str(media_root),
    }
    with celery_worker(tmp_path, broker_env={"REDIS_URL": redis_url}, extra_env=env) as worker:
        import_tasks.poll_mailboxes.delay()
        assert wait_for(lambda: Lead.objects.filter(source="email").exists()), worker.log()[-3000:]
    assert Lead.objects.get().contact.name == "王喆"
    assert MailboxCursor.objects.get(mailbox="sales").last_uid == 1


def test_incomplete_mailbox_settings_stop_the_app_with_the_variable_named(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADS_MAILBOX")}
    env.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings", "LEADS_MAILBOXES": "sales", "DATA_DIR": str(tmp_path)}
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "LEADS_MAILBOX_SALES_HOST and LEADS_MAILBOX_SALES_USER must be set" in result.stderr


def test_every_mailbox_setting_is_documented() -> None:
    documented = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    for name in (
        "LEADS_MAILBOXES", "LEADS_MAILBOX_SALES_HOST", "LEADS_MAILBOX_SALES_PORT", "LEADS_MAILBOX_SALES_USER",
        "LEADS_MAILBOX_SALES_PASSWORD", "LEADS_MAILBOX_SALES_SSL", "LEADS_MAILBOX_SALES_FOLDER", "LEADS_MAILBOX_SALES_CA_FILE",
        "LEADS_MAILBOX_MARK_SEEN", "LEADS_MAILBOX_MAX_MESSAGE_BYTES", "LEADS_MAILBOX_MAX_ATTACHMENT_BYTES",
        "LEADS_MAILBOX_BATCH", "LEADS_MAILBOX_TIMEOUT", "LEADS_API_RATE_LIMIT", "LEADS_API_MAX_BODY_BYTES",
        "LEADS_IMPORT_MAX_BYTES", "LEADS_IMPORT_MAX_ROWS",
    ):  # fmt: skip
        assert f"\n{name}=" in documented, name
