"""Put back the rows that data migrations create (roles, channels, rankings, keyword lists, templates).

A transactional test ends with a flush that empties every table, so the next transactional test
would start without them; running the migrations' own seed functions again restores them.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.contrib.auth.models import Group

SEEDS = (
    ("leads.migrations.0002_roles", "create_roles"),
    ("channels_ref.migrations.0002_seed_channels", "seed"),
    ("leads.migrations.0005_seed_keywords", "seed"),
    ("followups.migrations.0002_followups_shell", "seed"),
    ("leads.migrations.0007_sales_team", "grant_admins"),
)


def ensure_reference_data() -> None:
    """Re-run the data migrations' seeds when a flush removed their rows (each seed is idempotent)."""
    if Group.objects.filter(name="Admin").exists():
        return
    for module_name, function_name in SEEDS:
        getattr(importlib.import_module(module_name), function_name)(apps, None)
