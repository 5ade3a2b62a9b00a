"""Store each outbound message's first reply time, each message's buyer country and rep, and each contact's
median reply latency (the dashboard's reply facts, see followups.reply_stats), and fill them in for the activities
already recorded."""

from collections import defaultdict

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FIRST_REPLY = """(
    SELECT MIN(r.occurred_at) FROM followups_activity r
    WHERE r.lead_id = followups_activity.lead_id AND r.direction = 'in' AND NOT r.is_auto_reply
      AND r.kind <> 'note' AND r.occurred_at > followups_activity.occurred_at)"""

MEDIANS_POSTGRES = """
    UPDATE leads_contact c SET reply_median_s = m.median_s
    FROM (
        SELECT contact_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_s) AS median_s
        FROM (
            SELECT e.contact_id, e.direction, LAG(e.direction) OVER w AS previous_direction,
                   EXTRACT(EPOCH FROM e.occurred_at - LAG(e.occurred_at) OVER w) AS latency_s
            FROM followups_activity e
            WHERE e.contact_id IS NOT NULL AND e.kind <> 'note' AND e.direction IN ('in', 'out')
              AND NOT (e.direction = 'in' AND e.is_auto_reply)
            WINDOW w AS (PARTITION BY e.contact_id ORDER BY e.occurred_at, e.id)
        ) events
        WHERE direction = 'in' AND previous_direction = 'out'
        GROUP BY contact_id
    ) m
    WHERE m.contact_id = c.id"""


BUYER_COUNTRY = """(
    SELECT UPPER(COALESCE(NULLIF(ct.country, ''), co.country)) FROM leads_lead l
    JOIN leads_company co ON co.id = l.company_id LEFT JOIN leads_contact ct ON ct.id = l.contact_id
    WHERE l.id = followups_activity.lead_id)"""


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE followups_activity SET buyer_country = COALESCE({BUYER_COUNTRY}, '')")
        cursor.execute(
            "UPDATE followups_activity SET rep_id = COALESCE(created_by_id,"
            " (SELECT l.owner_id FROM leads_lead l WHERE l.id = followups_activity.lead_id))"
        )
        cursor.execute(
            f"UPDATE followups_activity SET replied_at = {FIRST_REPLY} WHERE direction = 'out' AND kind <> 'note'"
        )
        if connection.vendor == "postgresql":
            cursor.execute(MEDIANS_POSTGRES)
            return
    from followups import history  # pure: the pairing rule the dashboard uses

    activity_model = apps.get_model("followups", "Activity")
    contact_model = apps.get_model("leads", "Contact")
    events = defaultdict(list)
    rows = (
        activity_model.objects.filter(contact_id__isnull=False, direction__in=("in", "out"))
        .exclude(kind="note")
        .exclude(direction="in", is_auto_reply=True)
        .order_by("contact_id", "occurred_at", "id")
        .values_list("contact_id", "direction", "occurred_at")
    )
    for contact_id, direction, occurred_at in rows:
        way = history.Direction.OUTBOUND if direction == "out" else history.Direction.INBOUND
        events[contact_id].append(history.MessageEvent(at=occurred_at, direction=way, channel="email"))
    for contact_id, contact_events in events.items():
        median = history.summarize_replies(contact_events, "UTC").median_latency
        if median is not None:
            contact_model.objects.filter(pk=contact_id).update(reply_median_s=median.total_seconds())


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("followups", "0002_followups_shell"),
        ("leads", "0006_contact_reply_median"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="replied_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="activity",
            name="buyer_country",
            field=models.CharField(blank=True, editable=False, max_length=2),
        ),
        migrations.AddField(
            model_name="activity",
            name="rep",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=models.Q(("direction", "out"), models.Q(("kind", "note"), _negated=True)),
                fields=["occurred_at"],
                include=["channel", "rep", "buyer_country", "replied_at", "lead"],
                name="activity_outbound_facts",
            ),
        ),
    ]
