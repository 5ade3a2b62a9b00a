"""Shared querysets for leads: always start from what the user may see.

The board's SQL is shaped for 100,000 leads and a fixed number of queries whatever the page size:
- company, contact and free-text filters are first resolved to id lists in one query (the trigram
  and plain indexes of those tables serve it); a list longer than RESOLVE_CAP is left as a join;
- when a filter may leave few leads, one probe on the lead's own columns and those id lists (no joins)
  fetches every match up to PROBE_CAP; broad company or contact filters are then checked on those few
  candidates in one more query, and columns and exact counts come from the set in Python;
- otherwise one UNION ALL of per-column `LIMIT n+1` walks of the (stage, received_at) index gives the
  ids, and without a thinning filter one query of capped counts ("1,000+") gives the counts;
- one query fetches the shown cards' rows, next follow-up included.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Extract, RowNumber
from django.utils import timezone

from followups import dashboard
from followups.models import Activity, FollowUpTask
from leads import board, roles
from leads.models import BackgroundJob, CheckStatus, Company, Contact, Lead, Stage
from leads.owners import owner_condition

# A filter leaving at most this many leads is answered from one probe, with exact column counts.
PROBE_CAP = 5000
# Column counts stop at this many (shown as "1,000+"): exact counts over 100,000 rows cost more than they tell.
COUNT_CAP = 1000
COUNTS_TTL_S = 30  # how long unfiltered column counts are reused (see _recent_counts)
# Company or contact filters matching at most this many rows are passed on as id lists.
RESOLVE_CAP = 5000
BOARD_ORDER = ("-received_at", "id")  # the order of the lead_stage_received index


@dataclass(frozen=True, slots=True)
class BoardFilters:
    """What the board shows: every field is a GET parameter, so a view can be bookmarked and shared."""

    owner: str = ""  # "", "me", "pool", or a user id
    country: str = ""
    tier: str = ""  # "A".."D" or "none"
    email_verdict: str = ""  # a verdict or "unchecked"
    website_verdict: str = ""
    authenticity: str = ""
    source: str = ""
    stage: str = ""
    customer_category: str = ""  # a category or "prospect"
    received_from: date | None = None
    received_to: date | None = None
    q: str = ""
    include_snoozed: bool = False
    per_page: int = 12
    # The dashboard's drill-down: unanswered leads in a business-day bucket and/or with a likely reason.
    waiting: str = ""
    silence: str = ""

    @property
    def thins_out(self) -> bool:
        """True when a filter may leave few leads (the owner and stage filters never leave few)."""
        return bool(
            self.lead_filters_thin_out
            or self.country
            or self.tier
            or self.website_verdict
            or self.email_verdict
            or self.q
        )

    @property
    def lead_filters_thin_out(self) -> bool:
        """True when a filter on the lead row itself (not its company or contact) may leave few leads."""
        return bool(
            self.authenticity
            or self.source
            or self.customer_category
            or self.received_from
            or self.received_to
            or self.waiting
            or self.silence
        )

    @property
    def stages(self) -> tuple[str, ...]:
        return (self.stage,) if self.stage else tuple(Stage.values)


def _unset(value: str) -> str:
    """The stored value a filter's "not set" token stands for."""
    return "" if value in ("none", "unchecked", "prospect") else value


def _company_condition(filters: BoardFilters, prefix: str = "") -> Q:
    condition = Q()
    if filters.country:
        condition &= Q(**{f"{prefix}country": filters.country})
    if filters.tier:
        condition &= Q(**{f"{prefix}fit_tier": _unset(filters.tier)})
    if filters.website_verdict:
        condition &= Q(**{f"{prefix}website_verdict": _unset(filters.website_verdict)})
    return condition


def _contact_condition(filters: BoardFilters, prefix: str = "") -> Q:
    if not filters.email_verdict:
        return Q()
    return Q(**{f"{prefix}email_verdict": _unset(filters.email_verdict)})


def _search_companies(text: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}name__icontains": text}) | Q(**{f"{prefix}domain__icontains": text})


def _search_contacts(text: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}name__icontains": text}) | Q(**{f"{prefix}email__icontains": text})


def board_leads(user: AbstractBaseUser, filters: BoardFilters, now: datetime) -> QuerySet[Lead]:
    """The leads the user may see that match the lead's own filters (company, contact, search: see below)."""
    leads = roles.visible_leads(user)
    if filters.owner == "me":
        leads = leads.filter(owner=user)
    else:
        leads = leads.filter(owner_condition(filters.owner, "owner"))
    if filters.authenticity:
        leads = leads.filter(authenticity=_unset(filters.authenticity))
    if filters.source:
        leads = leads.filter(source=filters.source)
    if filters.customer_category:
        leads = leads.filter(customer_category=_unset(filters.customer_category))
    if filters.received_from:
        leads = leads.filter(received_at__gte=_start_of(filters.received_from))
    if filters.received_to:
        leads = leads.filter(received_at__lt=_start_of(filters.received_to + timedelta(days=1)))
    if not filters.include_snoozed:
        leads = leads.filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
    return leads


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True, slots=True)
class Narrowing:
    """The company, contact and free-text filters as conditions on leads, two ways.

    `joined` holds them all as joins: right for walking a column, which stops after a page of hits.
    The probe instead narrows by `by_ids` (short id lists on the lead's own foreign keys, served by
    their indexes) and checks the broad rest (`dense_*`) on the few candidates in one more query:
    joins to a broad company filter lead the planner to hash tens of thousands of companies.
    """

    joined: Q
    by_ids: Q
    dense_company: Q  # company filter not given as ids (too broad, or checked after a search), on Company
    dense_contact: Q  # the same for the contact filter, on Contact
    dense_search: str  # a search matching too many companies or contacts for id lists


class _IsAnyOf(Lookup):  # type: ignore[type-arg]
    """`column = ANY(%s::bigint[])` with the ids as one array parameter (PostgreSQL).

    `__in` would make a placeholder per id, and compiling and binding a few thousand of them costs
    more than the query. The ids go as one array literal, written once ("{1,2,3}"): psycopg dumps a list
    int by int each time a query holds it (a column walk holds it eight times). The array is cast to the
    column's type: an int4 array against a bigint column is compared element by element for each row
    (measured: 3.2 s for 28,000 leads against 41,000 ids), one of its own type through a hash (37 ms).
    Used directly as a filter expression, not registered as a lookup.
    """

    lookup_name = "is_any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        array_type = self.lhs.output_field.db_type(connection)
        return f"{lhs} = ANY(%s::{array_type}[])", [*lhs_params, self.rhs]


def _among(column: str, ids: Iterable[int]) -> Q:
    if connection.vendor == "postgresql":
        return Q(_IsAnyOf(F(column), "{" + ",".join(str(int(value)) for value in ids) + "}"))
    return Q(**{f"{column}__in": list(ids)})


def related_condition(filters: BoardFilters) -> Narrowing:
    """The company, contact and free-text filters as conditions on leads.

    Free text matches company name or domain, or contact name or email, in any case: `icontains`
    compiles to UPPER(col) LIKE UPPER(%s), which the trigram GIN indexes on UPPER(col) (migration 0003)
    serve. All lookups run in one UNION ALL query; an id list longer than RESOLVE_CAP is not used.
    """
    company = _company_condition(filters)
    contact = _contact_condition(filters)
    joined = _company_condition(filters, "company__") & _contact_condition(filters, "contact__")
    if filters.q:
        joined &= _search_companies(filters.q, "company__") | _search_contacts(filters.q, "contact__")
    # A search already narrows to a few candidates: the company and contact filters are then checked on
    # those instead of being resolved (a broad one, "tier B", would bring back thousands of ids first).
    resolve_filters = not filters.q
    candidates: dict[str, QuerySet[Any]] = {}
    if resolve_filters:
        for name, condition, rows in (
            ("company", company, Company.objects),
            ("contact", contact, Contact.objects),
        ):
            if condition:
                candidates[name] = rows.filter(condition)
    lookups = {
        name: rows
        for (name, rows), is_broad in zip(
            candidates.items(), _broad_verdicts(list(candidates.values()), RESOLVE_CAP), strict=True
        )
        if not is_broad
    }
    # On PostgreSQL a search is narrowed by the search probe, in SQL (see _search_probe): not resolved here.
    resolve_search = bool(filters.q) and connection.vendor != "postgresql"
    if resolve_search:
        lookups["search_company"] = Company.objects.filter(_search_companies(filters.q))
        lookups["search_contact"] = Contact.objects.filter(_search_contacts(filters.q))
    by_ids, dense_company, dense_contact, dense_search = Q(), Q(), Q(), ""
    found = _resolve(lookups) if lookups else {}
    if company:
        if "company" in lookups and (company_ids := found["company"]) is not None:
            by_ids &= _among("company_id", company_ids)
        else:
            dense_company = company
    if contact:
        if "contact" in lookups and (contact_ids := found["contact"]) is not None:
            by_ids &= _among("contact_id", contact_ids)
        else:
            dense_contact = contact
    if filters.q and not resolve_search:
        dense_search = filters.q
    elif filters.q:
        search_companies, search_contacts = found["search_company"], found["search_contact"]
        if search_companies is not None and search_contacts is not None:
            by_ids &= _among("company_id", search_companies) | _among("contact_id", search_contacts)
        else:
            dense_search = filters.q
    return Narrowing(joined, by_ids, dense_company, dense_contact, dense_search)


def _resolve(lookups: dict[str, QuerySet[Any]], cap: int | None = None) -> dict[str, list[int] | None]:
    """The ids each lookup matches, or None where there are more than `cap` (RESOLVE_CAP), in one query."""
    most = RESOLVE_CAP if cap is None else cap
    if connection.vendor != "postgresql":
        # One query per lookup elsewhere (SQLite cannot LIMIT inside a UNION): small databases only.
        found = {name: list(rows.values_list("id", flat=True)[: most + 1]) for name, rows in lookups.items()}
        return {name: ids if len(ids) <= most else None for name, ids in found.items()}
    # One row of id arrays: thousands of ids arrive as a few arrays instead of thousands of rows, and a
    # lookup over the cap sends no ids at all (only the verdict: too many).
    ctes, parts = [], []
    params: list[Any] = []
    for index, rows in enumerate(lookups.values()):
        sql, lookup_params = rows.order_by().values_list("id")[: most + 1].query.sql_with_params()
        ctes.append(f"lookup_{index} AS MATERIALIZED ({sql})")
        parts.append(
            f"CASE WHEN (SELECT COUNT(*) FROM lookup_{index}) > {most} THEN NULL"
            f" ELSE ARRAY(SELECT id FROM lookup_{index}) END"
        )
        params.extend(lookup_params)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return dict(zip(lookups, row, strict=True))


@dataclass(frozen=True, slots=True)
class Matches:
    leads: QuerySet[Lead]  # every condition, related ones as joins: for column walks, "load more", bulk
    # Leads narrowed by lead columns and short id lists only, when some filter may leave few leads:
    # probed once without joins, then the broad company, contact and search filters are checked.
    probe: QuerySet[Lead] | None
    narrowing: Narrowing
    # Who is looking, as far as it changes the counts: managers share theirs, each rep has their own.
    counts_key: str = ""
    # On PostgreSQL with a search: the lead's own conditions, to probe the search in one query.
    own: QuerySet[Lead] | None = None
    filters: BoardFilters | None = None
    # How many leads the dashboard's drill-down names (None without one). More than a probe takes: the
    # columns are numbered in one query (the id array read once), not walked eight times; fewer: the probe
    # is bounded by them, and PostgreSQL need not be asked how many it would find.
    id_set_size: int | None = None


def matching_leads(user: AbstractBaseUser, filters: BoardFilters, now: datetime) -> Matches:
    narrowing = related_condition(filters)
    own = board_leads(user, filters, now)
    id_set_size = None
    if filters.waiting or filters.silence:
        unanswered = _unanswered_ids(user, filters, now)
        own = own.filter(_among("id", unanswered))
        id_set_size = len(unanswered)
    probe = own.filter(narrowing.by_ids) if (narrowing.by_ids or filters.lead_filters_thin_out) else None
    viewer = "all" if roles.is_manager(user) else f"rep{user.pk}"
    counts_key = f"{viewer}:{filters.owner}:{int(filters.include_snoozed)}"
    searching = bool(filters.q) and connection.vendor == "postgresql"
    return Matches(
        own.filter(narrowing.joined),
        probe,
        narrowing,
        counts_key,
        own=own if searching else None,
        filters=filters if searching else None,
        id_set_size=id_set_size,
    )


def _unanswered_ids(user: AbstractBaseUser, filters: BoardFilters, now: datetime) -> list[int]:
    """The dashboard's unanswered leads in the asked bucket and reason, counted exactly as it counts them."""
    owner = str(user.pk) if filters.owner == "me" else filters.owner
    today = timezone.localdate(now)
    scope = dashboard.Filters(
        date_from=today, date_to=today, owner=owner, country=filters.country, source=filters.source
    )
    return dashboard.unanswered_lead_ids(
        now, scope, settings.SALES_OFFICE_TZ, filters.waiting, filters.silence
    )


def _probe(matches: Matches) -> list[tuple[int, str, Any]] | None:
    """Every match as (id, stage, received-at sort key) when there are at most PROBE_CAP, else None."""
    assert matches.probe is not None
    rows = _rows_unless_over_cap(
        matches.probe.order_by()
        .annotate(received_key=_received_key())
        .values_list("id", "stage", "received_key", "company_id", "contact_id"),
        PROBE_CAP,
    )
    if rows is None:
        return None
    narrowing = matches.narrowing
    checks: dict[str, QuerySet[Any]] = {}
    company_ids = {row[3] for row in rows}
    contact_ids = {row[4] for row in rows if row[4] is not None}
    if narrowing.dense_company:
        checks["company"] = Company.objects.filter(_among("id", company_ids) & narrowing.dense_company)
    if narrowing.dense_contact:
        checks["contact"] = Contact.objects.filter(_among("id", contact_ids) & narrowing.dense_contact)
    if narrowing.dense_search:
        text = narrowing.dense_search
        checks["search_company"] = Company.objects.filter(_among("id", company_ids) & _search_companies(text))
        checks["search_contact"] = Contact.objects.filter(_among("id", contact_ids) & _search_contacts(text))
    if not checks:
        return [(lead_id, stage, received_at) for lead_id, stage, received_at, _, _ in rows]
    found = _resolve(checks, cap=PROBE_CAP)
    passed = {name: set(found.get(name) or ()) for name in checks}
    return [
        (lead_id, stage, received_at)
        for lead_id, stage, received_at, company_id, contact_id in rows
        if (not narrowing.dense_company or company_id in passed["company"])
        and (not narrowing.dense_contact or contact_id in passed["contact"])
        and (
            not narrowing.dense_search
            or company_id in passed["search_company"]
            or contact_id in passed["search_contact"]
        )
    ]


# How far over a cap PostgreSQL must expect the rows to be for fetching them to find out not to be worth it.
BROAD_FACTOR = 1


def _looks_broad(rows: QuerySet[Any], cap: int) -> bool:
    """True when PostgreSQL's own estimate puts the rows far over `cap` (planning costs well under a
    millisecond; scanning thousands of rows only to learn they overflow cost ten or more). A wrong
    estimate only changes the plan: column walks with joins give the same cards."""
    return _broad_verdicts([rows], cap)[0]


def _broad_verdicts(row_sets: Sequence[QuerySet[Any]], cap: int) -> list[bool]:
    """_looks_broad for several sets of rows, asked in one EXPLAIN: each is an uncorrelated subquery of one
    statement, planned as an InitPlan that carries its own row estimate."""
    if connection.vendor != "postgresql" or not row_sets:
        return [False] * len(row_sets)
    parts, params = [], []
    for rows in row_sets:
        sql, part_params = rows.order_by().values("pk").query.sql_with_params()
        parts.append(f"ARRAY({sql})")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) SELECT " + ", ".join(parts), params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    # "InitPlan 2 (returns $1)": numbered in the order the subqueries stand in the statement.
    numbered = sorted(
        (int(node["Subplan Name"].split()[1]), node["Plan Rows"]) for node in plan[0]["Plan"]["Plans"]
    )
    return [estimate > BROAD_FACTOR * cap for _, estimate in numbered]


def _rows_unless_over_cap(rows: QuerySet[Any], cap: int) -> list[tuple[Any, ...]] | None:
    """The rows, or None when there are more than `cap`: on PostgreSQL a probe that overflows sends back
    one row, not thousands to throw away."""
    if connection.vendor != "postgresql":
        found = list(rows[: cap + 1])
        return found if len(found) <= cap else None
    sql, params = rows[: cap + 1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH probe AS MATERIALIZED ({sql}), size AS (SELECT COUNT(*) AS n FROM probe)"
            f" SELECT size.n, probe.* FROM size LEFT JOIN probe ON size.n <= {cap}",
            params,
        )
        found = cursor.fetchall()
    if not found or found[0][0] > cap:
        return None
    return [row[1:] for row in found if row[0] and row[1] is not None]


def _search_probe(matches: Matches) -> list[tuple[int, str, Any]] | None:
    """Every lead matching a search and the other filters as (id, stage, received-at key), in one query on
    PostgreSQL; None when the search is too broad (more than RESOLVE_CAP companies or contacts match) or more
    than PROBE_CAP leads match: the columns are then walked with joins.

    A lead matches when its company matches the text and the company filters and its contact the contact
    filters, or the other way round: two branches, each led by the few rows the text matches (trigram
    indexes), joined by UNION ALL. A lead whose company matches the text is decided by the first branch
    alone, so the second skips it before looking its company up (a contact's address usually carries the
    company's name). One query instead of resolving ids, probing leads and checking the candidates'
    companies: the id lists never travel to Python and back.
    """
    assert matches.own is not None
    assert matches.filters is not None
    filters = matches.filters
    text = filters.q
    company_condition = _company_condition(filters)
    companies = Company.objects.filter(_search_companies(text)).annotate(
        passes=ExpressionWrapper(
            company_condition if company_condition else Q(pk__isnull=False), BooleanField()
        )
    )
    contacts = Contact.objects.filter(_search_contacts(text) & _contact_condition(filters))
    rows = matches.own.order_by().annotate(received_key=_received_key())
    by_company = rows.filter(company_id__in=RawSQL("SELECT id FROM search_company WHERE passes", ())).filter(
        _contact_condition(filters, "contact__")
    )
    # Led by the matching contacts' leads (materialized, so that the planner keeps the index look-ups),
    # then those of companies the first branch decides are dropped, and the company filters checked.
    by_contact = rows.filter(contact_id__in=RawSQL("SELECT id FROM search_contact", ()))
    passing_companies = Company.objects.filter(company_condition).values("id")
    parts = [
        companies.order_by().values_list("id", "passes")[: RESOLVE_CAP + 1],
        contacts.order_by().values_list("id")[: RESOLVE_CAP + 1],
        by_company.values_list("id", "stage", "received_key")[: PROBE_CAP + 1],
        by_contact.values_list("id", "stage", "received_key", "company_id")[: PROBE_CAP + 1],
        passing_companies,
    ]
    compiled = [part.query.sql_with_params() for part in parts]
    company_check = f"AND company_id IN ({compiled[4][0]})" if company_condition else ""
    sql = f"""
        WITH search_company AS MATERIALIZED ({compiled[0][0]}),
             search_contact AS MATERIALIZED ({compiled[1][0]}),
             by_contact AS MATERIALIZED ({compiled[3][0]})
        SELECT NULL, NULL, NULL, (SELECT COUNT(*) FROM search_company), (SELECT COUNT(*) FROM search_contact)
        UNION ALL (SELECT *, NULL, NULL FROM ({compiled[2][0]}) AS by_company)
        UNION ALL (
            SELECT id, stage, received_key, NULL, NULL FROM by_contact
            WHERE company_id NOT IN (SELECT id FROM search_company) {company_check})"""
    # In the order the placeholders appear: the CTEs, the first branch, the company check.
    order = [0, 1, 3, 2, 4] if company_condition else [0, 1, 3, 2]
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for index in order for param in compiled[index][1]])
        found = cursor.fetchall()
    unique: dict[int, tuple[int, str, Any]] = {}
    for lead_id, stage, key, company_hits, contact_hits in found:
        if lead_id is None:  # the row of counts
            if company_hits > RESOLVE_CAP or contact_hits > RESOLVE_CAP:
                return None
        else:
            unique[lead_id] = (lead_id, stage, key)
    return list(unique.values()) if len(unique) <= PROBE_CAP else None


def _received_key() -> Any:
    """received_at as whole microseconds since the epoch on PostgreSQL (an integer decodes far faster than
    a timestamp, and a probe may bring thousands); the timestamp itself elsewhere. Both sort the same."""
    if connection.vendor == "postgresql":
        micros = ExpressionWrapper(
            Extract("received_at", "epoch", tzinfo=UTC) * Value(1_000_000), output_field=DecimalField()
        )
        return Cast(micros, BigIntegerField())
    return F("received_at")


def after_cursor(leads: QuerySet[Lead], cursor: tuple[datetime, int] | None) -> QuerySet[Lead]:
    """The leads that come after the cursor in board order (newest first, then id)."""
    if cursor is None:
        return leads
    received_at, lead_id = cursor
    return leads.filter(Q(received_at__lt=received_at) | Q(received_at=received_at, id__gt=lead_id))


def board_columns(matches: Matches, filters: BoardFilters) -> dict[str, board.ColumnPage]:
    """The first page of each column, with counts where they are cheap to know."""
    leads = matches.leads
    stages = filters.stages
    per_page = filters.per_page
    if matches.own is not None and (found := _search_probe(matches)) is not None:
        return board.rank_columns(found, stages, per_page)
    ids_given = matches.id_set_size
    if ids_given is not None and ids_given > PROBE_CAP:
        return _columns_by_window(leads, stages, per_page)
    if (
        matches.probe is not None
        and (ids_given is not None or not _looks_broad(matches.probe, PROBE_CAP))
        and (probe := _probe(matches)) is not None
    ):
        return board.rank_columns(probe, stages, per_page)
    if not connection.features.supports_slicing_ordering_in_compound:
        return _columns_by_window(leads, stages, per_page)
    walk = leads.filter(stage=_STAGE).order_by(*BOARD_ORDER).values_list("id", "stage")[: per_page + 1]
    rows = _per_stage(walk, stages, "({sql})", " UNION ALL ")
    # Counting a broad filtered view would walk most of each column: its counts are left out.
    counts = _recent_counts(matches, stages) if not filters.thins_out else dict.fromkeys(stages)
    ids: dict[str, list[int]] = {stage: [] for stage in stages}
    for lead_id, stage in rows:
        ids[stage].append(lead_id)
    return {
        stage: board.ColumnPage(
            stage=stage,
            ids=tuple(ids[stage][:per_page]),
            has_more=len(ids[stage]) > per_page,
            count=counts[stage],
            is_count_capped=counts[stage] is not None and counts[stage] >= COUNT_CAP,
        )
        for stage in stages
    }


def _columns_by_window(
    leads: QuerySet[Lead], stages: Sequence[str], per_page: int
) -> dict[str, board.ColumnPage]:
    # Every match numbered within its column, in one query, with exact counts: for databases that cannot
    # LIMIT inside a UNION (SQLite), and for a long list of ids that eight walks would each read.
    ranked = (
        leads.filter(stage__in=stages)
        .annotate(
            position=Window(
                RowNumber(), partition_by=[F("stage")], order_by=[F("received_at").desc(), F("id").asc()]
            ),
            column_size=Window(Count("id"), partition_by=[F("stage")]),
        )
        .filter(position__lte=per_page + 1)
        .values_list("id", "stage", "position", "column_size")
    )
    ids: dict[str, list[tuple[int, int]]] = {stage: [] for stage in stages}
    sizes = dict.fromkeys(stages, 0)
    for lead_id, stage, position, size in ranked:
        ids[stage].append((position, lead_id))
        sizes[stage] = size
    return {
        stage: board.ColumnPage(
            stage=stage,
            ids=tuple(lead_id for _, lead_id in sorted(ids[stage])[:per_page]),
            has_more=sizes[stage] > per_page,
            count=sizes[stage],
        )
        for stage in stages
    }


def _recent_counts(matches: Matches, stages: Sequence[str]) -> dict[str, int | None]:
    """The capped column counts, reused for COUNTS_TTL_S.

    Counting up to a thousand leads in each of eight columns is most of an unfiltered board's database
    time; a count half a minute old reads the same to a rep (the page's counts do not follow card moves
    made on it either).
    """
    key = f"leads:board-counts:{connection.settings_dict['NAME']}:{matches.counts_key}:{','.join(stages)}"
    counts = cache.get(key)
    if counts is None:
        counts = _capped_counts(matches.leads, stages)
        cache.set(key, counts, COUNTS_TTL_S)
    return counts


def _capped_counts(leads: QuerySet[Lead], stages: Sequence[str]) -> dict[str, int | None]:
    """Per-column counts up to COUNT_CAP, in one query of scalar subqueries each stopped by a LIMIT."""
    capped = leads.filter(stage=_STAGE).order_by().values("id")[:COUNT_CAP]
    (row,) = _per_stage(capped, stages, "(SELECT COUNT(*) FROM ({sql}) AS capped)", ", ", prefix="SELECT ")
    return dict(zip(stages, row, strict=True))


# The per-column queries differ only in the stage: the ORM compiles one with this placeholder, and
# the SQL is repeated per stage with the stage swapped in its parameters (compiling eight costs more
# than running them).
_STAGE = "\x00stage"


def _per_stage(
    queryset: QuerySet[Any], stages: Sequence[str], part: str, joiner: str, prefix: str = ""
) -> list[tuple[Any, ...]]:
    sql, params = queryset.query.sql_with_params()
    slot = params.index(_STAGE)
    parts = []
    all_params: list[Any] = []
    for stage in stages:
        parts.append(part.format(sql=sql))
        all_params += [*params[:slot], stage, *params[slot + 1 :]]
    with connection.cursor() as cursor:
        cursor.execute(prefix + joiner.join(parts), all_params)
        return cursor.fetchall()


def column_page(
    matches: Matches, stage: str, per_page: int, cursor: tuple[datetime, int] | None
) -> board.ColumnPage:
    """The next page of one column after a cursor ("load more")."""
    ids = list(
        after_cursor(matches.leads.filter(stage=stage), cursor)
        .order_by(*BOARD_ORDER)
        .values_list("id", flat=True)[: per_page + 1]
    )
    return board.ColumnPage(stage=stage, ids=tuple(ids[:per_page]), has_more=len(ids) > per_page, count=None)


def _open_followups() -> QuerySet[FollowUpTask]:
    return FollowUpTask.objects.filter(lead=OuterRef("pk"), status=FollowUpTask.Status.OPEN).order_by(
        "due_at", "id"
    )


# Every column a card shows, flattened, so rows come back as plain dicts (no model instances to build).
CARD_VALUES: dict[str, Any] = {
    "company_name": F("company__name"),
    "company_domain": F("company__domain"),
    "company_country": F("company__country"),
    "company_subdivision": F("company__subdivision"),
    "company_website_verdict": F("company__website_verdict"),
    "company_fit_score": F("company__fit_score"),
    "company_fit_tier": F("company__fit_tier"),
    "contact_name": F("contact__name"),
    "contact_email": F("contact__email"),
    "contact_country": F("contact__country"),
    "contact_time_zone": F("contact__time_zone"),
    "contact_email_verdict": F("contact__email_verdict"),
    "contact_vacation_from": F("contact__vacation_from"),
    "contact_vacation_until": F("contact__vacation_until"),
    "owner_username": F("owner__username"),
    "owner_first_name": F("owner__first_name"),
    "owner_last_name": F("owner__last_name"),
}
CARD_FIELDS = (
    "id",
    "stage",
    "source",
    "received_at",
    "owner_id",
    "company_id",
    "customer_category",
    "junk_reason",
    "snoozed_until",
    "authenticity",
    "check_status",
    "last_outbound_at",
    "last_inbound_at",
)


def card_rows(ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The rows of the given cards in one query, next open follow-up and its offer included."""
    if not ids:
        return {}
    if connection.vendor != "postgresql":
        # Raw rows skip Django's converters, and psycopg's types are what the cached SQL relies on.
        return {row["id"]: row for row in _card_rows_queryset(ids)}
    sql, params, slots, columns = _card_rows_sql(len(ids))
    values = list(params)
    for slot, lead_id in zip(slots, ids, strict=True):
        values[slot] = lead_id
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return {row["id"]: row for row in rows}


def _card_rows_queryset(ids: Sequence[int]) -> QuerySet[Lead]:
    following = _open_followups()
    return Lead.objects.filter(pk__in=ids).values(
        *CARD_FIELDS,
        **CARD_VALUES,
        next_followup_at=Subquery(following.values("due_at")[:1]),
        next_followup_channel=Subquery(following.values("channel")[:1]),
        next_followup_urgent=Subquery(following.values("is_urgent")[:1]),
        offer_title=Subquery(following.values("offer__title")[:1]),
        offer_valid_until=Subquery(following.values("offer__valid_until")[:1]),
    )


@functools.lru_cache(maxsize=64)
def _card_rows_sql(count: int) -> tuple[str, tuple[Any, ...], tuple[int, ...], tuple[str, ...]]:
    """The card query compiled once per number of cards, with the parameter slots the ids go in.

    Compiling its joins and follow-up subqueries costs more than running it, and a board asks for
    the same few page sizes over and over.
    """
    placeholders = [-(index + 1) for index in range(count)]  # ids are positive: these cannot clash
    queryset = _card_rows_queryset(placeholders)
    sql, params = queryset.query.sql_with_params()
    slots = tuple(params.index(placeholder) for placeholder in placeholders)
    columns = tuple(queryset.query.values_select) + tuple(queryset.query.annotation_select)
    return sql, tuple(params), slots, columns


def lead_for_user(user: AbstractBaseUser) -> QuerySet[Lead]:
    return roles.visible_leads(user).select_related("company", "contact", "owner", "check_job")


def contacts_of(lead: Lead) -> list[Contact]:
    """The company's contacts with their channels, the lead's own contact first, then emergency contacts."""
    contacts = list(
        Contact.objects.filter(company_id=lead.company_id).prefetch_related("channels").order_by("id")
    )
    return sorted(
        contacts, key=lambda contact: (contact.pk != lead.contact_id, not contact.is_emergency_contact)
    )


def timeline_of(lead: Lead, limit: int = 200) -> list[Activity]:
    return list(
        Activity.objects.filter(lead=lead)
        .exclude(kind=Activity.Kind.NOTE)
        .select_related("created_by", "contact")
        .order_by("-occurred_at", "-id")[:limit]
    )


def notes_of(lead: Lead, limit: int = 200) -> list[Activity]:
    return list(
        Activity.objects.filter(lead=lead, kind=Activity.Kind.NOTE)
        .select_related("created_by")
        .order_by("-occurred_at", "-id")[:limit]
    )


def followups_of(lead: Lead) -> list[FollowUpTask]:
    """Open follow-ups first by due time, then the most recent closed ones."""
    tasks = list(FollowUpTask.objects.filter(lead=lead).select_related("offer", "assignee", "contact")[:100])
    return sorted(
        tasks,
        key=lambda task: (
            task.status != FollowUpTask.Status.OPEN,
            task.due_at if task.status == FollowUpTask.Status.OPEN else -task.due_at.timestamp(),
        ),
    )


def job_for_user(user: AbstractBaseUser) -> QuerySet[BackgroundJob]:
    """Background jobs the user may watch: their own, or all for managers."""
    jobs = BackgroundJob.objects.all()
    if roles.is_manager(user):
        return jobs
    return jobs.filter(created_by_id=user.pk)


def unfinished_checks(job: BackgroundJob) -> int:
    """Leads of a bulk re-check whose check is still pending or running."""
    return Lead.objects.filter(
        check_job=job, check_status__in=(CheckStatus.PENDING, CheckStatus.RUNNING)
    ).count()
