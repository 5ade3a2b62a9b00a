"""Time one follow-up scheduler run over 100,000 silent leads in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anything .venv/bin/python bench/followup_bench.py [--leads 100000]

Uses a dedicated database on DATABASE_URL's server (default "followup_bench", or FOLLOWUP_BENCH_DB), created,
migrated and seeded with COPY when absent or short of leads: every lead owned, with one to three unanswered
messages out (email, then a chat app), some with chat handles, out-of-office auto-replies and vacations, in
the markets a UV-lamp exporter sells to. Each measurement first undoes the previous run (its tasks, releases),
then times `run_scheduler` at a fixed moment and prints leads/s, queries in all and per batch, and what it
decided; a second run on the result shows the idempotent steady state.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_db  # noqa: E402

REPS = 20
NOW = datetime(2026, 3, 18, 9, 30, tzinfo=UTC)  # a Wednesday morning in Europe, afternoon in Asia
COUNTRIES = [
    ("US", 15), ("CN", 8), ("DE", 8), ("GB", 6), ("IN", 7), ("BR", 5), ("SA", 4), ("AE", 4), ("FR", 4),
    ("IT", 4), ("ES", 3), ("MX", 3), ("TR", 3), ("RU", 3), ("JP", 2), ("KR", 2), ("AU", 2), ("CA", 2),
    ("NL", 2), ("PL", 2), ("ID", 2), ("VN", 2), ("TH", 1), ("EG", 1), ("NG", 1), ("ZA", 1), ("PK", 1),
]  # fmt: skip
SUBDIVISIONS = {"US": ["", "", "CA", "TX", "NY"], "AU": ["", "NSW", "QLD"], "CA": ["", "ON", "BC"]}
ZONES = {
    "US": ["America/Los_Angeles", "America/Chicago"],
    "RU": ["Asia/Yekaterinburg"],
    "BR": ["America/Manaus"],
}
CHAT = {"CN": ("wechat", "uvbuyer{n:06d}"), "JP": ("line", "uvbuyer{n}"), "KR": ("kakaotalk", "uvbuyer{n}")}
OOO_BODY = "I am out of the office until {day} March 2026 with limited access to email."


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument(
        "--batch", type=int, default=0, help="leads per batch (default: LEADS_SCHEDULER_BATCH)"
    )
    parser.add_argument("--reseed", action="store_true", help="drop and seed the bench database again")
    args = parser.parse_args()

    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point to a PostgreSQL server")
    name = os.environ.get("FOLLOWUP_BENCH_DB", "followup_bench")
    bench_db.ensure_database(server_url, name, drop=args.reseed)
    os.environ["DATABASE_URL"] = urlunparse(urlparse(server_url)._replace(path=f"/{name}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed_if_needed(args.leads)
    measure(args.batch or None)


def seed_if_needed(count: int) -> None:
    from leads.models import Lead

    if Lead.objects.count() >= count:
        return
    started = time.perf_counter()
    _seed(count)
    print(f"seeded in {time.perf_counter() - started:.1f} s")


def _weighted(rng: random.Random, table: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in table], weights=[weight for _, weight in table])[0]


def _seed(count: int) -> None:
    from django.contrib.auth.models import User
    from django.db import connection

    from followups.models import Activity
    from leads.models import Company, Contact, ContactChannel, Lead

    rng = random.Random(6)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE followups_activity, followups_followuptask, leads_contactchannel, leads_lead, "
            "leads_contact, leads_company CASCADE"
        )
    User.objects.filter(username__startswith="bench-").delete()
    reps = [User.objects.create_user(f"bench-rep{number}").pk for number in range(REPS)]

    companies, contacts, channels, leads, activities = [], [], [], [], []
    activity_id = channel_id = 0
    for n in range(1, count + 1):
        country = _weighted(rng, COUNTRIES)
        companies.append(
            {"id": n, "name": f"Bench buyer {n}", "domain": f"bench{n}.example", "country": country,
             "subdivision": rng.choice(SUBDIVISIONS.get(country, [""]))}
        )  # fmt: skip
        vacation_from = vacation_until = None
        if rng.random() < 0.02:
            vacation_from = (NOW - timedelta(days=rng.randint(0, 6))).date()
            vacation_until = vacation_from + timedelta(days=rng.randint(3, 12))
        zone = rng.choice(ZONES[country]) if country in ZONES and rng.random() < 0.3 else ""
        contacts.append(
            {"id": n, "company_id": n, "name": f"Buyer {n}", "email": f"buyer{n}@bench{n}.example",
             "time_zone": zone, "vacation_from": vacation_from, "vacation_until": vacation_until}
        )  # fmt: skip
        if rng.random() < 0.4:
            kind, handle = CHAT.get(country, ("whatsapp", "+4915{n:09d}"))
            channel_id += 1
            value = handle.format(n=n)
            channels.append(
                {"id": channel_id, "contact_id": n, "kind": kind, "value": value, "normalized": value}
            )

        owner = rng.choice(reps)
        sent = rng.choices([1, 2, 3], weights=[60, 25, 15])[0]
        moment = NOW - timedelta(days=rng.uniform(1, 30))
        last_out = None
        for index in range(sent):
            if moment >= NOW:
                break
            activity_id += 1
            channel = "email" if index < 2 else "whatsapp"
            activities.append(
                {"id": activity_id, "lead_id": n, "contact_id": n, "direction": "out", "kind": "message",
                 "channel": channel, "occurred_at": moment, "subject": "UV lamps quotation", "created_by_id": owner}
            )  # fmt: skip
            last_out = moment
            moment += timedelta(days=rng.uniform(2, 9))
        last_activity = last_out
        if last_out and rng.random() < 0.05:
            received = last_out + timedelta(hours=rng.uniform(0.1, 3))
            back = rng.randint(18, 31)
            activity_id += 1
            # As the mailbox importer stores it: the note's facts read once, at import.
            facts = {
                "is_vacation": True,
                "return_date": f"2026-03-{back}",
                "matched": "subject: automatic reply",
            }
            activities.append(
                {"id": activity_id, "lead_id": n, "contact_id": n, "direction": "in", "kind": "message",
                 "channel": "email", "occurred_at": received, "is_auto_reply": True,
                 "subject": "Automatic reply: Out of office", "body": OOO_BODY.format(day=back),
                 "metadata": {"auto_reply": facts}}
            )  # fmt: skip
            last_activity = max(last_activity, received)
        leads.append(
            {"id": n, "company_id": n, "contact_id": n, "source": "alibaba", "received_at": NOW - timedelta(days=40),
             "stage": "awaiting_reply", "owner_id": owner, "claimed_at": NOW - timedelta(days=40),
             "check_status": "done", "last_outbound_at": last_out, "last_activity_at": last_activity,
             "subject": "UV lamp inquiry", "products": "UV-C lamps T8 36W"}
        )  # fmt: skip
    _copy(Company, companies)
    _copy(Contact, contacts)
    _copy(ContactChannel, channels)
    _copy(Lead, leads)
    _copy(Activity, activities)
    with connection.cursor() as cursor:
        for model in (Company, Contact, ContactChannel, Lead, Activity):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"{len(leads):,} leads, {len(activities):,} activities, {len(channels):,} chat handles")


def _copy(model: Any, rows: Iterable[dict[str, Any]]) -> None:
    """COPY rows into the model's table; unset columns take the field's default (timestamps: NOW)."""
    from django.db import connection
    from django.db.models import DateTimeField, JSONField
    from psycopg.types.json import Jsonb

    fields = list(model._meta.concrete_fields)
    columns = ", ".join(f'"{field.column}"' for field in fields)
    defaults: dict[str, Any] = {}
    for field in fields:
        if field.has_default():
            defaults[field.attname] = field.get_default()
        elif isinstance(field, DateTimeField) and (field.auto_now or field.auto_now_add):
            defaults[field.attname] = NOW
        elif field.null:
            defaults[field.attname] = None
        else:
            defaults[field.attname] = ""
    connection.ensure_connection()
    table = model._meta.db_table
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = []
            for field in fields:
                value = row.get(field.attname, defaults[field.attname])
                if isinstance(field, JSONField):
                    value = Jsonb(value)
                elif not (isinstance(value, date | datetime | bool | int | float) or value is None):
                    value = str(value)
                values.append(value)
            copy.write_row(values)
    connection.connection.commit()


def _undo_previous_runs() -> None:
    """Put the leads back as seeded: no follow-up tasks, released leads with their owner again."""
    from followups.models import Activity, FollowUpTask
    from followups.scheduler import RELEASE_EVENT
    from leads.models import Lead

    FollowUpTask.objects.all().delete()
    markers = Activity.objects.filter(kind=Activity.Kind.SYSTEM, metadata__event=RELEASE_EVENT)
    owners: dict[int, list[int]] = {}
    for lead_id, metadata in markers.values_list("lead_id", "metadata"):
        owners.setdefault(metadata["previous_owner_id"], []).append(lead_id)
    for owner_id, lead_ids in owners.items():
        Lead.objects.filter(pk__in=lead_ids).update(owner_id=owner_id, claimed_at=NOW - timedelta(days=40))
    markers.delete()


def _timed_run(batch: int | None) -> tuple[Any, float, int]:
    from django.db import connection

    from followups.scheduler import run_scheduler

    queries = 0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        report = run_scheduler(now=NOW, batch_size=batch)
        elapsed = time.perf_counter() - started
    return report, elapsed, queries


def measure(batch: int | None) -> None:
    from django.conf import settings

    from channels_ref.queries import load_rankings

    _undo_previous_runs()
    load_rankings()  # a worker has them cached after its first run
    batch_size = batch or settings.LEADS_SCHEDULER_BATCH
    for label in ("first run", "second run (nothing new)"):
        report, elapsed, queries = _timed_run(batch)
        fixed = 7  # housekeeping, the release sweep and the empty batch that ends the walk
        per_batch = (queries - fixed) / report.batches if report.batches else 0
        print(
            f"{label}: {report.leads_examined:,} leads in {elapsed:.1f} s = {report.leads_examined / elapsed:,.0f} "
            f"leads/s; {queries} queries, {report.batches} batches of {batch_size} (~{per_batch:.1f} queries "
            f"per batch); {report.tasks_created:,} tasks created, {report.tasks_postponed} postponed, "
            f"{report.released_after_cadence:,} released after the cadence, {report.released_inactive} idle; "
            f"decisions {dict(sorted(report.decisions.items()))}"
        )


if __name__ == "__main__":
    main()
