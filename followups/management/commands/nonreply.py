"""Why has a message had no reply, when to try again, and on which channels: for one message, from the shell."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from django.core.management.base import BaseCommand, CommandError, CommandParser

from channels_ref.catalogue import CATALOGUE, ChannelKind
from followups import nonresponse
from followups.autoreply import AutoReply, detect_auto_reply
from leads.mailbox.parsing import parse_mail

EXIT_USAGE = 2
MAX_AUTO_REPLY_BYTES = 5 * 1024 * 1024
# Names people type for channels whose catalogue value differs.
CHANNEL_ALIASES = {
    "x": ChannelKind.TWITTER,
    "hangouts": ChannelKind.GOOGLE_CHAT,
    "google_hangouts": ChannelKind.GOOGLE_CHAT,
    "imessage": ChannelKind.APPLE_MESSAGES,
    "kakao": ChannelKind.KAKAOTALK,
    "fb": ChannelKind.FACEBOOK,
    "fb_messenger": ChannelKind.MESSENGER,
}
COUNTRY_CODES = frozenset(
    code for code in phonenumbers.SUPPORTED_REGIONS if len(code) == 2 and code.isalpha()
)


class Command(BaseCommand):
    help = (
        "Explain why a message has had no reply (time difference, weekend, public holiday, vacation from an "
        "out-of-office note), when to try next (UTC) and which channels to use. Times without an offset are UTC."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # One line on bad arguments (argparse would print the whole usage first); exit status stays 2.
        parser.print_usage = lambda file=None: None  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--country", required=True, help="The contact's country, ISO 3166-1 alpha-2 (DE, GB, US)"
        )
        parser.add_argument("--sent-at", required=True, help="When the message was sent, ISO 8601")
        parser.add_argument("--now", help="The moment to explain at, ISO 8601 (default: the current time)")
        parser.add_argument(
            "--timezone", help="The contact's IANA time zone (default: their country's main zone)"
        )
        parser.add_argument(
            "--auto-reply-file",
            help="An out-of-office reply: a raw RFC 5322 message (headers and body) or its plain text",
        )
        parser.add_argument(
            "--channels", help="The contact's channels, comma-separated (email,whatsapp,telegram)"
        )
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        country = _country(options["country"])
        sent_at = _moment(options["sent_at"], "--sent-at")
        now = _moment(options["now"], "--now") if options["now"] else datetime.now(UTC)
        if now < sent_at:
            raise CommandError("--now is before --sent-at", returncode=EXIT_USAGE)
        time_zone = _zone(options["timezone"]) if options["timezone"] else None
        channels = _channels(options["channels"]) if options["channels"] is not None else None
        auto_reply, auto_reply_at = (None, None)
        if options["auto_reply_file"]:
            auto_reply, auto_reply_at = _auto_reply(Path(options["auto_reply_file"]), sent_at, now)

        result = nonresponse.explain_message_silence(
            country, sent_at, now, time_zone, auto_reply, auto_reply_at, channels
        )
        explanation = result.explanation
        payload = {
            "reasons": [
                {"code": reason.code.value, "detail": reason.detail} for reason in explanation.reasons
            ],
            "next_attempt_at": explanation.next_attempt_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "local_time_at_send": explanation.local_time_at_send.isoformat(),
            "channels": [ranked.kind.value for ranked in result.recommendation.channels],
        }
        if options["json"]:
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(f"Local time at send: {payload['local_time_at_send']} ({result.calendar.tz})")
        for reason in explanation.reasons:
            self.stdout.write(f"- {reason.code.value}: {reason.detail}")
        self.stdout.write(f"Next attempt: {payload['next_attempt_at']}")
        ranked = ", ".join(CATALOGUE[item.kind].label for item in result.recommendation.channels)
        self.stdout.write(f"Channels: {ranked or 'none'}")
        for note in result.calendar.notes:
            self.stdout.write(f"Note: {note}")


def _country(value: str) -> str:
    code = value.strip().upper()
    if code not in COUNTRY_CODES:
        hint = " (the United Kingdom is GB)" if code == "UK" else ""
        raise CommandError(
            f"--country {value!r} is not an ISO 3166-1 alpha-2 country code{hint}", returncode=EXIT_USAGE
        )
    return code


def _moment(value: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"{name} {value!r} is not an ISO 8601 date-time (2027-01-04T09:30:00+01:00)",
            returncode=EXIT_USAGE,
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _zone(value: str) -> str:
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(
            f"--timezone {value!r} is not an IANA time zone (Europe/Berlin)", returncode=EXIT_USAGE
        ) from None
    return value.strip()


def _channels(value: str) -> list[ChannelKind]:
    kinds: list[ChannelKind] = []
    for name in (item.strip().lower().replace("-", "_").replace(" ", "_") for item in value.split(",")):
        if not name:
            continue
        kind = CHANNEL_ALIASES.get(name)
        if kind is None:
            try:
                kind = ChannelKind(name)
            except ValueError:
                known = ",".join(kind.value for kind in ChannelKind)
                raise CommandError(
                    f"--channels: unknown channel {name!r} (known: {known})", returncode=EXIT_USAGE
                ) from None
        if kind not in kinds:
            kinds.append(kind)
    return kinds


def _auto_reply(path: Path, sent_at: datetime, now: datetime) -> tuple[AutoReply | None, datetime]:
    try:
        if path.stat().st_size > MAX_AUTO_REPLY_BYTES:
            raise CommandError(f"--auto-reply-file {path} is larger than 5 MB", returncode=EXIT_USAGE)
        raw = path.read_bytes()
    except OSError as error:
        raise CommandError(
            f"--auto-reply-file {path}: {error.strerror or error}", returncode=EXIT_USAGE
        ) from None
    mail = parse_mail(raw)
    if mail.headers:
        # Received when its Date says, if that lies in the window; a missing or odd Date means "by now".
        received_at = mail.sent_at if mail.sent_at and sent_at <= mail.sent_at <= now else now
        return detect_auto_reply(mail.headers, mail.subject, mail.text, received_at), received_at
    text = raw.decode("utf-8-sig", errors="replace")
    return detect_auto_reply({}, "", text, now), now
