"""Reply facts kept on the rows the dashboard reads, so it aggregates columns instead of pairing messages.

Three facts are derived from the activity log and stored:

- `Activity.replied_at`, on each outbound message (not a note): when the first real reply (inbound, not an
  auto-reply, not a note) came on the same lead after it; empty while none has. The reply-rate panel counts
  an outbound message as answered by `now` when `replied_at <= now`.
- `Activity.buyer_country`, on every message: the buyer's country when it happened (set by log_activity;
  filled in from the lead for rows written in bulk). Reply rates by country read it without joins.
- `Contact.reply_median_s`: the contact's median reply latency in seconds, pairing each real reply with
  their latest message from us before it, as `history.summarize_replies` does; empty before any reply.
  The unanswered panel calls a silence "usually slow" when this median is longer than the wait.

They are brought up to date where activities are written (`followups.activities.log_activity`, the
activity admin) and, for writes that bypass those (bulk loads, raw SQL, a message deleted by cascade),
recomputed for every lead and contact by `refresh_all` (a beat task, nightly; `manage.py refresh_reply_stats`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection

from channels_ref.catalogue import ChannelKind
from followups import history
from followups.models import Activity
from leads.models import Contact

# The first real reply on the same lead after an outbound message. Portable SQL: SQLite runs it too.
_FIRST_REPLY = """(
    SELECT MIN(r.occurred_at) FROM followups_activity r
    WHERE r.lead_id = followups_activity.lead_id AND r.direction = 'in' AND NOT r.is_auto_reply
      AND r.kind <> 'note' AND r.occurred_at > followups_activity.occurred_at)"""

_REFRESH_REPLIED_AT = f"""
    UPDATE followups_activity SET replied_at = {_FIRST_REPLY}
    WHERE direction = 'out' AND kind <> 'note' {{where}} AND replied_at {{distinct}} {_FIRST_REPLY}"""

# On PostgreSQL, the first real reply after a message is the earliest real inbound among the
# lead's later rows: with the rows in descending time, those strictly later are the frame up to 1 µs before.
_REFRESH_REPLIED_AT_POSTGRES = """
    UPDATE followups_activity a SET replied_at = f.first_reply
    FROM (
        SELECT id, direction, kind,
               MIN(occurred_at) FILTER (WHERE direction = 'in' AND NOT is_auto_reply AND kind <> 'note')
                   OVER (PARTITION BY lead_id ORDER BY occurred_at DESC
                         RANGE BETWEEN UNBOUNDED PRECEDING AND '1 microsecond'::interval PRECEDING) AS first_reply
        FROM followups_activity {where}
    ) f
    WHERE a.id = f.id AND f.direction = 'out' AND f.kind <> 'note' AND a.replied_at IS DISTINCT FROM f.first_reply"""

# UPDATE ... FROM: PostgreSQL, and SQLite since 3.33.
_FILL_BUYER_COUNTRY = """
    UPDATE followups_activity AS a SET buyer_country = UPPER(COALESCE(NULLIF(ct.country, ''), co.country))
    FROM leads_lead l JOIN leads_company co ON co.id = l.company_id LEFT JOIN leads_contact ct ON ct.id = l.contact_id
    WHERE l.id = a.lead_id AND a.buyer_country = '' AND COALESCE(NULLIF(ct.country, ''), co.country, '') <> '' {where}"""

# Pair each real reply with the contact's latest message from us before it (history.summarize_replies).
_MEDIAN_LATENCY_SQL = """
    SELECT contact_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_s) AS median_s
    FROM (
        SELECT e.contact_id, e.direction,
               LAG(e.direction) OVER w AS previous_direction,
               date_part('epoch', e.occurred_at - LAG(e.occurred_at) OVER w) AS latency_s
        FROM followups_activity e
        WHERE e.contact_id IS NOT NULL {where}
          AND e.kind <> 'note' AND e.direction IN ('in', 'out') AND NOT (e.direction = 'in' AND e.is_auto_reply)
        WINDOW w AS (PARTITION BY e.contact_id ORDER BY e.occurred_at, e.id)
    ) events
    WHERE direction = 'in' AND previous_direction = 'out'
    GROUP BY contact_id"""


_BATCH = 5000  # ids per statement: well under PostgreSQL's 65,535 parameters and SQLite's 32,766


def refresh_for(lead_ids: Iterable[int], contact_ids: Iterable[int | None]) -> None:
    """Recompute the reply facts of these leads' outbound messages and of these contacts."""
    leads = sorted(set(lead_ids))
    contacts = sorted({pk for pk in contact_ids if pk is not None})
    for start in range(0, len(leads), _BATCH):
        _refresh_replied_at(leads[start : start + _BATCH])
    for start in range(0, len(contacts), _BATCH):
        _refresh_medians(contacts[start : start + _BATCH])


def is_relevant(activity: Activity) -> bool:
    """Whether writing this activity can change a reply fact: a message or call in or out, not an auto-reply."""
    return (
        activity.kind != Activity.Kind.NOTE
        and activity.direction in (Activity.Direction.OUTBOUND, Activity.Direction.INBOUND)
        and not (activity.direction == Activity.Direction.INBOUND and activity.is_auto_reply)
    )


def refresh_activity(activity: Activity) -> None:
    """After one activity was written or deleted: its lead's outbound messages and its contact."""
    refresh_for([activity.lead_id], [activity.contact_id])


def refresh_all() -> None:
    """Recompute every stored reply fact (set-based; a few seconds at 500,000 activities)."""
    _refresh_replied_at(None)
    _refresh_medians(None)


def _id_list(column: str, ids: list[int] | None, keyword: str = "AND") -> tuple[str, list[int]]:
    """ "AND column IN (%s, ...)" and its parameters; nothing for all rows."""
    if ids is None:
        return "", []
    return f"{keyword} {column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _refresh_replied_at(lead_ids: list[int] | None) -> None:
    where, params = _id_list("a.lead_id", lead_ids)
    with connection.cursor() as cursor:
        # Rows written past log_activity have no buyer country yet: the lead's current one is the best guess.
        cursor.execute(_FILL_BUYER_COUNTRY.format(where=where), params)
        if connection.vendor == "postgresql":
            # Set-based (one sort, no correlated look-up per row): fast whatever the planner knows.
            window_where, _ = _id_list("lead_id", lead_ids, "WHERE")
            cursor.execute(_REFRESH_REPLIED_AT_POSTGRES.format(where=window_where), params)
        else:
            # SQLite stores times as text, which a RANGE frame cannot offset: one look-up per message.
            # Null-safe "differs": only rows whose fact changed are written.
            plain_where, _ = _id_list("lead_id", lead_ids)
            cursor.execute(_REFRESH_REPLIED_AT.format(where=plain_where, distinct="IS NOT"), params)


def _refresh_medians(contact_ids: list[int] | None) -> None:
    if connection.vendor == "postgresql":
        where, params = _id_list("e.contact_id", contact_ids)
        target, target_params = _id_list("c.id", contact_ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""WITH medians AS ({_MEDIAN_LATENCY_SQL.format(where=where)})
                UPDATE leads_contact c SET reply_median_s = m.median_s
                FROM leads_contact c2 LEFT JOIN medians m ON m.contact_id = c2.id
                WHERE c2.id = c.id {target} AND c.reply_median_s IS DISTINCT FROM m.median_s""",
                [*params, *target_params],
            )
        return
    medians = median_latencies(contact_ids)
    contacts = Contact.objects.all() if contact_ids is None else Contact.objects.filter(pk__in=contact_ids)
    changed = []
    for contact in contacts.only("id", "reply_median_s"):
        median = medians.get(contact.pk)
        if contact.reply_median_s != median:
            contact.reply_median_s = median
            changed.append(contact)
    Contact.objects.bulk_update(changed, ["reply_median_s"], batch_size=500)


def median_latencies(contact_ids: list[int] | None) -> dict[int, float]:
    """Median reply latency in seconds per contact, in Python with history.summarize_replies."""
    events: dict[int, list[history.MessageEvent]] = defaultdict(list)
    rows = Activity.objects.filter(contact_id__isnull=False).exclude(kind=Activity.Kind.NOTE)
    if contact_ids is not None:
        rows = rows.filter(contact_id__in=contact_ids)
    rows = rows.filter(direction__in=(Activity.Direction.OUTBOUND, Activity.Direction.INBOUND)).exclude(
        direction=Activity.Direction.INBOUND, is_auto_reply=True
    )
    for contact_id, direction, occurred_at, channel in rows.order_by(
        "contact_id", "occurred_at", "id"
    ).values_list("contact_id", "direction", "occurred_at", "channel"):
        kind = ChannelKind(channel) if channel in ChannelKind._value2member_map_ else ChannelKind.EMAIL
        way = (
            history.Direction.OUTBOUND
            if direction == Activity.Direction.OUTBOUND
            else history.Direction.INBOUND
        )
        events[contact_id].append(history.MessageEvent(at=occurred_at, direction=way, channel=kind))
    medians = {}
    for contact_id, contact_events in events.items():
        median = history.summarize_replies(contact_events, "UTC").median_latency
        if median is not None:
            medians[contact_id] = median.total_seconds()
    return medians
