"""The benches' own PostgreSQL databases: created (or dropped and created) on a server, vacuumed before measuring."""

from __future__ import annotations

from urllib.parse import urlparse, urlunparse


def ensure_database(server_url: str, name: str, *, drop: bool = False) -> None:
    """Create database `name` on the server of `server_url` unless it exists (or drop it first with `drop`)."""
    import psycopg

    admin_url = urlunparse(urlparse(server_url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def vacuum_analyze() -> None:
    """VACUUM ANALYZE Django's database before measuring: a migration's backfill or an earlier run may have left
    dead rows, and autovacuum may be off (it is on the machines this project is measured on), which slows every
    scan down."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
