"""Managers' dashboard: which buyers are going silent and why, reply rates, the funnel, follow-up discipline.

Every panel is a few aggregate SQL queries returning plain frozen dataclasses; the views only render them.

Unanswered leads are bucketed by business days elapsed in the contact's own calendar (their weekend, their
country's public holidays, their vacation; followups.waiting decides). Counting per row in Python does not
scale to 100,000 leads, so:

1. the distinct calendars (country, subdivision, raw time zone) among the waiting leads are listed by one
   query, and the list is cached for an hour (per database): a lead whose calendar is missing from the list
   is still classified exactly, in Python (step 4), and its calendar joins the list;
2. for each calendar, Python finds the instants "N business days before now" for N in 3/7/14/30
   (waiting.wait_cutoffs): a message sent before that instant has N or more of their business days after its
   sending day. The same walk finds the end of the latest public holiday: sent before it, a holiday fell
   between sending and today. Each calendar also brings its running business-day totals for the last
   VACATION_DAYS_IN_SQL days (waiting.BusinessDaysBack), all calendars in one array;
3. one query joins the waiting leads to those per-calendar rows and counts the leads by rep, country, bucket
   and likely reason with CASE expressions. A vacation overlapping the wait takes its business days out of
   the count by two look-ups in the running totals. Each contact's median reply latency is a stored column
   (followups.reply_stats keeps it), as is each message's first reply time for the reply rates;
4. the same query returns, row by row, the few leads SQL cannot classify: those of a calendar missing from
   the list, and those whose wait began before the running totals reach and whose vacation may leave it
   under 30 business days. Python classifies them with waiting.classify_wait, the reference for all of it.

On SQLite (development) the steps that need PostgreSQL (AT TIME ZONE, GROUPING SETS) run in
Python over the same rows instead, with the same pure functions; tests pin both to the same numbers.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.db.models import Case, Count, Exists, F, Min, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf, TruncWeek
from django.urls import get_script_prefix, get_urlconf, reverse

from channels_ref.models import CHANNEL_CHOICES
from followups import timing
from followups.models import Activity, FollowUpTask
from followups.waiting import (
    BUCKETS,
    LONGEST_BUCKETS_FIRST,
    MAX_BUCKET_DAYS,
    REASON_LABELS,
    REASONS,
    TIMEZONE_GAP_HOURS,
    WAITING_ALL,
    LikelyReason,
    WaitBucket,
    buckets_for_filter,
    business_days_back,
    calendar_of,
    classify_wait,
    cutoffs_for,
)
from leads.board import country_name
from leads.models import Authenticity, FitTier, Lead, Source, Stage
from leads.owners import owner_condition

# Won and junk leads are finished: an unanswered last message on them is nobody's problem.
CLOSED_STAGES = (Stage.WON, Stage.JUNK)
QUALIFIED_TIERS = (FitTier.A, FitTier.B)
CHANNEL_LABELS = dict(CHANNEL_CHOICES)


# --- Filters ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    """What the dashboard shows; every field is a GET parameter (see dashboard_views.DashboardFilterForm)."""

    date_from: date  # office-local dates, inclusive, for the period panels (replies, funnel)
    date_to: date
    # "", "pool", a user id or "team-<id>" (leads.owners): the lead's owner (for replies: who sent, else the owner)
    owner: str = ""
    country: str = ""  # ISO 3166-1 alpha-2 of the contact (their own country, else their company's)
    source: str = ""


def default_period(now: datetime, office_tz: str, weeks: int = 12) -> tuple[date, date]:
    """The last `weeks` office-calendar weeks, Monday to today, this week included."""
    today = now.astimezone(ZoneInfo(office_tz)).date()
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=weeks - 1), today


def period_bounds(filters: Filters, office_tz: str) -> tuple[datetime, datetime]:
    """[start, end) instants of the filter's office-local date range."""
    zone = ZoneInfo(office_tz)
    start = datetime.combine(filters.date_from, time.min, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    return start, end


def place_conditions(filters: Filters, prefix: str = "") -> Q:
    """The country and source filters on leads, or on rows `prefix` ("lead__") away from a lead."""
    condition = Q()
    if filters.country:
        has_own_country = ~Q(**{f"{prefix}contact__country": ""}) & Q(**{f"{prefix}contact__isnull": False})
        condition &= Q(**{f"{prefix}contact__country__iexact": filters.country}) | (
            ~has_own_country & Q(**{f"{prefix}company__country": filters.country})
        )
    if filters.source:
        condition &= Q(**{f"{prefix}source": filters.source})
    return condition


def lead_conditions(filters: Filters) -> Q:
    return owner_condition(filters.owner, "owner") & place_conditions(filters)


# --- Unanswered leads: the queries ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BucketRow:
    """One line of a breakdown: counts per bucket in BUCKETS order."""

    key: str  # rep id ("" for the pool), country code, or reason
    label: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class Unanswered:
    totals: tuple[int, ...]  # per bucket
    by_rep: tuple[BucketRow, ...]
    by_country: tuple[BucketRow, ...]
    by_reason: tuple[BucketRow, ...]
    by_reason_bucket: tuple[BucketRow, ...]  # one row per reason, always all reasons, for the stacked chart

    @property
    def total(self) -> int:
        return sum(self.totals)


def awaiting_leads(now: datetime, filters: Filters) -> QuerySet[Lead, dict[str, Any]]:
    """Open leads whose last outbound message has had no (real) reply yet, with their calendar key.

    The key is kept cheap to compute per row (no UPPER): company codes are upper case by constraint, and the
    rare lower-case contact code is folded in Python, where the calendar is built and counts are summed.
    """
    return (
        Lead.objects.filter(last_outbound_at__isnull=False, last_outbound_at__lte=now)
        .filter(Q(last_inbound_at__isnull=True) | Q(last_inbound_at__lt=F("last_outbound_at")))
        .exclude(stage__in=CLOSED_STAGES)
        .filter(lead_conditions(filters))
        .order_by()
        .values(
            lead_id=F("id"),
            rep_id=F("owner_id"),
            person_id=F("contact_id"),
            sent_at=F("last_outbound_at"),
            country_code=Coalesce(NullIf("contact__country", Value("")), "company__country"),
            # The company's subdivision says nothing about a contact who lives in another country.
            subdivision_code=Case(
                When(
                    Q(contact__isnull=True)
                    | Q(contact__country="")
                    | Q(contact__country=F("company__country")),
                    then=F("company__subdivision"),
                ),
                default=Value(""),
            ),
            tz_raw=Coalesce("contact__time_zone", Value("")),
            away_from=F("contact__vacation_from"),
            away_until=F("contact__vacation_until"),
            median_s=F("contact__reply_median_s"),
        )
    )


# Days of running business-day totals each calendar brings to the query: a vacation within this many days is
# taken out of a wait in SQL; one older only when 30 business days are left without it (else in Python).
VACATION_DAYS_IN_SQL = 130

# The calendars (country, subdivision, raw time zone) seen among waiting leads. Only a speed-up: a lead whose
# calendar is not in the list is classified in Python, and its calendar joins the list for the next time.
CALENDAR_KEYS_TTL_S = 3600


def calendar_keys_cache_key() -> str:
    # Per database: a cache shared by several databases (tests, a benchmark) must not mix their calendars.
    return f"dashboard:calendar-keys:v1:{connection.settings_dict['NAME']}"


Cell = tuple[int | None, str, WaitBucket, LikelyReason]  # (rep id, country, bucket, reason)


@dataclass(frozen=True, slots=True)
class Wanted:
    """Which waiting leads' ids to list: any of `buckets` (none: every bucket), with `reason` ("": any)."""

    buckets: tuple[WaitBucket, ...] = ()
    reason: str = ""

    def __contains__(self, cell: tuple[WaitBucket, LikelyReason]) -> bool:
        bucket, reason = cell
        return (not self.buckets or bucket in self.buckets) and self.reason in ("", reason)


def _bucket_by_days(days: str) -> str:
    """A CASE naming the bucket of a wait of `days` business days (an SQL expression)."""
    whens = " ".join(f"WHEN {days} >= {needed} THEN '{bucket}'" for bucket, needed in LONGEST_BUCKETS_FIRST)
    return f"CASE {whens} ELSE '{WaitBucket.UNDER_3}' END"


def _classified_in_postgres(
    now: datetime, filters: Filters, office_tz: str, wanted: Wanted | None = None
) -> Counter[Cell] | list[int]:
    awaiting_sql, awaiting_params = awaiting_leads(now, filters).query.sql_with_params()
    cells: Counter[Cell] = Counter()
    ids: list[int] = []
    keys = cache.get(calendar_keys_cache_key())
    if keys is None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH awaiting AS ({awaiting_sql}) SELECT DISTINCT country_code, subdivision_code, tz_raw"
                " FROM awaiting",
                awaiting_params,
            )
            keys = [tuple(row) for row in cursor.fetchall()]
        cache.set(calendar_keys_cache_key(), keys, CALENDAR_KEYS_TTL_S)
    calendars_sql, calendars_params, running_totals = _calendar_values(keys, now)
    is_counting = wanted is None
    # One pass over the waiting leads joined to their calendar (a LEFT JOIN: a lead of a calendar missing from
    # the list still comes out, for Python). Rows SQL classifies are counted by (rep, country, bucket, reason);
    # rows left to Python (an unknown calendar, a long vacation long ago) come out one per lead, and their
    # facts are read by id in a second query: carrying them through the grouping costs more.
    if is_counting:
        select = """SELECT in_python, rep_id, country_code, bucket, reason, COUNT(*),
                   CASE WHEN in_python THEN lead_id END AS python_lead
            FROM classified GROUP BY in_python, rep_id, country_code, bucket, reason, python_lead"""
    else:
        select = """SELECT in_python, rep_id, country_code, bucket, reason, NULL::bigint, lead_id
            FROM classified
            WHERE in_python OR ((cardinality(%s::text[]) = 0 OR bucket = ANY(%s::text[]))
                                AND (reason = %s OR %s = ''))"""
    # A vacation overlaps the wait when it starts by their today and ends on or after the sending day; an
    # open start (an out-of-office that gave only the return date) counts from the sending day. Its business
    # days after the sending day come off the wait: with `totals[i + 1]` the business days in
    # (today - i, today], the wait is totals[depth + 1] minus the vacation's share, depth being the days
    # since sending. Deeper than the totals reach, the same sums over the days they cover give a lower bound:
    # enough when it reaches the longest bucket, else the lead goes to Python.
    query = f"""
        WITH calendars(country_code, subdivision_code, tz_raw, zone, opens, closes, starts_30, starts_14,
                       starts_7, starts_3, holiday_cutoff, today, reach, base) AS ({calendars_sql}),
        placed AS (
            SELECT a.*, c.zone, c.opens, c.closes, c.starts_30, c.starts_14, c.starts_7, c.starts_3,
                   c.holiday_cutoff, c.today, c.reach, c.base, totals.running AS totals,
                   CASE WHEN a.away_until IS NOT NULL THEN (a.sent_at AT TIME ZONE c.zone)::date END AS sent_day
            FROM ({awaiting_sql}) a LEFT JOIN calendars c USING (country_code, subdivision_code, tz_raw)
                 CROSS JOIN (SELECT %s::int[] AS running) totals
        ),
        overlapping AS (
            SELECT p.*, LEAST(p.today - p.sent_day, p.reach) AS depth,
                   COALESCE(p.sent_day IS NOT NULL
                            AND COALESCE(p.away_from, LEAST(p.sent_day, p.away_until))
                                <= LEAST(p.away_until, p.today)
                            AND p.away_until >= p.sent_day, false) AS is_away
            FROM placed p
        ),
        counted AS (
            SELECT o.*,
                   CASE WHEN o.is_away THEN o.totals[o.base + o.depth + 1] - GREATEST(
                       o.totals[o.base + LEAST(o.today - GREATEST(COALESCE(o.away_from, o.sent_day),
                                                          o.sent_day + 1) + 1, o.depth) + 1]
                       - o.totals[o.base + LEAST(o.today - LEAST(o.away_until, o.today), o.depth) + 1], 0)
                   END AS vacation_days
            FROM overlapping o
        ),
        marked AS (
            SELECT n.*, n.zone IS NULL
                        OR (n.is_away AND n.today - n.sent_day > n.reach AND n.vacation_days < {MAX_BUCKET_DAYS})
                        AS in_python
            FROM counted n
            OFFSET 0  -- computed once per row here, not again in each CASE that reads them
        ),
        classified AS (
            SELECT m.*,
                CASE WHEN m.in_python THEN NULL
                     WHEN m.is_away THEN {_bucket_by_days("m.vacation_days")}
                     WHEN m.sent_at < m.starts_30 THEN '30' WHEN m.sent_at < m.starts_14 THEN '14'
                     WHEN m.sent_at < m.starts_7 THEN '7' WHEN m.sent_at < m.starts_3 THEN '3'
                     ELSE 'lt3' END AS bucket,
                CASE WHEN m.in_python THEN NULL
                     WHEN m.is_away THEN 'vacation'
                     WHEN m.sent_at < m.holiday_cutoff THEN 'holiday'
                     WHEN m.median_s > date_part('epoch', %s::timestamptz - m.sent_at) THEN 'slow_replies'
                     WHEN (m.sent_at AT TIME ZONE m.zone)::time < m.opens
                       OR (m.sent_at AT TIME ZONE m.zone)::time >= m.closes
                       OR ABS(date_part('epoch', (m.sent_at AT TIME ZONE m.zone)
                                                 - (m.sent_at AT TIME ZONE %s))) >= %s
                     THEN 'timezone_gap'
                     ELSE 'none' END AS reason
            FROM marked m
        )
        {select}"""
    # In the order the placeholders appear: calendars, the waiting leads, the running totals, CASE.
    params = [*calendars_params, *awaiting_params, running_totals, now, office_tz, TIMEZONE_GAP_HOURS * 3600]
    if wanted is not None:
        buckets = [str(bucket) for bucket in wanted.buckets]
        params += [buckets, buckets, wanted.reason, wanted.reason]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    python_ids = []
    for in_python, rep_id, country, sql_bucket, sql_reason, count, lead_id in rows:
        if in_python:
            python_ids.append(lead_id)
        elif is_counting:
            cells[(rep_id, country, WaitBucket(sql_bucket), LikelyReason(sql_reason))] += count
        else:
            ids.append(lead_id)
    new_keys = set()
    for row in _awaiting_by_id(now, filters, python_ids):
        key = (row["country_code"], row["subdivision_code"], row["tz_raw"])
        new_keys.add(key)
        row_bucket, row_reason = _classify_row(row, now, office_tz)
        if wanted is None:
            cells[(row["rep_id"], row["country_code"], row_bucket, row_reason)] += 1
        elif (row_bucket, row_reason) in wanted:
            ids.append(row["lead_id"])
    if new_keys - set(keys):
        cache.set(calendar_keys_cache_key(), sorted(set(keys) | new_keys), CALENDAR_KEYS_TTL_S)
    return sorted(ids) if not is_counting else cells


def _awaiting_by_id(now: datetime, filters: Filters, lead_ids: list[int]) -> Iterator[dict[str, Any]]:
    if lead_ids:  # one array parameter, not thousands of placeholders
        yield from awaiting_leads(now, filters).filter(
            id__in=RawSQL("SELECT unnest(%s::bigint[])", (lead_ids,))
        )


def _classify_row(row: Mapping[str, Any], now: datetime, office_tz: str) -> tuple[WaitBucket, LikelyReason]:
    """classify_wait for one row of awaiting_leads."""
    return classify_wait(
        row["sent_at"],
        now,
        (row["country_code"], row["subdivision_code"], row["tz_raw"]),
        (row["away_from"], row["away_until"]),
        timedelta(seconds=row["median_s"]) if row["median_s"] is not None else None,
        office_tz,
    )


# One array per column: a few parameters whatever the number of calendars (a VALUES list of hundreds of
# placeholders costs the driver more to prepare than the database to run).
_CALENDAR_ARRAYS = (
    "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::time[], %s::time[],"
    " %s::timestamptz[], %s::timestamptz[], %s::timestamptz[], %s::timestamptz[], %s::timestamptz[],"
    " %s::date[], %s::int[], %s::int[])"
)


def _calendar_values(keys: Iterable[tuple[str, str, str]], now: datetime) -> tuple[str, list[Any], list[int]]:
    """The calendars as rows: per calendar its zone, business hours, the instants of wait_cutoffs, their today,
    and where its running business-day totals back from today (BusinessDaysBack.totals) start in one array
    shared by all calendars (returned apart: the query reads it as one value)."""
    columns: list[list[Any]] = [[] for _ in range(14)]
    running: list[int] = []
    for country, subdivision, tz_raw in keys:
        cal = calendar_of(country, subdivision, tz_raw)
        cutoffs = cutoffs_for(cal, now)
        starts = dict(cutoffs.bucket_starts)
        today = timing.local_time(now, cal).date()
        totals = business_days_back(cal, today).totals(VACATION_DAYS_IN_SQL)
        row = [country, subdivision, tz_raw, cal.tz, cal.opens_at, cal.closes_at]
        row += [
            starts[bucket]
            for bucket in (WaitBucket.DAYS_30, WaitBucket.DAYS_14, WaitBucket.DAYS_7, WaitBucket.DAYS_3)
        ]
        row += [cutoffs.holiday_cutoff, today, len(totals) - 1, len(running)]
        running += totals
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    return _CALENDAR_ARRAYS, columns, running


def _classified_in_python(
    now: datetime, filters: Filters, office_tz: str, wanted: Wanted | None = None
) -> Counter[Cell] | list[int]:
    rows = list(awaiting_leads(now, filters))
    result: Counter[Cell] = Counter()
    ids = []
    for row in rows:
        bucket, reason = _classify_row(row, now, office_tz)
        if wanted is None:
            result[(row["rep_id"], row["country_code"], bucket, reason)] += 1
        elif (bucket, reason) in wanted:
            ids.append(row["lead_id"])
    return sorted(ids) if wanted is not None else result


def _classified(
    now: datetime, filters: Filters, office_tz: str, wanted: Wanted | None = None
) -> Counter[Cell] | list[int]:
    if connection.vendor == "postgresql":
        return _classified_in_postgres(now, filters, office_tz, wanted)
    return _classified_in_python(now, filters, office_tz, wanted)


def unanswered(now: datetime, filters: Filters, office_tz: str, names: Mapping[int, str]) -> Unanswered:
    """Waiting leads by bucket, split by rep, by country and by likely reason (see the module docstring)."""
    cells = _classified(now, filters, office_tz)
    assert isinstance(cells, Counter)
    by_rep: dict[int | None, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
    by_country: dict[str, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
    by_reason: dict[LikelyReason, list[int]] = {reason: [0] * len(BUCKETS) for reason in REASONS}
    totals = [0] * len(BUCKETS)
    for (rep_id, raw_country, bucket, reason), count in cells.items():
        country = raw_country.upper()
        index = BUCKETS.index(bucket)
        by_rep[rep_id][index] += count
        by_country[country][index] += count
        by_reason[reason][index] += count
        totals[index] += count

    def ordered(rows: Iterable[BucketRow]) -> tuple[BucketRow, ...]:
        return tuple(sorted(rows, key=lambda row: (-row.total, row.label)))

    reason_rows = tuple(
        BucketRow(reason.value, REASON_LABELS[reason], tuple(by_reason[reason])) for reason in REASONS
    )
    return Unanswered(
        totals=tuple(totals),
        by_rep=ordered(
            BucketRow(_rep_key(rep), rep_label(rep, names), tuple(c)) for rep, c in by_rep.items()
        ),
        by_country=ordered(BucketRow(code, country_label(code), tuple(c)) for code, c in by_country.items()),
        by_reason=tuple(row for row in reason_rows if row.total),
        by_reason_bucket=reason_rows,
    )


def unanswered_lead_ids(
    now: datetime, filters: Filters, office_tz: str, waiting: str = "", reason: str = ""
) -> list[int]:
    """Ids of the waiting leads matching a board "waiting" value (see waiting.buckets_for_filter; "" for any)
    and one likely reason ("" for any): the board's drill-down filter, counted exactly as the dashboard
    counts them."""
    buckets = buckets_for_filter(waiting)
    if reason and reason not in LikelyReason._value2member_map_:
        raise ValueError(f"unknown reason {reason!r}")
    ids = _classified(now, filters, office_tz, Wanted(buckets, reason))
    assert isinstance(ids, list)
    return ids


# --- Reply rates ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReplyStats:
    sent: int = 0
    replied: int = 0
    median_reply_s: float | None = None  # among the replied ones

    @property
    def rate(self) -> float | None:
        return self.replied / self.sent if self.sent else None

    @property
    def median_reply_hours(self) -> float | None:
        return None if self.median_reply_s is None else self.median_reply_s / 3600


@dataclass(frozen=True, slots=True)
class LabelledStats:
    key: str
    label: str
    stats: ReplyStats


@dataclass(frozen=True, slots=True)
class CountryChannels:
    country: str
    label: str
    total: ReplyStats
    channels: Mapping[str, ReplyStats]  # channel -> stats


@dataclass(frozen=True, slots=True)
class ReplyRates:
    weeks: tuple[date, ...]  # Mondays, office calendar
    weekly: tuple[ReplyStats, ...]  # per week
    weekly_by_channel: tuple[tuple[str, str, tuple[ReplyStats, ...]], ...]  # (channel, label, per week)
    weekly_by_rep: tuple[tuple[str, str, tuple[ReplyStats, ...]], ...]
    by_rep: tuple[LabelledStats, ...]
    by_channel: tuple[LabelledStats, ...]
    by_country: tuple[CountryChannels, ...]
    channels: tuple[str, ...]  # channels present, most used first
    total: ReplyStats


def outbound_messages(now: datetime, filters: Filters, office_tz: str) -> QuerySet[Activity, dict[str, Any]]:
    """Our messages sent in the period, each with the first real reply after it on the same lead.

    An outbound message counts as answered when a real inbound message (not an auto-reply, not a note)
    follows it on the same lead; time to reply runs from it to the first such message. Several nudges
    before one reply are each answered by it: the rate says how often a message of ours is followed by an
    answer, the median how long that took. Replies after `now` do not count yet. A message's country and
    rep are the buyer's country and the lead's rep (or its author) when it was sent.
    """
    start, end = period_bounds(filters, office_tz)
    return (
        Activity.objects.filter(
            direction=Activity.Direction.OUTBOUND, occurred_at__gte=start, occurred_at__lt=min(end, now)
        )
        .exclude(kind=Activity.Kind.NOTE)
        .filter(owner_condition(filters.owner, "rep"), _message_place_conditions(filters))
        .order_by()
        .values(
            "rep_id",
            week=TruncWeek("occurred_at", tzinfo=ZoneInfo(office_tz)),
            channel_kind=F("channel"),
            country_code=F("buyer_country"),
            sent_at=F("occurred_at"),
            # Stored by followups.reply_stats: the first real reply on the lead after this message.
            answered_at=Case(When(replied_at__lte=now, then=F("replied_at"))),
        )
    )


def _message_place_conditions(filters: Filters) -> Q:
    """The country filter on a message is the buyer's country when it was sent (Activity.buyer_country)."""
    condition = Q(buyer_country=filters.country.upper()) if filters.country else Q()
    if filters.source:
        condition &= Q(lead__source=filters.source)
    return condition


def _weeks(filters: Filters) -> tuple[date, ...]:
    monday = filters.date_from - timedelta(days=filters.date_from.weekday())
    weeks = []
    while monday <= filters.date_to:
        weeks.append(monday)
        monday += timedelta(weeks=1)
    return tuple(weeks)


# GROUPING(week, rep_id, channel_kind, country_code): a bit is set for each column NOT grouped by.
_GROUPING_SETS = {
    0b1111: "total",
    0b0111: "week",
    0b0101: "week_channel",
    0b0011: "week_rep",
    0b1011: "rep",
    0b1101: "channel",
    0b1100: "country_channel",
}


def _reply_groups_in_postgres(
    messages: QuerySet[Activity, dict[str, Any]],
) -> dict[str, dict[tuple[Any, ...], ReplyStats]]:
    sql, params = messages.query.sql_with_params()
    query = f"""
        WITH sent AS ({sql}),
        -- Seconds as float8 (percentile_cont's own type), worked out once per message: EXTRACT gives numeric,
        -- cast again for each of the seven groupings that sort it.
        timed AS (SELECT *, date_part('epoch', answered_at - sent_at) AS latency_s FROM sent)
        SELECT GROUPING(week, rep_id, channel_kind, country_code), week, rep_id, channel_kind, country_code,
               COUNT(*), COUNT(answered_at), percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_s)
        FROM timed
        GROUP BY GROUPING SETS ((), (week), (week, channel_kind), (week, rep_id), (rep_id), (channel_kind),
                                (country_code, channel_kind))"""
    groups: dict[str, dict[tuple[Any, ...], ReplyStats]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for grouping, week, rep_id, channel, country, sent, replied, median_s in cursor.fetchall():
            name = _GROUPING_SETS[grouping]
            week_day = week.date() if isinstance(week, datetime) else week
            key = {
                "total": (),
                "week": (week_day,),
                "week_channel": (week_day, channel),
                "week_rep": (week_day, rep_id),
                "rep": (rep_id,),
                "channel": (channel,),
                "country_channel": (country, channel),
            }[name]
            groups[name][key] = ReplyStats(sent, replied, float(median_s) if median_s is not None else None)
    return groups


def _reply_groups_in_python(
    messages: QuerySet[Activity, dict[str, Any]],
) -> dict[str, dict[tuple[Any, ...], ReplyStats]]:
    collected: dict[str, dict[tuple[Any, ...], list[float | None]]] = defaultdict(lambda: defaultdict(list))
    for row in messages:
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        latency = (row["answered_at"] - row["sent_at"]).total_seconds() if row["answered_at"] else None
        channel, rep_id, country = row["channel_kind"], row["rep_id"], row["country_code"]
        for name, key in (
            ("total", ()),
            ("week", (week,)),
            ("week_channel", (week, channel)),
            ("week_rep", (week, rep_id)),
            ("rep", (rep_id,)),
            ("channel", (channel,)),
            ("country_channel", (country, channel)),
        ):
            collected[name][key].append(latency)
    groups: dict[str, dict[tuple[Any, ...], ReplyStats]] = defaultdict(dict)
    for name, by_key in collected.items():
        for key, latencies in by_key.items():
            answered = [value for value in latencies if value is not None]
            groups[name][key] = ReplyStats(
                len(latencies), len(answered), statistics.median(answered) if answered else None
            )
    return groups


def reply_rates(now: datetime, filters: Filters, office_tz: str, names: Mapping[int, str]) -> ReplyRates:
    """Reply rate and median time to reply per week, rep, channel, and channel by country (see outbound_messages)."""
    messages = outbound_messages(now, filters, office_tz)
    if connection.vendor == "postgresql":
        groups = _reply_groups_in_postgres(messages)
    else:
        groups = _reply_groups_in_python(messages)
    weeks = _weeks(filters)
    empty = ReplyStats()
    channel_totals = groups.get("channel", {})
    channels = tuple(
        key[0] for key, _ in sorted(channel_totals.items(), key=lambda item: (-item[1].sent, item[0][0]))
    )
    rep_totals = groups.get("rep", {})
    reps = sorted(rep_totals, key=lambda key: (-rep_totals[key].sent, rep_label(key[0], names)))
    country_stats: dict[str, dict[str, ReplyStats]] = defaultdict(dict)
    for (country, channel), stats in groups.get("country_channel", {}).items():
        country_stats[country][channel] = stats
    by_country = []
    for country, per_channel in country_stats.items():
        sent = sum(stats.sent for stats in per_channel.values())
        replied = sum(stats.replied for stats in per_channel.values())
        by_country.append(
            CountryChannels(country, country_label(country), ReplyStats(sent, replied), per_channel)
        )
    by_country.sort(key=lambda row: (-row.total.sent, row.label))
    return ReplyRates(
        weeks=weeks,
        weekly=tuple(groups.get("week", {}).get((week,), empty) for week in weeks),
        weekly_by_channel=tuple(
            (
                channel,
                channel_label(channel),
                tuple(groups.get("week_channel", {}).get((week, channel), empty) for week in weeks),
            )
            for channel in channels
        ),
        weekly_by_rep=tuple(
            (
                _rep_key(key[0]),
                rep_label(key[0], names),
                tuple(groups.get("week_rep", {}).get((week, key[0]), empty) for week in weeks),
            )
            for key in reps
        ),
        by_rep=tuple(
            LabelledStats(_rep_key(key[0]), rep_label(key[0], names), rep_totals[key]) for key in reps
        ),
        by_channel=tuple(
            LabelledStats(channel, channel_label(channel), channel_totals[(channel,)]) for channel in channels
        ),
        by_country=tuple(by_country),
        channels=channels,
        total=groups.get("total", {}).get((), empty),
    )


# --- Funnel -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FunnelRow:
    """Leads received in the period, and how many passed each step; each step is a subset of the one before."""

    source: str  # a Source value, or "" for all sources
    label: str
    received: int = 0  # every lead received in the period (by received_at, office calendar)
    genuine: int = 0  # ... judged genuine by the authenticity check
    qualified: int = 0  # ... and their company's fit tier is A or B
    contacted: int = 0  # ... and we sent them at least one message (last_outbound_at set)
    replied: int = 0  # ... and a real reply (no auto-reply) came after one of our messages
    won: int = 0  # ... and the lead is won
    fake: int = 0  # of all received: judged fake

    @property
    def steps(self) -> tuple[tuple[str, int], ...]:
        return (
            ("Received", self.received),
            ("Genuine", self.genuine),
            ("Qualified (A/B)", self.qualified),
            ("Contacted", self.contacted),
            ("Replied", self.replied),
            ("Won", self.won),
        )

    @property
    def fake_share(self) -> float | None:
        return self.fake / self.received if self.received else None


@dataclass(frozen=True, slots=True)
class Funnel:
    rows: tuple[FunnelRow, ...]  # one per source, in Source order
    total: FunnelRow


def funnel(now: datetime, filters: Filters, office_tz: str) -> Funnel:
    """Received → genuine → qualified (tier A/B) → contacted → replied → won, per source (FunnelRow's steps).

    "Replied" is exact without scanning activities: last_inbound_at is the latest real reply, and some real
    reply came after some message of ours exactly when one of our messages precedes that latest reply.
    """
    start, end = period_bounds(filters, office_tz)
    genuine = Q(authenticity=Authenticity.GENUINE)
    qualified = genuine & Q(company__fit_tier__in=QUALIFIED_TIERS)
    contacted = qualified & Q(last_outbound_at__isnull=False, last_outbound_at__lte=now)
    answered_after_ours = Exists(
        Activity.objects.filter(
            lead_id=OuterRef("pk"),
            direction=Activity.Direction.OUTBOUND,
            occurred_at__lt=OuterRef("last_inbound_at"),
        ).exclude(kind=Activity.Kind.NOTE)
    )
    replied = contacted & Q(last_inbound_at__isnull=False, last_inbound_at__lte=now) & Q(answered_after_ours)
    won = replied & Q(stage=Stage.WON)
    rows = (
        Lead.objects.filter(received_at__gte=start, received_at__lt=min(end, now))
        .filter(lead_conditions(filters))
        .order_by()
        .values("source")
        .annotate(
            received=Count("id"),
            genuine=Count("id", filter=genuine),
            qualified=Count("id", filter=qualified),
            contacted=Count("id", filter=contacted),
            replied=Count("id", filter=replied),
            won=Count("id", filter=won),
            fake=Count("id", filter=Q(authenticity=Authenticity.FAKE)),
        )
    )
    counts = {row.pop("source"): row for row in rows}
    by_source = tuple(
        FunnelRow(source.value, str(source.label), **counts.get(source.value, {})) for source in Source
    )
    numbers = ("received", "genuine", "qualified", "contacted", "replied", "won", "fake")
    total = FunnelRow(
        "", "All sources", **{name: sum(getattr(row, name) for row in by_source) for name in numbers}
    )
    return Funnel(rows=by_source, total=total)


# --- Follow-up discipline -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DisciplineRow:
    key: str  # rep id, "" for unassigned
    label: str
    overdue_tasks: int = 0  # open follow-up tasks past their due time
    oldest_due_at: datetime | None = None
    idle_leads: int = 0  # open leads they own with no activity for longer than the pool-release threshold


@dataclass(frozen=True, slots=True)
class Discipline:
    rows: tuple[DisciplineRow, ...]
    release_days: int

    @property
    def overdue_total(self) -> int:
        return sum(row.overdue_tasks for row in self.rows)

    @property
    def idle_total(self) -> int:
        return sum(row.idle_leads for row in self.rows)


def discipline(now: datetime, filters: Filters, release_days: int, names: Mapping[int, str]) -> Discipline:
    """Overdue open follow-up tasks per assignee and idle leads per owner, now.

    Idle: an open (not won, not junk) owned lead whose last activity (else its claim, else its arrival) is
    older than LEADS_POOL_RELEASE_DAYS: the leads due to go back to the pool.
    """
    overdue = (
        FollowUpTask.objects.filter(status=FollowUpTask.Status.OPEN, due_at__lt=now)
        .filter(owner_condition(filters.owner, "assignee"), place_conditions(filters, "lead__"))
        .order_by()
        .values("assignee_id")
        .annotate(count=Count("id"), oldest=Min("due_at"))
    )
    idle_since = now - timedelta(days=release_days)
    idle = (
        Lead.objects.filter(owner__isnull=False)
        .exclude(stage__in=CLOSED_STAGES)
        .filter(lead_conditions(filters))
        .alias(quiet_since=Coalesce("last_activity_at", "claimed_at", "received_at"))
        .filter(quiet_since__lt=idle_since)
        .order_by()
        .values("owner_id")
        .annotate(count=Count("id"))
    )
    per_rep: dict[int | None, dict[str, Any]] = defaultdict(dict)
    for row in overdue:
        per_rep[row["assignee_id"]].update(overdue_tasks=row["count"], oldest_due_at=row["oldest"])
    for row in idle:
        per_rep[row["owner_id"]]["idle_leads"] = row["count"]
    rows = [
        DisciplineRow(_rep_key(rep), rep_label(rep, names) if rep is not None else "Unassigned", **values)
        for rep, values in per_rep.items()
    ]
    rows.sort(key=lambda row: (-(row.overdue_tasks + row.idle_leads), row.label))
    return Discipline(rows=tuple(rows), release_days=release_days)


# --- The page --------------------------------------------------------------------------------------------------


SECTIONS = ("unanswered", "replies", "funnel", "discipline")


@dataclass(frozen=True, slots=True)
class Dashboard:
    now: datetime
    filters: Filters
    office_tz: str
    unanswered: Unanswered | None = None
    replies: ReplyRates | None = None
    funnel: Funnel | None = None
    discipline: Discipline | None = None
    names: Mapping[int, str] = field(default_factory=dict)


# A cold build costs about half a second of database time at 100,000 leads; a manager who reloads or comes
# back within a minute gets the same numbers, stamped with the time they were computed. A new lead, message
# or follow-up task (a new id) starts a fresh build at once; other edits show within the minute.
RESULT_CACHE_TTL_S = 60


def build_dashboard(
    filters: Filters,
    now: datetime,
    *,
    office_tz: str,
    release_days: int,
    names: Mapping[int, str],
    sections: Sequence[str] = SECTIONS,
    cache_ttl_s: int = 0,
) -> Dashboard:
    """The dashboard's panels (or only `sections`, for a CSV) as of `now`, or as of a build less than
    `cache_ttl_s` seconds old for the same filters and data."""
    if cache_ttl_s <= 0:
        return _build(filters, now, office_tz, release_days, names, sections)
    key = _result_cache_key(filters, office_tz, release_days, names, sections)
    cached = cache.get(key)
    if isinstance(cached, Dashboard):
        return cached
    result = _build(filters, now, office_tz, release_days, names, sections)
    cache.set(key, result, cache_ttl_s)
    return result


def _result_cache_key(
    filters: Filters, office_tz: str, release_days: int, names: Mapping[int, str], sections: Sequence[str]
) -> str:
    # Primary-key look-ups: a new row anywhere the dashboard reads changes the stamp. On PostgreSQL the
    # database's own oid too: a database dropped and made again under the same name (a test run, a bench
    # reseeded) starts its ids over, and must not be served the old one's numbers.
    database = "(SELECT oid FROM pg_database WHERE datname = current_database())"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {database if connection.vendor == 'postgresql' else 'NULL'},"
            " (SELECT MAX(id) FROM leads_lead), (SELECT MAX(id) FROM followups_activity),"
            " (SELECT MAX(id) FROM followups_followuptask)"
        )
        stamp = cursor.fetchone()
    identity = repr(
        (connection.settings_dict["NAME"], stamp, filters, office_tz, release_days, tuple(sections),
         sorted(names.items()))
    )  # fmt: skip
    return "dashboard:result:v1:" + hashlib.sha256(identity.encode()).hexdigest()


def _build(
    filters: Filters,
    now: datetime,
    office_tz: str,
    release_days: int,
    names: Mapping[int, str],
    sections: Sequence[str],
) -> Dashboard:
    def panel(name: str) -> Any:
        if name not in sections:
            return None
        if name == "unanswered":
            return unanswered(now, filters, office_tz, names)
        if name == "replies":
            return reply_rates(now, filters, office_tz, names)
        if name == "funnel":
            return funnel(now, filters, office_tz)
        return discipline(now, filters, release_days, names)

    if _can_split(sections):
        # Two connections in one snapshot of the data: the unanswered panel costs about as much as the
        # three others together.
        with (
            analytics_transaction(export_snapshot=True) as snapshot,
            ThreadPoolExecutor(max_workers=len(_SPLIT) - 1, thread_name_prefix="dashboard") as pool,
        ):
            futures = [pool.submit(_in_snapshot, snapshot, panel, group) for group in _SPLIT[1:]]
            results = {name: panel(name) for name in _SPLIT[0]}
            for future in futures:
                results.update(future.result())
    else:
        with analytics_transaction():
            results = {name: panel(name) for name in SECTIONS}
    return Dashboard(now=now, filters=filters, office_tz=office_tz, names=names, **results)


# How the panels share connections when they run side by side: the first group on the request's own.
_SPLIT = (("replies", "funnel", "discipline"), ("unanswered",))


def _can_split(sections: Sequence[str]) -> bool:
    """Two connections need PostgreSQL (an exported snapshot) and a connection outside any transaction: inside
    one (a test's, say) a second connection would not see the uncommitted rows."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and "unanswered" in sections
        and len(sections) > 1
    )


def _in_snapshot(snapshot: str, compute: Callable[[str], Any], names: Sequence[str]) -> dict[str, Any]:
    """Compute panels on this thread's own connection, in the snapshot exported by the main transaction."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            return {name: compute(name) for name in names}
    finally:
        connections.close_all()  # this thread's connections only; the thread ends here


@contextmanager
def analytics_transaction(export_snapshot: bool = False) -> Iterator[str]:
    """One read transaction for all panels, so they agree on the data; on PostgreSQL without JIT.

    These aggregates cost enough to cross jit_above_cost but run in a fraction of a second, where LLVM
    compilation (over 100 ms measured on the funnel query) costs more than it saves. With `export_snapshot`
    (PostgreSQL only) the transaction is REPEATABLE READ and yields its snapshot's id, so that another
    connection can read exactly the same data (SET TRANSACTION SNAPSHOT).
    """
    with transaction.atomic():
        snapshot = ""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if export_snapshot:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot = cursor.fetchone()[0]
                    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
                cursor.execute("SET LOCAL jit = off")
        yield snapshot


def people() -> dict[int, str]:
    """Display names of every user, for rep labels (a small table: one query)."""
    return {
        pk: (f"{first} {last}".strip() or username)
        for pk, username, first, last in User.objects.order_by().values_list(
            "id", "username", "first_name", "last_name"
        )
    }


def _rep_key(rep_id: int | None) -> str:
    return "" if rep_id is None else str(rep_id)


def rep_label(rep_id: int | None, names: Mapping[int, str]) -> str:
    if rep_id is None:
        return "Pool (unowned)"
    return names.get(rep_id, f"User {rep_id}")


def country_label(code: str) -> str:
    return country_name(code) if code else "Unknown country"


def channel_label(channel: str) -> str:
    return CHANNEL_LABELS.get(channel, channel or "No channel")


# --- Drill-down links to the board ------------------------------------------------------------------------------


def board_url(filters: Filters, **extra: str) -> str:
    """The board's lead list for these dashboard filters plus `extra` board parameters ("" values dropped).

    The dashboard counts snoozed leads too, so the board is asked to show them.
    """
    params = {
        "owner": filters.owner,
        "country": filters.country,
        "source": filters.source,
        "include_snoozed": "1",
        **extra,
    }
    query = urlencode({key: value for key, value in params.items() if value})
    return _board_path(get_script_prefix(), get_urlconf()) + (f"?{query}" if query else "")


@functools.lru_cache(maxsize=16)
def _board_path(script_prefix: str, urlconf: str | None) -> str:
    # The dashboard links every number to the board: reversing once per prefix and URLconf, not per cell.
    return reverse("leads:board")


def unanswered_url(
    filters: Filters,
    *,
    rep: str | None = None,
    country: str | None = None,
    waiting: str = WAITING_ALL,
    reason: str = "",
) -> str:
    """The board filtered to the waiting leads of one rep ("" for the pool) or country, with a "waiting" value
    (a bucket, "7+" for that bucket and longer; every bucket by default) and a likely reason."""
    owner = filters.owner if rep is None else (rep or "pool")
    narrowed = dataclasses.replace(
        filters, owner=owner, country=filters.country if country is None else country
    )
    return board_url(narrowed, waiting=waiting or WAITING_ALL, silence=reason)
