"""Fill in the reply facts of 0003 for the activities already recorded.

A migration of its own: 0003's foreign key gets its index at the end of that migration, and PostgreSQL
refuses to create an index on a table whose rows this backfill has just updated in the same transaction.
"""

from collections import defaultdict

from django.db import migrations

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
    dependencies = [("followups", "0003_reply_facts")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
