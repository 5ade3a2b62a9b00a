"""Time the managers' dashboard on 100,000 leads and 500,000 activities in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anything .venv/bin/python bench/dashboard_bench.py [--renders 30]

Uses a dedicated database on DATABASE_URL's server (default name "dashboard_bench", or DASHBOARD_BENCH_DB),
created, migrated and seeded with COPY when absent or short of rows, then renders /dashboard/ through the
test client as a manager and prints the median and 95th percentile time and the queries per render.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_db, machine  # noqa: E402

LEADS = 100_000
ACTIVITIES = 500_000
REPS = 20
TASKS = 30_000

# Rough shares of inquiries by buyer country for a Chinese exporter of UV lamps.
COUNTRIES = [
    ("US", 15), ("CN", 8), ("DE", 8), ("GB", 6), ("IN", 7), ("BR", 5), ("SA", 4), ("AE", 4), ("FR", 4),
    ("IT", 4), ("ES", 3), ("MX", 3), ("TR", 3), ("RU", 3), ("JP", 2), ("KR", 2), ("AU", 2), ("CA", 2),
    ("NL", 2), ("PL", 2), ("ID", 2), ("VN", 2), ("TH", 1), ("EG", 1), ("NG", 1), ("ZA", 1), ("PK", 1),
    ("MY", 1), ("PH", 1), ("CO", 1), ("CL", 1), ("AR", 1), ("KE", 1), ("IL", 1), ("SE", 1), ("QA", 1),
]  # fmt: skip
SUBDIVISIONS = {
    "US": ["", "", "CA", "TX", "NY", "FL", "IL", "WA"],
    "AU": ["", "NSW", "VIC", "QLD"],
    "CA": ["", "ON", "BC"],
}
ZONES = {
    "US": ["America/Los_Angeles", "America/Chicago"],
    "RU": ["Asia/Yekaterinburg"],
    "BR": ["America/Manaus"],
}
SOURCES = [
    ("alibaba", 35),
    ("made_in_china", 25),
    ("website", 15),
    ("email", 15),
    ("manual", 5),
    ("import", 5),
]
CHANNELS = [("email", 60), ("whatsapp", 20), ("phone", 8), ("wechat", 6), ("linkedin", 6)]
STAGES_AFTER = ["won"] * 3 + ["junk"] * 10 + ["nurture"] * 7


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--reseed", action="store_true", help="drop and seed the bench database again")
    args = parser.parse_args()

    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point to a PostgreSQL server")
    bench_name = os.environ.get("DASHBOARD_BENCH_DB", "dashboard_bench")
    bench_db.ensure_database(server_url, bench_name, drop=args.reseed)
    os.environ["DATABASE_URL"] = urlunparse(urlparse(server_url)._replace(path=f"/{bench_name}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed_if_needed()
    bench_db.vacuum_analyze()
    measure(args.renders)


def seed_if_needed() -> None:
    from followups.models import Activity
    from leads.models import Lead

    if Lead.objects.count() >= LEADS and Activity.objects.count() >= ACTIVITIES:
        return
    started = time.perf_counter()
    _seed()
    print(f"seeded in {time.perf_counter() - started:.1f} s")


def _weighted(rng: random.Random, table: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in table], weights=[weight for _, weight in table])[0]


def _seed() -> None:
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.utils import timezone

    from followups import reply_stats
    from followups.models import Activity, FollowUpTask
    from leads import roles
    from leads.models import Company, Contact, Lead

    rng = random.Random(8)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE followups_activity, followups_followuptask, leads_lead, leads_contact, leads_company CASCADE"
        )
    User.objects.filter(username__startswith="bench-").delete()
    rep_group = Group.objects.get(name=roles.SALES_REP)
    manager_group = Group.objects.get(name=roles.MANAGER)
    reps = []
    for number in range(REPS):
        user = User.objects.create_user(
            f"bench-rep{number}", first_name=f"Rep {number:02d}", last_name="Bench"
        )
        user.groups.add(rep_group)
        reps.append(user.pk)
    manager = User.objects.create_user("bench-manager", first_name="Mia", last_name="Manager")
    manager.groups.add(manager_group)

    companies, contacts, leads, activities, tasks = [], [], [], [], []
    activity_id = 0
    for lead_id in range(1, LEADS + 1):
        country = _weighted(rng, COUNTRIES)
        subdivision = rng.choice(SUBDIVISIONS.get(country, [""]))
        tier = rng.choices(["", "A", "B", "C", "D"], weights=[10, 15, 25, 30, 20])[0]
        companies.append(
            {"id": lead_id, "name": f"Bench company {lead_id}", "domain": f"bench{lead_id}.example",
             "country": country, "subdivision": subdivision, "fit_tier": tier}
        )  # fmt: skip
        contact_country = rng.choice(["DE", "US", "CN"]) if rng.random() < 0.02 else ""
        zone = rng.choice(ZONES[country]) if country in ZONES and rng.random() < 0.3 else ""
        vacation_from = vacation_until = None
        roll = rng.random()
        if roll < 0.015:  # away around now
            vacation_from = (now - timedelta(days=rng.randint(0, 10))).date()
            vacation_until = vacation_from + timedelta(days=rng.randint(3, 14))
        elif roll < 0.06:  # an old vacation
            vacation_from = (now - timedelta(days=rng.randint(60, 600))).date()
            vacation_until = vacation_from + timedelta(days=rng.randint(3, 14))
        contacts.append(
            {"id": lead_id, "company_id": lead_id, "name": f"Buyer {lead_id}", "email": f"buyer{lead_id}@bench{lead_id}.example",
             "country": contact_country, "time_zone": zone, "vacation_from": vacation_from, "vacation_until": vacation_until}
        )  # fmt: skip
        received_at = now - timedelta(seconds=rng.randint(0, 730 * 86400))
        owner = rng.choice(reps) if rng.random() < 0.8 else None
        authenticity = rng.choices(["", "genuine", "suspicious", "fake"], weights=[5, 60, 15, 20])[0]
        # A conversation: messages out and replies in, 5 per lead on average.
        moment = received_at + timedelta(hours=rng.uniform(1, 72))
        last_out = last_in = None
        direction = "out"
        for _ in range(rng.choices([0, 2, 4, 6, 8], weights=[5, 15, 30, 30, 20])[0] + (lead_id % 2)):
            if moment >= now:
                break
            is_auto = direction == "in" and rng.random() < 0.05
            channel = _weighted(rng, CHANNELS)
            activity_id += 1
            activities.append(
                {"id": activity_id, "lead_id": lead_id, "contact_id": lead_id, "direction": direction,
                 "kind": "message", "channel": channel, "occurred_at": moment, "is_auto_reply": is_auto,
                 "created_by_id": owner if direction == "out" else None, "rep_id": owner}
            )  # fmt: skip
            if direction == "out":
                last_out = moment
            elif not is_auto:
                last_in = moment
            answered = rng.random() < 0.55
            direction = "in" if direction == "out" and answered else "out"
            moment += timedelta(hours=rng.expovariate(1 / 60))
        last_activity = max(filter(None, (last_out, last_in)), default=None)
        stage = "new"
        if authenticity == "fake":
            stage = "junk"
        elif last_out and (last_in is None or last_in < last_out):
            stage = "awaiting_reply"
        elif last_in:
            stage = "contacted"
        if rng.random() < 0.2 and stage != "junk":
            stage = rng.choice(STAGES_AFTER)
        leads.append(
            {"id": lead_id, "company_id": lead_id, "contact_id": lead_id, "source": _weighted(rng, SOURCES),
             "received_at": received_at, "stage": stage, "owner_id": owner, "authenticity": authenticity,
             "check_status": "done", "last_outbound_at": last_out, "last_inbound_at": last_in,
             "last_activity_at": last_activity, "claimed_at": received_at if owner else None,
             "subject": "UV lamp inquiry", "message": "Please quote UV germicidal lamps."}
        )  # fmt: skip
    for task_id in range(1, TASKS + 1):
        lead = leads[rng.randrange(LEADS)]
        tasks.append(
            {"id": task_id, "lead_id": lead["id"], "contact_id": lead["id"], "assignee_id": lead["owner_id"],
             "due_at": now + timedelta(hours=rng.uniform(-30 * 24, 30 * 24)),
             "status": rng.choices(["open", "done", "skipped"], weights=[50, 40, 10])[0]}
        )  # fmt: skip
    _copy(Company, companies, now)
    _copy(Contact, contacts, now)
    _copy(Lead, leads, now)
    _copy(Activity, activities, now)
    _copy(FollowUpTask, tasks, now)
    started = time.perf_counter()
    reply_stats.refresh_all()  # COPY bypassed log_activity: derive the stored reply facts
    print(f"reply facts derived in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        for model in (Company, Contact, Lead, Activity, FollowUpTask):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"{len(leads):,} leads, {len(activities):,} activities, {len(tasks):,} follow-up tasks")


def _copy(model: Any, rows: Iterable[dict[str, Any]], now: datetime) -> None:
    """COPY rows into the model's table; unset columns take the field's default (timestamps: now)."""
    from django.db import connection
    from django.db.models import DateTimeField, JSONField
    from psycopg.types.json import Jsonb

    fields = list(model._meta.concrete_fields)
    columns = ", ".join(f'"{field.column}"' for field in fields)
    defaults = {}
    for field in fields:
        if field.has_default():
            defaults[field.attname] = field.get_default()
        elif isinstance(field, DateTimeField) and (field.auto_now or field.auto_now_add):
            defaults[field.attname] = now
        elif field.null:
            defaults[field.attname] = None
        else:
            defaults[field.attname] = ""
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = []
            for field in fields:
                value = row.get(field.attname, defaults[field.attname])
                if isinstance(field, JSONField):
                    value = Jsonb(value)
                elif (
                    isinstance(value, date | datetime)
                    or value is None
                    or isinstance(value, bool | int | float)
                ):
                    pass
                else:
                    value = str(value)
                values.append(value)
            copy.write_row(values)
    connection.connection.commit()


def measure(renders: int) -> None:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from followups import dashboard

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="bench-manager"))
    for _ in range(2):  # warm the connection, the calendar caches and PostgreSQL's buffers
        assert client.get("/dashboard/").status_code == 200
    backend = _backend_cpu_reader(connection)
    print(machine.describe("before"))
    ttl = dashboard.RESULT_CACHE_TTL_S
    # Cold: every render computes every panel (the result cache is off); warm: as in production within a minute.
    dashboard.RESULT_CACHE_TTL_S = 0
    _series("cold (computed)", client, connection, backend, renders, show_queries=True)
    # The same on one connection: what a render costs when the panels cannot run side by side.
    can_split = dashboard._can_split
    dashboard._can_split = lambda sections: False
    _series("cold, one connection", client, connection, backend, renders, show_queries=False)
    dashboard._can_split = can_split
    dashboard.RESULT_CACHE_TTL_S = ttl
    _series("warm (cached result)", client, connection, backend, renders, show_queries=False)
    # Where the dashboard's numbers lead: the board filtered to the waiting leads they count (the largest
    # sets it links to: every waiting lead, the 30+ bucket, one rep's).
    rep = User.objects.filter(username__startswith="bench-rep").order_by("username").first()
    for label, path in (
        ("every waiting lead", "/board/?waiting=all&include_snoozed=1"),
        ("waiting 30+ days", "/board/?waiting=30&include_snoozed=1"),
        ("one rep's, 7+ days", f"/board/?owner={rep.pk}&waiting=7%2B&include_snoozed=1"),
        ("on vacation, 30+ days", "/board/?waiting=30&silence=vacation&include_snoozed=1"),
    ):
        _series(f"drill-down to the board, {label}", client, connection, backend, renders, path=path)
    print(machine.describe("after"))


def _series(
    label: str,
    client: Any,
    connection: Any,
    backend: Any,
    renders: int,
    *,
    show_queries: bool = False,
    path: str = "/dashboard/",
) -> None:
    from django.test.utils import CaptureQueriesContext

    timings, cpu, queries = [], [], []
    for _ in range(renders):
        with CaptureQueriesContext(connection) as captured:
            backend_before, process_before = backend(), time.process_time()
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - process_before + backend() - backend_before) * 1000)
        assert response.status_code == 200
        queries.append(len(captured.captured_queries))
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    # On a busy machine wall time mostly measures waiting for a core; CPU time is what one render costs (the
    # web process and the request's own PostgreSQL backend; not the second connection of a split render).
    print(
        f"{path.split('?')[0]} {label} x {renders}: median {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, "
        f"CPU (web + request's backend) median {statistics.median(cpu):.0f} ms, "
        f"queries per render {min(queries)}-{max(queries)}"
    )
    if show_queries:
        slowest = sorted(captured.captured_queries, key=lambda query: -float(query["time"]))[:5]
        for query in slowest:
            print(f"  {float(query['time']) * 1000:6.1f} ms  {' '.join(query['sql'].split())[:110]}")


def _backend_cpu_reader(connection: Any) -> Any:
    """A function returning the CPU seconds the PostgreSQL backend of `connection` has used so far
    (read from /proc, so only when the server runs on this machine); else one that returns 0."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / ticks  # utime and stime, fields 14 and 15 of stat

    return read


if __name__ == "__main__":
    main()
