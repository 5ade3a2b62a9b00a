"""Trigram indexes for the board's free-text search (PostgreSQL only; SQLite falls back to LIKE scans)."""

from django.db import migrations

INDEXES = (
    ("lead_company_name_trgm", "leads_company", "name"),
    ("lead_company_domain_trgm", "leads_company", "domain"),
    ("lead_contact_name_trgm", "leads_contact", "name"),
    ("lead_contact_email_trgm", "leads_contact", "email"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("leads", "0002_roles")]
    operations = [migrations.RunPython(create, drop)]
