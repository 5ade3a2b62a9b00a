"""The migrations that add the dashboard's reply facts fill them in for activities already recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("followups", "0002_followups_shell"), ("leads", "0005_seed_keywords")]
T0 = datetime(2027, 3, 1, 8, tzinfo=UTC)


def _migrate(targets=None):  # type: ignore[no-untyped-def]
    """Migrate to `targets`, or to the latest migrations (and leave the database as the other tests expect)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_messages_get_their_reply_time_country_rep_and_median() -> None:
    old = _migrate(BEFORE)
    try:
        user = old.get_model("auth", "User").objects.create(username="seller")
        company = old.get_model("leads", "Company").objects.create(name="Aqua GmbH", country="DE")
        contact = old.get_model("leads", "Contact").objects.create(company=company, email="a@aqua.example")
        lead = old.get_model("leads", "Lead").objects.create(
            company=company, contact=contact, owner=user, received_at=T0
        )
        activity = old.get_model("followups", "Activity")
        rows = [
            ("out", T0, False, None),
            ("out", T0 + timedelta(hours=1), False, user),
            ("in", T0 + timedelta(hours=2), True, None),  # an out-of-office: not an answer
            ("in", T0 + timedelta(hours=5), False, None),
            ("out", T0 + timedelta(hours=9), False, None),
        ]
        for direction, at, auto, author in rows:
            activity.objects.create(
                lead=lead,
                contact=contact,
                direction=direction,
                occurred_at=at,
                is_auto_reply=auto,
                created_by=author,
                channel="email",
            )
    finally:
        new = _migrate()
    facts = list(
        new.get_model("followups", "Activity")
        .objects.order_by("occurred_at")
        .values_list("direction", "replied_at", "buyer_country", "rep_id")
    )
    reply = T0 + timedelta(hours=5)
    assert facts == [
        ("out", reply, "DE", user.pk),
        ("out", reply, "DE", user.pk),
        ("in", None, "DE", user.pk),
        ("in", None, "DE", user.pk),
        ("out", None, "DE", user.pk),
    ]
    # Paired with our latest message before it: 4 hours.
    assert new.get_model("leads", "Contact").objects.get(pk=contact.pk).reply_median_s == 4 * 3600
