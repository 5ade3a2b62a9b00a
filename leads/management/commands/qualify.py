"""Judge leads from the command line: one lead from flags, or a JSONL batch; prints JSON, saves only with --save."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from leads import qualification
from leads.intake import InquiryInput, register_inquiry
from leads.keywords import current_matcher
from leads.models import CheckStatus, Lead, Source

BATCH_FIELDS = ("id", "email", "website", "company", "country", "message")
MAX_MESSAGE_BYTES = 1_000_000


class Command(BaseCommand):
    help = "Verify and score leads: --email/--website for one, --batch FILE.jsonl for many. Prints JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default="")
        parser.add_argument("--website", default="")
        parser.add_argument("--company", default="")
        parser.add_argument("--country", default="")
        parser.add_argument("--message-file", type=Path)
        parser.add_argument("--json", action="store_true", help="print JSON (always on; kept for scripts)")
        parser.add_argument(
            "--batch",
            type=Path,
            help="a JSONL file: one {id, email, website, company, country, message} per line",
        )
        parser.add_argument(
            "--concurrency", type=int, default=50, help="leads checked at once in --batch (default 50)"
        )
        parser.add_argument("--save", action="store_true", help="also store each lead and its results")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["concurrency"] < 1:
            raise CommandError("--concurrency must be at least 1")
        if options["batch"] and (options["email"] or options["website"]):
            raise CommandError("use either --batch or --email/--website, not both")
        if options["batch"]:
            self._batch(options["batch"], options["concurrency"], options["save"])
        else:
            self._single(options)

    def _single(self, options: dict[str, Any]) -> None:
        if not (options["email"] or options["website"]):
            raise CommandError("give --email and/or --website (or --batch FILE)")
        message = ""
        if options["message_file"]:
            try:
                message = (
                    options["message_file"].read_bytes()[:MAX_MESSAGE_BYTES].decode("utf-8", errors="replace")
                )
            except OSError as error:
                raise CommandError(f"cannot read --message-file: {error.strerror or error}") from None
        facts = qualification.LeadFacts(
            email=options["email"],
            website=options["website"],
            company=options["company"],
            country=options["country"],
            message=message,
        )
        result = asyncio.run(
            qualification.qualify_many([facts], qualification.probe_config(), current_matcher(), 1)
        )[0]
        if isinstance(result, BaseException):
            raise CommandError(f"check failed: {type(result).__name__}: {result}")
        output = result.as_output()
        if options["save"]:
            output["lead_id"] = _save(facts, result)
        self.stdout.write(json.dumps(output, ensure_ascii=False))

    def _batch(self, path: Path, concurrency: int, save: bool) -> None:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror or error}") from None
        parsed: list[tuple[int, Any, qualification.LeadFacts | str]] = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            parsed.append((number, *_parse_line(line)))
        facts = [item for _, _, item in parsed if isinstance(item, qualification.LeadFacts)]
        results = iter(
            asyncio.run(
                qualification.qualify_many(
                    facts, qualification.probe_config(), current_matcher(), concurrency
                )
            )
            if facts
            else []
        )
        failures = 0
        for number, lead_id, item in parsed:
            if isinstance(item, str):
                failures += 1
                self.stderr.write(f"line {number}: {item}")
                self.stdout.write(
                    json.dumps({"id": lead_id, "line": number, "error": item}, ensure_ascii=False)
                )
                continue
            result = next(results)
            if isinstance(result, BaseException):
                failures += 1
                error = f"check failed: {type(result).__name__}: {result}"
                self.stderr.write(f"line {number}: {error}")
                self.stdout.write(
                    json.dumps({"id": lead_id, "line": number, "error": error}, ensure_ascii=False)
                )
                continue
            output = {"id": lead_id, **result.as_output()}
            if save:
                output["lead_id"] = _save(item, result)
            self.stdout.write(json.dumps(output, ensure_ascii=False))
        if failures:
            sys.exit(1)


def _parse_line(line: str) -> tuple[Any, qualification.LeadFacts | str]:
    """The line's id and facts, or its id and a one-line reason it cannot be judged."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        return None, f"not valid JSON ({error.msg} at column {error.colno})"
    if not isinstance(data, dict):
        return None, "expected a JSON object"
    lead_id = data.get("id")
    unknown = sorted(set(data) - set(BATCH_FIELDS))
    if unknown:
        return lead_id, f"unknown field(s): {', '.join(unknown)}"
    values = {}
    for name in BATCH_FIELDS[1:]:
        value = data.get(name) or ""
        if not isinstance(value, str):
            return lead_id, f"{name} must be a string"
        values[name] = value
    if not (values["email"] or values["website"]):
        return lead_id, "needs an email or a website"
    return lead_id, qualification.LeadFacts(**values)


def _save(facts: qualification.LeadFacts, result: qualification.Qualification) -> int:
    """Store the lead through intake and its results as a finished check (no second check is run)."""
    with transaction.atomic():
        intake = register_inquiry(
            InquiryInput(
                source=Source.MANUAL,
                received_at=timezone.now(),
                email=facts.email,
                website=facts.website,
                company_name=facts.company,
                country=facts.country,
                message=facts.message,
            )
        )
        lead = intake.lead
        token = f"qualify-command-{lead.pk}"
        Lead.objects.filter(pk=lead.pk).update(check_status=CheckStatus.RUNNING, check_task_id=token)
        lead.refresh_from_db()
        qualification.save_qualification(lead, token, result)
    return lead.pk
