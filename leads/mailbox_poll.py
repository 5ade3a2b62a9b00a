"""Reading the sales mailboxes over IMAP: a new sender becomes an inquiry, a known contact's mail an activity.

Mail on the server is only read (EXAMINE and BODY.PEEK[]): never deleted, and marked seen only when
LEADS_MAILBOX_MARK_SEEN is on. What was read is remembered per mailbox as UIDVALIDITY and the last
UID (RFC 3501: UIDs mean nothing across a UIDVALIDITY change, so then the mailbox is read again),
and every message's Message-ID is recorded, so no message is ever taken in twice.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
import secrets
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from hashlib import sha256

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from followups.activities import log_activity
from followups.autoreply import AutoReply, detect_auto_reply
from followups.models import Activity
from leads.intake import InquiryInput, Outcome, register_inquiry
from leads.mailbox.attachments import sniff
from leads.mailbox.config import MailboxSettings
from leads.mailbox.parsing import MailAttachment, ParsedMail, parse_mail, synthetic_message_id
from leads.mailbox.platforms import parse_notification, platform_of
from leads.models import Attachment, Contact, InboundMessage, Lead, MailboxCursor, Source

log = logging.getLogger(__name__)

MAX_ATTACHMENTS = 20
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_DELIVERY_SENDERS = ("mailer-daemon@", "postmaster@")
_OUTCOMES = {
    Outcome.CREATED: InboundMessage.Outcome.NEW_LEAD,
    Outcome.MERGED: InboundMessage.Outcome.MERGED,
    Outcome.DUPLICATE: InboundMessage.Outcome.DUPLICATE,
}


class MailboxError(Exception):
    """The server refused a step (select, search): the poll of this mailbox stops and is retried next time."""


@dataclass(slots=True)
class PollReport:
    mailbox: str
    seen: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    error: str = ""


def configured_mailboxes() -> list[MailboxSettings]:
    return [MailboxSettings(**box) for box in settings.LEADS_MAILBOXES]


def poll_all() -> int:
    """Poll every configured mailbox once; a failing mailbox is logged and does not stop the others."""
    taken = 0
    for box in configured_mailboxes():
        lock = f"mailbox-poll:{box.name}"
        # Beat runs every two minutes; a slow poll must not overlap the next one on the same mailbox.
        if not cache.add(lock, "1", timeout=int(settings.CELERY_TASK_TIME_LIMIT) + 60):
            continue
        try:
            report = poll_mailbox(box)
            taken += report.seen
        finally:
            cache.delete(lock)
    return taken


def poll_mailbox(box: MailboxSettings) -> PollReport:
    """Take in the mailbox's messages newer than its cursor; errors are kept on the cursor, not raised."""
    report = PollReport(box.name)
    cursor, _created = MailboxCursor.objects.get_or_create(mailbox=box.name)
    try:
        imap = connect(box)
    except (OSError, ssl.SSLError, imaplib.IMAP4.error) as error:
        return _record_error(cursor, report, f"cannot log in to {box.host}:{box.port}: {error}")
    try:
        _poll(imap, box, cursor, report)
    except (OSError, ssl.SSLError, imaplib.IMAP4.error, MailboxError) as error:
        _record_error(cursor, report, str(error) or type(error).__name__)
    else:
        MailboxCursor.objects.filter(pk=cursor.pk).update(last_polled_at=timezone.now(), last_error="")
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            imap.logout()
    return report


def connect(box: MailboxSettings) -> imaplib.IMAP4:
    timeout = settings.LEADS_MAILBOX_TIMEOUT
    if box.security == "ssl":
        imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(box.host, box.port, ssl_context=_tls(box), timeout=timeout)
    else:
        imap = imaplib.IMAP4(box.host, box.port, timeout=timeout)
        if box.security == "starttls":
            imap.starttls(ssl_context=_tls(box))
    imap.login(box.user, box.password)
    return imap


def _tls(box: MailboxSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if box.ca_file:
        context.load_verify_locations(cafile=box.ca_file)
    return context


def _poll(imap: imaplib.IMAP4, box: MailboxSettings, cursor: MailboxCursor, report: PollReport) -> None:
    readonly = not settings.LEADS_MAILBOX_MARK_SEEN  # EXAMINE: the server changes no flag at all
    status, _data = imap.select(_quoted(box.folder), readonly=readonly)
    if status != "OK":
        raise MailboxError(f"cannot open folder {box.folder!r}")
    _name, values = imap.response("UIDVALIDITY")
    try:
        uidvalidity = int(values[0])
    except (TypeError, ValueError, IndexError):
        raise MailboxError("the server did not report UIDVALIDITY") from None
    if cursor.uidvalidity != uidvalidity:
        # The mailbox was rebuilt: its old UIDs point at other messages now. Message-IDs keep repeats out.
        cursor.uidvalidity = uidvalidity
        cursor.last_uid = 0
        cursor.save(update_fields=["uidvalidity", "last_uid"])
    status, data = imap.uid("SEARCH", None, f"UID {cursor.last_uid + 1}:*")
    if status != "OK":
        raise MailboxError("UID SEARCH failed")
    # "n:*" always includes the newest message, even when its UID is below n.
    uids = sorted({int(item) for item in (data[0] or b"").split() if int(item) > cursor.last_uid})
    own = _own_addresses(box)
    for uid in uids[: settings.LEADS_MAILBOX_BATCH]:
        outcome = _take_uid(imap, box.name, uidvalidity, uid, own)
        if outcome:
            report.seen += 1
            report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
        if settings.LEADS_MAILBOX_MARK_SEEN:
            imap.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
        MailboxCursor.objects.filter(pk=cursor.pk).update(last_uid=uid)


def _take_uid(imap: imaplib.IMAP4, mailbox: str, uidvalidity: int, uid: int, own: frozenset[str]) -> str:
    status, data = imap.uid("FETCH", str(uid), "(RFC822.SIZE)")
    if status != "OK":
        raise MailboxError(f"FETCH of UID {uid} failed")
    size_match = _SIZE.search(b" ".join(part for part in data if isinstance(part, bytes)))
    size = int(size_match.group(1)) if size_match else 0
    if size > settings.LEADS_MAILBOX_MAX_MESSAGE_BYTES:
        header = _fetch(imap, uid, "BODY.PEEK[HEADER]")
        return record_too_large(header or b"", mailbox, uidvalidity, uid, size).outcome
    raw = _fetch(imap, uid, "BODY.PEEK[]")
    if raw is None:
        return ""  # expunged between SEARCH and FETCH
    try:
        return take_message(raw, mailbox=mailbox, uidvalidity=uidvalidity, uid=uid, own_addresses=own).outcome
    except Exception as error:
        # One unreadable message must not block the mailbox behind it; it stays on the server.
        log.exception("mailbox %s UID %s could not be taken in", mailbox, uid)
        return record_failure(raw, mailbox, uidvalidity, uid, f"{type(error).__name__}: {error}").outcome


def _fetch(imap: imaplib.IMAP4, uid: int, item: str) -> bytes | None:
    status, data = imap.uid("FETCH", str(uid), f"({item})")
    if status != "OK":
        raise MailboxError(f"FETCH of UID {uid} failed")
    for part in data:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
            return part[1]
    return None


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _own_addresses(box: MailboxSettings) -> frozenset[str]:
    addresses = {box.user.lower(), settings.DEFAULT_FROM_EMAIL.lower()}
    return frozenset(address for address in addresses if "@" in address)


def _record_error(cursor: MailboxCursor, report: PollReport, message: str) -> PollReport:
    log.warning("mailbox %s: %s", cursor.mailbox, message)
    report.error = message
    MailboxCursor.objects.filter(pk=cursor.pk).update(
        last_polled_at=timezone.now(), last_error=message[:2000]
    )
    return report


# --- One message -------------------------------------------------------------------------


def take_message(
    raw: bytes,
    *,
    mailbox: str,
    uidvalidity: int = 0,
    uid: int = 0,
    own_addresses: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> InboundMessage:
    """Take one raw message in (or find it taken in already): inquiry, activity or ignored, with its record."""
    mail = parse_mail(raw)
    message_id = mail.message_id or synthetic_message_id(raw)
    if previous := InboundMessage.objects.filter(message_id=message_id).first():
        return previous
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _take(
                mail, message_id, mailbox, uidvalidity, uid, own_addresses, now or timezone.now(), stored
            )
    except IntegrityError:
        # Another poll took the same message a moment ago.
        _delete_files(stored)
        found = InboundMessage.objects.filter(message_id=message_id).first()
        if found is None:
            raise
        return found
    except BaseException:
        _delete_files(stored)
        raise


def _take(
    mail: ParsedMail,
    message_id: str,
    mailbox: str,
    uidvalidity: int,
    uid: int,
    own_addresses: frozenset[str],
    now: datetime,
    stored: list[str],
) -> InboundMessage:
    record = InboundMessage(
        message_id=message_id,
        mailbox=mailbox,
        uidvalidity=uidvalidity,
        uid=uid,
        from_address=(mail.sender.address if mail.sender else "")[:254],
        subject=mail.subject[:300],
        sent_at=mail.sent_at,
        headers={**mail.headers, "defects": list(mail.defects)},
    )
    # A Date in the future (a wrong clock) must not sort a reply ahead of what really happened.
    received_at = min(mail.sent_at or now, now)
    sender = mail.sender
    if sender is None:
        return _save(record, InboundMessage.Outcome.IGNORED, "no sender address")
    address = sender.address.lower()
    if address in own_addresses:
        return _save(record, InboundMessage.Outcome.IGNORED, "sent from our own address")
    if address.startswith(_DELIVERY_SENDERS) or mail.content_type == "multipart/report":
        return _save(record, InboundMessage.Outcome.IGNORED, "delivery status report")

    if platform_of(mail) is not None:
        notification = parse_notification(mail)
        if notification is None:
            return _save(record, InboundMessage.Outcome.IGNORED, "platform mail that is not an inquiry")
        result = register_inquiry(
            InquiryInput(
                source=notification.platform,
                received_at=received_at,
                email=notification.email,
                contact_name=notification.contact_name,
                company_name=notification.company_name,
                country=notification.country,
                phone=notification.phone,
                subject=notification.subject,
                message=notification.message,
                products=notification.products,
                quantity=notification.quantity,
                source_ref=notification.inquiry_id or message_id,
            )
        )
        record.lead = result.lead
        _store_attachments(mail.attachments, result.lead, None, record, stored)
        return _save(record, _OUTCOMES[result.outcome], "; ".join(result.problems)[:300])

    auto_reply = detect_auto_reply(mail.headers, mail.subject, mail.text, received_at)
    lead, contact = _thread_lead(mail)
    if lead is None and (contact := Contact.objects.filter(email__iexact=sender.address).first()):
        lead = contact.leads.order_by("-received_at", "-pk").first()
    if lead is not None:
        activity = log_activity(
            lead,
            None,
            Activity.Direction.INBOUND,
            channel="email",
            subject=mail.subject,
            body=mail.text,
            occurred_at=received_at,
            contact=contact,
            is_auto_reply=auto_reply is not None,
            message_id=message_id,
            in_reply_to=mail.thread_keys[0] if mail.thread_keys else "",
            metadata=_activity_metadata(mail, mailbox, auto_reply),
        )
        if auto_reply is not None and auto_reply.is_vacation and contact is not None:
            _set_vacation(contact, auto_reply, received_at)
        record.lead = lead
        record.activity = activity
        _store_attachments(mail.attachments, lead, activity, record, stored)
        reason = f"auto-reply ({auto_reply.matched})"[:300] if auto_reply else ""
        return _save(record, InboundMessage.Outcome.ACTIVITY, reason)
    if auto_reply is not None:
        return _save(record, InboundMessage.Outcome.IGNORED, "automatic reply from an unknown sender")

    result = register_inquiry(
        InquiryInput(
            source=Source.EMAIL,
            received_at=received_at,
            email=sender.address,
            contact_name=sender.name,
            subject=mail.subject,
            message=mail.text,
            source_ref=message_id,
        )
    )
    record.lead = result.lead
    _store_attachments(mail.attachments, result.lead, None, record, stored)
    return _save(record, _OUTCOMES[result.outcome], "; ".join(result.problems)[:300])


def _thread_lead(mail: ParsedMail) -> tuple[Lead | None, Contact | None]:
    """The lead of the conversation this mail answers (by our messages' Message-IDs), and who wrote it."""
    keys = mail.thread_keys
    if not keys:
        return None, None
    by_key: dict[str, Lead] = {}
    for activity in (
        Activity.objects.filter(message_id__in=keys).select_related("lead").order_by("occurred_at")
    ):
        by_key[activity.message_id] = activity.lead
    for message in InboundMessage.objects.filter(message_id__in=keys, lead__isnull=False).select_related(
        "lead"
    ):
        by_key.setdefault(message.message_id, message.lead)  # type: ignore[arg-type]
    lead = next((by_key[key] for key in keys if key in by_key), None)
    if lead is None:
        return None, None
    sender = mail.sender.address if mail.sender else ""
    contact = (
        Contact.objects.filter(company_id=lead.company_id, email__iexact=sender).first() if sender else None
    )
    return lead, contact or lead.contact


def _set_vacation(contact: Contact, auto_reply: AutoReply, received_at: datetime) -> None:
    first = received_at.date()
    # Contact.vacation_until is the last day away; the out-of-office note gives the first day back.
    last = (
        auto_reply.return_date - timedelta(days=1)
        if auto_reply.return_date
        else auto_reply.hold_until - timedelta(days=1)
    )
    if last < first:
        return
    Contact.objects.filter(pk=contact.pk).update(
        vacation_from=first, vacation_until=last, updated_at=timezone.now()
    )
    contact.vacation_from, contact.vacation_until = first, last


def _activity_metadata(mail: ParsedMail, mailbox: str, auto_reply: AutoReply | None) -> dict[str, object]:
    metadata: dict[str, object] = {"mailbox": mailbox, "from": mail.sender.address if mail.sender else ""}
    if mail.html:
        metadata["html"] = mail.html[:100_000]  # sanitized already
    if auto_reply is not None:
        metadata["auto_reply"] = {
            "is_vacation": auto_reply.is_vacation,
            "return_date": auto_reply.return_date.isoformat() if auto_reply.return_date else None,
            "matched": auto_reply.matched,
        }
    return metadata


def _store_attachments(
    attachments: tuple[MailAttachment, ...],
    lead: Lead,
    activity: Activity | None,
    record: InboundMessage,
    stored: list[str],
) -> None:
    skipped: list[str] = []
    cap = settings.LEADS_MAILBOX_MAX_ATTACHMENT_BYTES
    for index, attachment in enumerate(attachments):
        label = attachment.filename or f"attachment {index + 1}"
        if index >= MAX_ATTACHMENTS:
            skipped.append(f"{label}: more than {MAX_ATTACHMENTS} attachments")
            continue
        if not attachment.data:
            skipped.append(f"{label}: empty")
            continue
        if len(attachment.data) > cap:
            skipped.append(f"{label}: {len(attachment.data):,} bytes, over the {cap:,} byte limit")
            continue
        kind = sniff(attachment.data)
        # A random name with the extension the bytes show: the sender's file name never reaches the disk.
        today = timezone.now()
        name = default_storage.save(
            f"attachments/{today:%Y/%m}/{secrets.token_hex(16)}{kind.extension}", ContentFile(attachment.data)
        )
        stored.append(name)
        Attachment.objects.create(
            lead=lead,
            activity=activity,
            file=name,
            original_name=attachment.filename[:255],
            content_type=kind.content_type,
            declared_content_type=attachment.declared_type[:100],
            size=len(attachment.data),
            sha256=sha256(attachment.data).hexdigest(),
        )
    if skipped:
        record.headers["skipped_attachments"] = skipped


def _save(record: InboundMessage, outcome: str, reason: str) -> InboundMessage:
    record.outcome = outcome
    record.reason = reason[:300]
    record.save()
    return record


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            log.warning("could not delete orphaned attachment %s", name)


def record_too_large(header: bytes, mailbox: str, uidvalidity: int, uid: int, size: int) -> InboundMessage:
    """Note a message over the size cap from its header alone; it stays on the server for a person to read."""
    mail = parse_mail(header)
    reason = f"{size:,} bytes, over the {settings.LEADS_MAILBOX_MAX_MESSAGE_BYTES:,} byte limit"
    return _record_only(
        mail,
        mail.message_id or f"<uid-{uidvalidity}-{uid}@{mailbox}.invalid>",
        mailbox,
        uidvalidity,
        uid,
        InboundMessage.Outcome.TOO_LARGE,
        reason,
    )


def record_failure(raw: bytes, mailbox: str, uidvalidity: int, uid: int, reason: str) -> InboundMessage:
    mail = parse_mail(raw)
    return _record_only(
        mail,
        mail.message_id or synthetic_message_id(raw),
        mailbox,
        uidvalidity,
        uid,
        InboundMessage.Outcome.FAILED,
        reason,
    )


def _record_only(
    mail: ParsedMail, message_id: str, mailbox: str, uidvalidity: int, uid: int, outcome: str, reason: str
) -> InboundMessage:
    record, _created = InboundMessage.objects.get_or_create(
        message_id=message_id,
        defaults={
            "mailbox": mailbox,
            "uidvalidity": uidvalidity,
            "uid": uid,
            "outcome": outcome,
            "reason": reason[:300],
            "from_address": (mail.sender.address if mail.sender else "")[:254],
            "subject": mail.subject[:300],
            "sent_at": mail.sent_at,
            "headers": mail.headers,
        },
    )
    return record
