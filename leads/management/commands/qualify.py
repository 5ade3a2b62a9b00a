"""Judge leads from the command line: one lead from flags, or a JSONL batch; prints JSON, saves only with --save."""

from __future__ import annotations

import asyncio
import gc
import json
import multiprocessing
import multiprocessing.connection
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import connections, transaction
from django.utils import timezone

from leads import qualification
from leads.intake import InquiryInput, register_inquiry
from leads.keywords import current_matcher
from leads.models import CheckStatus, Lead, Source
from leads.scoring.matcher import Matcher
from leads.verification.probes import ProbeConfig

BATCH_FIELDS = ("id", "email", "website", "company", "country", "message")
MAX_MESSAGE_BYTES = 1_000_000


def default_processes() -> int:
    return min(2, os.cpu_count() or 1)


class Command(BaseCommand):
    help = "Verify and score leads: --email/--website for one, --batch FILE.jsonl for many. Prints JSON."
    # The system checks import every URLconf, view and admin module: about 130 MB more in this
    # process and in each batch worker, and a second of start-up, for a command that needs none.
    requires_system_checks: list[str] = []

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
            "--concurrency",
            type=int,
            default=50,
            help="leads checked at once in --batch, over all processes (default 50)",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="worker processes for --batch, each with its share of the concurrency "
            f"(default {default_processes()}; one with --save)",
        )
        parser.add_argument("--save", action="store_true", help="also store each lead and its results")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["concurrency"] < 1:
            raise CommandError("--concurrency must be at least 1")
        processes = options["processes"] if options["processes"] is not None else default_processes()
        if processes < 1:
            raise CommandError("--processes must be at least 1")
        if options["batch"] and (options["email"] or options["website"]):
            raise CommandError("use either --batch or --email/--website, not both")
        if options["batch"]:
            self._batch(options["batch"], options["concurrency"], processes, options["save"])
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

    def _batch(self, path: Path, concurrency: int, processes: int, save: bool) -> None:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror or error}") from None
        output = _OrderedOutput(self.stdout, self.stderr)
        jobs: list[_Job] = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            lead_id, item = _parse_line(line)
            if isinstance(item, str):
                output.expect(_error_line(output.expected, lead_id, number, item))
            else:
                jobs.append(_Job(output.expected, number, lead_id, item))
                output.expect()
        if jobs:
            config, matcher = qualification.probe_config(), current_matcher()
            _tune_collector()
            workers = min(processes, len(jobs))
            if save or "fork" not in multiprocessing.get_all_start_methods():
                # --save goes through intake's dedupe one lead at a time, in this process.
                workers = 1
            if workers == 1:
                _judge_jobs(jobs, config, matcher, concurrency, save, output.put)
            else:
                _judge_in_workers(jobs, config, matcher, concurrency, workers, output.put)
        if output.failures:
            sys.exit(1)


@dataclass(frozen=True, slots=True)
class _Job:
    position: int  # among the output lines
    number: int  # line number in the file
    lead_id: Any
    facts: qualification.LeadFacts


@dataclass(frozen=True, slots=True)
class _Line:
    position: int
    text: str  # the JSON object printed on stdout
    error: str = ""  # also reported on stderr, naming the line


Emit = Callable[[_Line], None]


class _OrderedOutput:
    """Prints each result when every line before it is printed, so output follows input order."""

    def __init__(self, stdout: OutputWrapper | TextIO, stderr: OutputWrapper | TextIO) -> None:
        self._stdout = stdout
        self._stderr = stderr
        self._waiting: dict[int, _Line] = {}
        self._next = 0
        self.expected = 0
        self.failures = 0

    def expect(self, line: _Line | None = None) -> None:
        """Reserve the next output position, filled now (line) or later by put()."""
        self.expected += 1
        if line is not None:
            self.put(line)

    def put(self, line: _Line) -> None:
        self._waiting[line.position] = line
        while self._next in self._waiting:
            ready = self._waiting.pop(self._next)
            if ready.error:
                self.failures += 1
                self._stderr.write(ready.error)
            self._stdout.write(ready.text)
            self._next += 1


def _tune_collector() -> None:
    """Spare the batch most of the cyclic garbage collector's work (a fifth of its CPU untuned).

    The long-lived heap (Django, the keyword matcher) is frozen out of every
    collection, which also keeps its memory pages shared with forked workers;
    young objects, of which checks make many, are collected less often.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def _error_line(position: int, lead_id: Any, number: int, error: str) -> _Line:
    text = json.dumps({"id": lead_id, "line": number, "error": error}, ensure_ascii=False)
    return _Line(position, text, f"line {number}: {error}")


def _result_line(job: _Job, result: qualification.Qualification | BaseException, save: bool) -> _Line:
    if isinstance(result, BaseException):
        return _error_line(
            job.position, job.lead_id, job.number, f"check failed: {type(result).__name__}: {result}"
        )
    output = {"id": job.lead_id, **result.as_output()}
    if save:
        output["lead_id"] = _save(job.facts, result)
    return _Line(job.position, json.dumps(output, ensure_ascii=False))


def _judge_jobs(
    jobs: list[_Job], config: ProbeConfig, matcher: Matcher, concurrency: int, save: bool, emit: Emit
) -> None:
    """Judge the jobs in this process and emit each line as its lead is done."""
    facts = [job.facts for job in jobs]
    if save:
        # The ORM may not run inside the event loop: save once every check is done.
        results = asyncio.run(qualification.qualify_many(facts, config, matcher, concurrency))
        for job, result in zip(jobs, results, strict=True):
            emit(_result_line(job, result, save=True))
        return

    async def judge() -> None:
        async for index, result in qualification.qualify_each(facts, config, matcher, concurrency):
            emit(_result_line(jobs[index], result, save=False))

    asyncio.run(judge())


def _judge_in_workers(
    jobs: list[_Job],
    config: ProbeConfig,
    matcher: Matcher,
    concurrency: int,
    workers: int,
    emit: Emit,
) -> None:
    """Deal the jobs round-robin to forked worker processes, each with its own event loop; emit their lines.

    One event loop keeps one core busy at most; forked workers use every core
    and inherit the keyword matcher instead of loading it again. A worker that
    dies leaves its unjudged lines reported as errors.
    """
    context = multiprocessing.get_context("fork")
    # A forked child must never talk over this process's database connection.
    connections.close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    running: dict[
        multiprocessing.connection.Connection, tuple[multiprocessing.process.BaseProcess, list[_Job]]
    ] = {}
    for index in range(workers):
        share = jobs[index::workers]
        share_concurrency = max(1, concurrency // workers + (index < concurrency % workers))
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_work,
            args=(share, config, matcher, share_concurrency, sender),
            name=f"qualify-worker-{index}",
            daemon=True,
        )
        process.start()
        sender.close()
        running[receiver] = (process, share)
    judged: set[int] = set()
    while running:
        for ready in multiprocessing.connection.wait(list(running)):
            assert isinstance(ready, multiprocessing.connection.Connection)
            try:
                line: _Line = ready.recv()
            except EOFError:
                worker, share = running.pop(ready)
                ready.close()
                worker.join()
                for job in share:
                    if job.position not in judged:
                        error = f"check failed: worker process exited with code {worker.exitcode}"
                        emit(_error_line(job.position, job.lead_id, job.number, error))
                continue
            judged.add(line.position)
            emit(line)


def _work(
    share: list[_Job],
    config: ProbeConfig,
    matcher: Matcher,
    concurrency: int,
    sender: multiprocessing.connection.Connection,
) -> None:
    """A worker process: judge its share and send each line to the parent."""
    try:
        _judge_jobs(share, config, matcher, concurrency, save=False, emit=sender.send)
    finally:
        sender.close()


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
