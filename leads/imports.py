"""The import use case: an uploaded export becomes leads, row by row accounted for.

Read the file (leads.importing decides everything about its bytes and rows), then register the
rows in chunks through the bulk intake path; each chunk commits whole or, on a database refusal,
row by row through register_inquiry, so a bad row never costs the others and no row is half in.
Counts and rejected lines land on the ImportRun; progress on its BackgroundJob.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import hashlib
import logging
import os
import pickle
import secrets
import signal
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import BinaryIO, NoReturn
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from leads import bulk_intake
from leads.importing.columns import (
    Field,
    guess_mapping,
    guess_source,
    mapping_from_preset,
    preset_from_mapping,
)
from leads.importing.rows import RowInquiry, RowRejection, read_row
from leads.importing.sheet import Sheet, split_sheet
from leads.importing.tables import FileProblem, Table, read_table
from leads.intake import InquiryInput, Keys, Outcome, PlannedChannel, register_inquiry
from leads.models import BackgroundJob, ImportPreset, ImportRun, ImportSource, Source

log = logging.getLogger(__name__)

CHUNK_ROWS = 2000
PARALLEL_MIN_CHUNKS = 3  # below this a child costs more than it saves
PREPARING_CHILDREN = 2
# An export of many rows may take minutes, beyond the default task limit meant for one check.
IMPORT_SOFT_LIMIT_S = 1800
IMPORT_HARD_LIMIT_S = 1900
ABANDONED_AFTER_S = IMPORT_HARD_LIMIT_S + 60  # a run still "running" after this lost its worker
KEPT_REPORTS = 5000  # rejected rows and warnings kept for display; the counts are always exact
KEPT_CELLS = 50
KEPT_CELL_CHARS = 1000
LEAD_SOURCES = {
    ImportSource.ALIBABA: Source.ALIBABA,
    ImportSource.MADE_IN_CHINA: Source.MADE_IN_CHINA,
    ImportSource.GENERIC: Source.IMPORT,
}


class ImportFileError(Exception):
    """The file itself cannot be read: nothing was imported."""


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def save_upload(file_name: str, data: bytes, user: AbstractBaseUser | None) -> ImportRun:
    """Keep the uploaded bytes under a random name (the worker reads them) and open a run for them."""
    stored_name = secrets.token_hex(16)
    folder = import_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored_name).write_bytes(data)
    return ImportRun.objects.create(
        file_name=Path(file_name).name[:255] or "upload",
        stored_name=stored_name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        source=guess_source(file_name),
        created_by=user,
    )


def stored_bytes(run: ImportRun) -> bytes:
    if not run.stored_name:
        raise ImportFileError("The uploaded file is no longer stored.")
    try:
        return (import_dir() / Path(run.stored_name).name).read_bytes()
    except OSError as error:
        raise ImportFileError(f"The uploaded file cannot be read: {error.strerror}") from None


def open_sheet(data: bytes, file_name: str, encoding: str = "") -> tuple[Table, Sheet] | FileProblem:
    table = read_table(data, file_name, encoding, max_rows=settings.LEADS_IMPORT_MAX_ROWS)
    if isinstance(table, FileProblem):
        return table
    sheet = split_sheet(table)
    if not sheet.headers:
        return FileProblem("The file has no rows.")
    return table, sheet


def mapping_for(run: ImportRun, sheet: Sheet) -> dict[int, Field]:
    """The run's saved mapping, else its preset's, else the one recognized from the headers."""
    if run.mapping:
        return decode_mapping(run.mapping)
    if run.preset is not None:
        return mapping_from_preset(sheet.headers, run.preset.mapping)
    return guess_mapping(sheet.headers)


def decode_mapping(stored: Mapping[str, str]) -> dict[int, Field]:
    mapping: dict[int, Field] = {}
    for index, name in stored.items():
        try:
            mapping[int(index)] = Field(name)
        except ValueError:
            continue
    return mapping


def encode_mapping(mapping: Mapping[int, Field]) -> dict[str, str]:
    return {str(index): field.value for index, field in sorted(mapping.items())}


def start_import(
    run: ImportRun,
    *,
    mapping: Mapping[int, Field],
    headers: list[str],
    source: str,
    assign_to_creator: bool,
    preset_name: str = "",
    user: AbstractBaseUser | None = None,
) -> ImportRun:
    """Fix the run's mapping (saving it as a preset when named) and queue the import task after commit."""
    from leads import import_tasks

    with transaction.atomic():
        if preset_name:
            run.preset, _created = ImportPreset.objects.update_or_create(
                name=preset_name,
                defaults={
                    "source": source,
                    "mapping": preset_from_mapping(headers, mapping),
                    "created_by": user,
                },
            )
        run.job = BackgroundJob.objects.create(kind=BackgroundJob.Kind.IMPORT, created_by=user)
        run.mapping = encode_mapping(mapping)
        run.source = source
        run.assign_to_creator = assign_to_creator
        run.status = ImportRun.Status.QUEUED
        run.save()
        run_id = run.pk
        transaction.on_commit(lambda: import_tasks.run_import.delay(run_id), robust=True)
    return run


def run_queued_import(run_id: int) -> ImportRun | None:
    """The task's body: take a queued run and import it; None when another worker has it or it is done.

    A run whose worker died is taken again once it has been running longer than the task may live;
    rows already in are then counted as duplicates, none is created twice.
    """
    now = timezone.now()
    abandoned = Q(status=ImportRun.Status.RUNNING, started_at__lt=now - timedelta(seconds=ABANDONED_AFTER_S))
    taken = ImportRun.objects.filter(Q(status=ImportRun.Status.QUEUED) | abandoned, pk=run_id).update(
        status=ImportRun.Status.RUNNING, started_at=now
    )
    if not taken:
        return None
    run = ImportRun.objects.select_related("created_by", "job").get(pk=run_id)
    try:
        data = stored_bytes(run)
    except ImportFileError as error:
        return _fail(run, str(error))
    run = execute_or_fail(run, data, decode_mapping(run.mapping))
    if run.status == ImportRun.Status.DONE:
        # Every row is in the database or in the run's rejected rows: the upload is not kept longer.
        (import_dir() / Path(run.stored_name).name).unlink(missing_ok=True)
    return run


def execute_or_fail(run: ImportRun, data: bytes, mapping: Mapping[int, Field]) -> ImportRun:
    """execute(), and a run stopped half way (time limit, lost database) says so instead of "running"."""
    try:
        return execute(run, data, mapping)
    except BaseException as error:
        with contextlib.suppress(DatabaseError):
            _fail(
                run,
                f"The import stopped ({type(error).__name__}: {error}); the rows imported so far are kept.",
            )
        raise


def import_path(
    path: Path, *, source: str = "", preset: ImportPreset | None = None, encoding: str = ""
) -> ImportRun:
    """The command line's import: read the file, map its columns (preset or recognized), import now."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{path}: {error.strerror}") from None
    opened = open_sheet(data, path.name, encoding)
    if isinstance(opened, FileProblem):
        raise ImportFileError(f"{path}: {opened.message}")
    _table, sheet = opened
    job = BackgroundJob.objects.create(kind=BackgroundJob.Kind.IMPORT)
    run = ImportRun.objects.create(
        file_name=path.name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        source=source or (preset.source if preset else guess_source(path.name)),
        encoding=encoding,
        preset=preset,
        status=ImportRun.Status.RUNNING,
        started_at=timezone.now(),
        job=job,
    )
    mapping = mapping_from_preset(sheet.headers, preset.mapping) if preset else guess_mapping(sheet.headers)
    run.mapping = encode_mapping(mapping)
    run.save(update_fields=["mapping"])
    return execute_or_fail(run, data, mapping)


@dataclass(slots=True)
class _Tally:
    created: int = 0
    merged: int = 0
    duplicates: int = 0
    rejected: int = 0
    done: int = 0
    rejected_rows: list[dict[str, object]] = field(default_factory=list)
    warnings: list[dict[str, object]] = field(default_factory=list)

    def reject(self, line: int, reasons: list[str] | tuple[str, ...], cells: list[str]) -> None:
        self.rejected += 1
        if len(self.rejected_rows) < KEPT_REPORTS:
            kept = [cell[:KEPT_CELL_CHARS] for cell in cells[:KEPT_CELLS]]
            self.rejected_rows.append({"line": line, "reasons": list(reasons), "cells": kept})

    def warn(self, line: int, warnings: list[str]) -> None:
        if warnings and len(self.warnings) < KEPT_REPORTS:
            self.warnings.append({"line": line, "warnings": warnings})


def execute(run: ImportRun, data: bytes, mapping: Mapping[int, Field]) -> ImportRun:
    """Import every row of the file under the mapping, chunk by chunk, recording progress on the run."""
    opened = open_sheet(data, run.file_name, run.encoding)
    if isinstance(opened, FileProblem):
        return _fail(run, opened.message)
    table, sheet = opened
    if not any(
        field in mapping.values()
        for field in (Field.EMAIL, Field.PHONE, Field.CONTACT_NAME, Field.COMPANY_NAME)
    ):
        return _fail(run, "No column is mapped to the email, phone, buyer name or company: map at least one.")
    owner = run.created_by if run.assign_to_creator else None
    lead_source = LEAD_SOURCES.get(ImportSource(run.source), Source.IMPORT)
    default_tz = ZoneInfo(settings.SALES_OFFICE_TZ)
    now = timezone.now()
    tally = _Tally()
    for line, problem in table.problems:
        tally.reject(line, [problem], [])
    total = len(sheet.body)
    run.total_rows = total
    ImportRun.objects.filter(pk=run.pk).update(total_rows=total)
    if run.job_id:
        BackgroundJob.objects.filter(pk=run.job_id).update(status=BackgroundJob.Status.RUNNING, total=total)

    chunks = [sheet.body[start : start + CHUNK_ROWS] for start in range(0, total, CHUNK_ROWS)]
    prepare = partial(
        prepare_chunk, mapping=dict(mapping), default_tz=default_tz, source=lead_source, now=now
    )
    for rows, prepared in zip(chunks, prepared_ahead(chunks, prepare), strict=True):
        accepted = [
            (item, cells) for item, (_line, cells) in zip(prepared, rows, strict=True) if item is not None
        ]
        for item, cells in accepted:
            if isinstance(item, RowRejection):
                tally.reject(item.line, item.reasons, cells)
        registering = [(item, cells) for item, cells in accepted if isinstance(item, PreparedRow)]
        outcomes = _register_chunk(
            [item.inquiry for item, _cells in registering],
            owner,
            now,
            [item.parsed for item, _cells in registering],
        )
        for (item, cells), outcome in zip(registering, outcomes, strict=True):
            if isinstance(outcome, str):
                tally.reject(item.line, [outcome], cells)
                continue
            tally.warn(item.line, [*item.warnings, *outcome.problems])
            if outcome.outcome is Outcome.CREATED:
                tally.created += 1
            elif outcome.outcome is Outcome.MERGED:
                tally.merged += 1
            else:
                tally.duplicates += 1
        tally.done += len(rows)
        _save_progress(run, tally)
    bulk_intake.forget_parsed()
    return _finish(run, tally)


@dataclass(frozen=True, slots=True)
class PreparedRow:
    line: int
    inquiry: InquiryInput
    parsed: bulk_intake.Parsed  # the buyer's dedupe keys and channels
    warnings: tuple[str, ...]


Prepared = list[PreparedRow | RowRejection | None]


def _positional(cls: type) -> None:
    # Slotted dataclasses unpickle through dataclasses.fields() per object; the child hands over
    # hundreds of thousands of them, so they travel as constructor arguments instead.
    names = [f.name for f in dataclasses.fields(cls)]
    copyreg.pickle(cls, lambda obj: (cls, tuple(getattr(obj, name) for name in names)))


for _cls in (PreparedRow, RowRejection, InquiryInput, Keys, PlannedChannel):
    _positional(_cls)


def prepare_chunk(
    rows: list[tuple[int, list[str]]],
    *,
    mapping: dict[int, Field],
    default_tz: ZoneInfo,
    source: str,
    now: datetime,
) -> Prepared:
    """The database-free part of a chunk: validate each row and parse its buyer's addresses."""
    prepared: Prepared = []
    for line, cells in rows:
        result = read_row(line, cells, mapping, default_tz=default_tz)
        if isinstance(result, RowInquiry):
            inquiry = _inquiry(result, source, now)
            prepared.append(PreparedRow(line, inquiry, bulk_intake.parse_buyer(inquiry), result.warnings))
        else:
            prepared.append(result)
    return prepared


def prepared_ahead(
    chunks: list[list[tuple[int, list[str]]]],
    prepare: Callable[..., Prepared],
    workers: int = PREPARING_CHILDREN,
) -> Iterator[Prepared]:
    """Each chunk prepared, in order; for large files forked children prepare the coming chunks meanwhile.

    Parsing addresses costs more CPU than writing the rows, so children take turns at the chunks
    (child i takes chunks i, i + n, ...) while this process writes. A Celery worker's pool process may
    not start multiprocessing children, so this is a plain fork and one pipe per child. Without fork,
    or for a small file, everything happens here; if a child dies, this process prepares the rest.
    """
    if len(chunks) < PARALLEL_MIN_CHUNKS or not hasattr(os, "fork") or workers < 1:
        for chunk in chunks:
            yield prepare(chunk)
        return
    children: list[tuple[int, BinaryIO]] = []
    try:
        for index in range(min(workers, len(chunks))):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # a child: prepare its chunks, hand each over, leave without running any cleanup
                os.close(read_end)
                _prepare_in_child(chunks[index::workers], prepare, write_end)
            os.close(write_end)
            children.append((pid, os.fdopen(read_end, "rb")))
        done = 0
        while done < len(chunks):
            _pid, pipe = children[done % len(children)]
            try:
                prepared = pickle.load(pipe)
            except (EOFError, pickle.UnpicklingError):
                log.warning("import: a preparing child stopped at chunk %d; the rest is prepared here", done)
                break
            done += 1
            yield prepared
    finally:
        for pid, pipe in children:
            pipe.close()
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)  # done already, or no longer needed
            os.waitpid(pid, 0)
    for chunk in chunks[done:]:
        yield prepare(chunk)


def _prepare_in_child(
    chunks: list[list[tuple[int, list[str]]]], prepare: Callable[..., Prepared], fd: int
) -> NoReturn:
    status = 0
    try:
        with os.fdopen(fd, "wb") as pipe:
            for chunk in chunks:
                pickle.dump(prepare(chunk), pipe, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - the parent sees the pipe end early and prepares the rest itself
        status = 1
    os._exit(status)


def _inquiry(row: RowInquiry, source: str, now: datetime) -> InquiryInput:
    return InquiryInput(
        source=source,
        received_at=row.received_at or now,
        source_ref=row.key,
        channels=row.channels,
        **row.fields,
    )


def _register_chunk(
    inputs: list[InquiryInput],
    owner: AbstractBaseUser | None,
    now: datetime,
    parsed: list[bulk_intake.Parsed] | None = None,
) -> list[bulk_intake.BulkResult | str]:
    """The chunk's results in order: a BulkResult per registered row, or why the database refused it."""
    if not inputs:
        return []
    try:
        with transaction.atomic():
            results = bulk_intake.register_inquiries(inputs, owner, now, parsed)
            created = [result.lead_id for result in results if result.outcome is not Outcome.DUPLICATE]
            transaction.on_commit(partial(enqueue_checks, created), robust=True)
        return list(results)
    except DatabaseError as error:
        # A concurrent writer took a key, or a value is refused: row by row, each in its own transaction.
        log.info("import chunk falls back to one row at a time: %s", error)
    outcomes: list[bulk_intake.BulkResult | str] = []
    for data in inputs:
        try:
            with transaction.atomic():
                result = register_inquiry(data, owner)
        except DatabaseError as error:
            outcomes.append(f"could not be saved: {str(error).splitlines()[0][:200]}")
            continue
        outcomes.append(bulk_intake.BulkResult(result.outcome, result.lead.pk, result.problems))
    return outcomes


def enqueue_checks(lead_ids: list[int]) -> None:
    """One message fans out the chunk's checks in the worker; if it is lost the sweeper finds the leads pending."""
    if not lead_ids:
        return
    from leads import import_tasks

    try:
        import_tasks.enqueue_checks.apply_async(args=[lead_ids], retry=False)
    except Exception as error:  # noqa: BLE001 - any broker error: the leads stay pending for the sweeper
        log.warning("could not enqueue checks for %d imported leads: %s", len(lead_ids), error)


def _save_progress(run: ImportRun, tally: _Tally) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        created_count=tally.created,
        merged_count=tally.merged,
        duplicate_count=tally.duplicates,
        rejected_count=tally.rejected,
    )
    if run.job_id:
        BackgroundJob.objects.filter(pk=run.job_id).update(done=tally.done)


def _finish(run: ImportRun, tally: _Tally) -> ImportRun:
    finished_at = timezone.now()
    run.created_count = tally.created
    run.merged_count = tally.merged
    run.duplicate_count = tally.duplicates
    run.rejected_count = tally.rejected
    run.rejected_rows = tally.rejected_rows
    run.warnings = tally.warnings
    run.status = ImportRun.Status.DONE
    run.finished_at = finished_at
    run.save()
    if run.job_id:
        BackgroundJob.objects.filter(pk=run.job_id).update(
            status=BackgroundJob.Status.DONE,
            done=tally.done,
            finished_at=finished_at,
            detail={
                "run": run.pk,
                "created": tally.created,
                "merged": tally.merged,
                "rejected": tally.rejected,
            },
        )
    return run


def _fail(run: ImportRun, message: str) -> ImportRun:
    finished_at = timezone.now()
    run.status = ImportRun.Status.FAILED
    run.error = message
    run.finished_at = finished_at
    run.save(update_fields=["status", "error", "finished_at"])
    if run.job_id:
        BackgroundJob.objects.filter(pk=run.job_id).update(
            status=BackgroundJob.Status.FAILED, error=message, finished_at=finished_at
        )
    return run
