"""End-to-end time of importing a 100,000-row Alibaba-style export into PostgreSQL.

Run from the project root with a PostgreSQL server in DATABASE_URL (only its host and credentials
are used: the bench creates its own database, migrates it, and drops it afterwards):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/import_bench.py [--rows 100000]

The generated file is what a seller's back office exports: English headers, many buyers on free mail
(never joined by domain), companies with several buyers, returning buyers, phones in national and
international notation, multi-line messages with commas and quotes, a few bad rows and repeated rows.
The import is timed from reading the file to the last chunk committed (checks queued after commit),
as `manage.py import_inquiries` runs it; the target is 30 s for 100,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_S = 30.0
BENCH_DB = "import_bench"
BENCH_QUEUE = "import-bench"

FREE_DOMAINS = (
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "qq.com",
    "163.com",
    "mail.ru",
    "gmx.de",
)
COUNTRIES = {
    "DE": ("Germany", "+49 151 {n8}"),
    "US": ("United States", "+1 415 {n3} {n4}"),
    "GB": ("United Kingdom", "+44 7700 {n6}"),
    "FR": ("France", "+33 6 {n2} {n2} {n2} {n2}"),
    "ES": ("Spain", "+34 612 {n3} {n3}"),
    "IT": ("Italy", "+39 312 {n3} {n4}"),
    "IN": ("India", "+91 98{n3} {n5}"),
    "BR": ("Brazil", "+55 11 9{n4}-{n4}"),
    "TR": ("Turkey", "+90 532 {n3} {n2} {n2}"),
    "PL": ("Poland", "+48 512 {n3} {n3}"),
}
PRODUCTS = (
    "UV germicidal lamp T8 36W",
    "UV sterilizer for water treatment 40W",
    "Electronic ballast for UV lamp",
    "Amalgam UV lamp 800W",
    "UV disinfection trolley",
    "Ozone-free UV-C tube 254nm",
)
FIRST = ("Anna", "Jan", "Maria", "Ahmed", "Luca", "Sofia", "Raj", "Chen", "Olga", "Pierre", "Carlos", "Emma")
LAST = (
    "Schmidt",
    "Kowalski",
    "Rossi",
    "Khan",
    "Garcia",
    "Dubois",
    "Patel",
    "Wang",
    "Ivanova",
    "Smith",
    "Silva",
)
WORDS = (
    "water",
    "treatment",
    "aquaculture",
    "hospital",
    "clinic",
    "HVAC",
    "pool",
    "farm",
    "purification",
    "system",
)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _phone(rng: random.Random, pattern: str) -> str:
    text = pattern
    for size in (8, 6, 5, 4, 3, 2):
        while f"{{n{size}}}" in text:
            text = text.replace(f"{{n{size}}}", _digits(rng, size), 1)
    return text


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    buyers: list[dict[str, str]] = []
    company_count = max(1, rows // 3)
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Inquiry ID",
                "Buyer Name",
                "Company",
                "Country/Region",
                "Email",
                "Tel",
                "Message",
                "Product",
                "Quantity",
                "Date",
            ]
        )
        for index in range(rows):
            if buyers and rng.random() < 0.25:
                buyer = rng.choice(buyers)  # a returning buyer: merged onto their contact
            else:
                code = rng.choice(tuple(COUNTRIES))
                company_number = rng.randrange(company_count)
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                local = f"{name.split()[0].lower()}.{index}"
                if rng.random() < 0.4:
                    email = f"{local}@{rng.choice(FREE_DOMAINS)}"
                else:
                    email = f"{local}@company-{company_number}.example.com"
                buyer = {
                    "name": name,
                    "company": f"Company {company_number} {rng.choice(('GmbH', 'Ltd', 'S.A.', 'LLC', 'Sp. z o.o.'))}",
                    "country": COUNTRIES[code][0],
                    "email": email if rng.random() < 0.85 else "",
                    "phone": _phone(rng, COUNTRIES[code][1]) if rng.random() < 0.6 else "",
                }
                buyers.append(buyer)
            product = rng.choice(PRODUCTS)
            message = (
                f"Hello,\nwe are a {rng.choice(WORDS)} company looking for {product}, "
                f'"{rng.choice(WORDS)}" use. Please quote {rng.randrange(10, 5000)} pcs, FOB Shanghai.\n'
                f"Regards, {buyer['name']}"
            )
            email = buyer["email"]
            if rng.random() < 0.005:
                email = "broken@"  # rejected: not an address
            inquiry_id = str(10_000_000 + index)
            if index and rng.random() < 0.003:
                inquiry_id = str(10_000_000 + rng.randrange(index))  # the same inquiry exported twice
            date = f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:00"
            writer.writerow(
                [
                    inquiry_id,
                    buyer["name"],
                    buyer["company"],
                    buyer["country"],
                    email,
                    buyer["phone"],
                    message,
                    product,
                    f"{rng.randrange(10, 5000)} Pieces",
                    date,
                ]
            )


def _database_url(base: str, name: str) -> str:
    parsed = urlparse(base)
    return urlunparse(parsed._replace(path=f"/{name}"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="Keep the bench database afterwards.")
    arguments = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a PostgreSQL server (postgres://user@host:port/any).", file=sys.stderr)
        return 2

    import psycopg

    admin_url = _database_url(base, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = _database_url(base, BENCH_DB)
    os.environ["CELERY_QUEUE"] = BENCH_QUEUE  # the queued checks stay out of everybody's queue
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from leads import imports
    from leads.models import Company, Contact, ContactChannel, Lead

    try:
        call_command("migrate", verbosity=0)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "alibaba-inquiries.csv"
            started = time.perf_counter()
            generate(path, arguments.rows)
            print(
                f"generated {arguments.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
            )
            queries = 0

            def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
                nonlocal queries
                queries += 1
                return execute(sql, params, many, context)

            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                (backend,) = cursor.fetchone()
            with connection.execute_wrapper(count):
                own_before, children_before, db_before = _cpu_s(backend)
                started = time.perf_counter()
                run = imports.import_path(path, source="alibaba")
                elapsed = time.perf_counter() - started
                own_after, children_after, db_after = _cpu_s(backend)
            own, children, db = own_after - own_before, children_after - children_before, db_after - db_before
        print(
            f"imported {run.total_rows:,} rows in {elapsed:.1f} s = {run.total_rows / elapsed:,.0f} rows/s, "
            f"{queries:,} queries ({queries / max(run.total_rows, 1):.3f} per row)"
        )
        # Wall time depends on what else the machine runs. CPU seconds do not: this process (which waits
        # for PostgreSQL) needs own + db in a row; the children run beside it on the other core.
        print(
            f"CPU s: this process {own:.1f}, preparing children {children:.1f}, PostgreSQL backend {db:.1f}; "
            f"on an idle 2-core machine at least {max(own + db, (own + children + db) / 2):.1f} s; "
            f"load average now {os.getloadavg()[0]:.1f}"
        )
        print(
            f"created {run.created_count:,}, merged {run.merged_count:,}, duplicates {run.duplicate_count:,}, "
            f"rejected {run.rejected_count:,}; in the database: {Lead.objects.count():,} leads, "
            f"{Company.objects.count():,} companies, {Contact.objects.count():,} contacts, "
            f"{ContactChannel.objects.count():,} channels; pending checks: {Lead.objects.filter(check_status='pending').count():,}"
        )
        verdict = "OK" if elapsed <= TARGET_S * arguments.rows / 100_000 else "TOO SLOW"
        print(f"target {TARGET_S:.0f} s per 100,000 rows: {verdict}")
        return 0 if verdict == "OK" else 1
    finally:
        connection.close()
        _purge_bench_queue()
        if not arguments.keep:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


def _cpu_s(backend_pid: int) -> tuple[float, float, float]:
    """CPU seconds so far of this process, its reaped children, and the PostgreSQL backend serving it."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        fields = Path(f"/proc/{backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
        db = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        db = 0.0  # the server runs elsewhere
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime, db


def _purge_bench_queue() -> None:
    from django.conf import settings

    if settings.REDIS_URL:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).delete(BENCH_QUEUE)


if __name__ == "__main__":
    raise SystemExit(main())
