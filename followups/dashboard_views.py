"""The managers' dashboard page, its htmx panel swap and one CSV per chart; managers and admins only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from followups import charts, csv_export
from followups import dashboard as use_case
from followups.dashboard import Dashboard, Filters, ReplyStats
from followups.waiting import BUCKET_LABELS, BUCKETS, WaitBucket
from leads import owners, roles
from leads.board import COUNTRY_NAMES
from leads.models import Source
from leads.widgets import QuickSelect

# A longer period makes the weekly chart unreadable and the queries slow; two years covers any comparison.
MAX_PERIOD_DAYS = 731
TOP_ROWS_CHARTED = 15  # reps or countries drawn in a chart; the table below it has them all
CHANNELS_CHARTED = 4
COUNTRIES_CHARTED = 8


# --- Filters ----------------------------------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    owner = forms.ChoiceField(required=False, label="Team or rep", widget=QuickSelect)
    country = forms.ChoiceField(
        required=False,
        choices=[("", "All countries"), *COUNTRY_NAMES.items()],
        label="Country",
        widget=QuickSelect,
    )
    source = forms.ChoiceField(required=False, choices=[("", "All sources"), *Source.choices], label="Source")

    def __init__(
        self,
        data: Any,
        *,
        reps: Sequence[tuple[int, str]],
        teams: Sequence[tuple[str, str]] = (),
        default_period: tuple[date, date],
    ) -> None:
        super().__init__(data)
        self.default_period = default_period
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [
            ("", "All reps"),
            ("pool", "Pool (unowned)"),
            *teams,
            *((str(pk), name) for pk, name in reps),
        ]

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first = cleaned.get("date_from") or self.default_period[0]
        last = cleaned.get("date_to") or self.default_period[1]
        if "date_from" in cleaned and "date_to" in cleaned:
            if first > last:
                self.add_error("date_to", "The end date is before the start date.")
            elif (last - first).days > MAX_PERIOD_DAYS:
                self.add_error("date_to", f"Choose a period of at most {MAX_PERIOD_DAYS} days.")
        return cleaned

    def to_filters(self) -> Filters:
        """The valid fields as filters; a field with an error falls back to its default (all, or the period)."""
        cleaned = getattr(self, "cleaned_data", {})
        period_ok = "date_from" in cleaned and "date_to" in cleaned and "date_to" not in self.errors
        first = (cleaned.get("date_from") if period_ok else None) or self.default_period[0]
        last = (cleaned.get("date_to") if period_ok else None) or self.default_period[1]
        if first > last:
            first, last = self.default_period
        return Filters(
            date_from=first,
            date_to=last,
            owner=cleaned.get("owner") or "",
            country=cleaned.get("country") or "",
            source=cleaned.get("source") or "",
        )


def _require_manager(request: HttpRequest) -> None:
    # Checked here, not in the template: the panel fragment and every CSV can be fetched on their own.
    if not roles.is_manager(request.user):
        raise PermissionDenied("The dashboard is for managers.")


def _read_filters(request: HttpRequest, now: datetime) -> tuple[DashboardFilterForm, Filters, dict[int, str]]:
    options = owners.owner_options()
    office_period = use_case.default_period(now, settings.SALES_OFFICE_TZ)
    data = request.GET.copy()
    # The date inputs show the period in force, not an empty field, when the URL gives none.
    data.setdefault("date_from", office_period[0].isoformat())
    data.setdefault("date_to", office_period[1].isoformat())
    form = DashboardFilterForm(data, reps=options.people, teams=options.teams, default_period=office_period)
    form.is_valid()
    return form, form.to_filters(), use_case.people()


def _build(
    request: HttpRequest, sections: Sequence[str] = use_case.SECTIONS
) -> tuple[DashboardFilterForm, Dashboard]:
    now = timezone.now()
    form, filters, names = _read_filters(request, now)
    data = use_case.build_dashboard(
        filters,
        now,
        office_tz=settings.SALES_OFFICE_TZ,
        release_days=settings.LEADS_POOL_RELEASE_DAYS,
        names=names,
        sections=sections,
        cache_ttl_s=use_case.RESULT_CACHE_TTL_S,
    )
    return form, data


@require_GET
@login_required
@vary_on_headers("HX-Request")
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """Unanswered leads, reply rates, the funnel and follow-up discipline, filtered by the GET form."""
    _require_manager(request)
    form, data = _build(request)
    context = {"form": form, "data": data, **present(data)}
    template = "dashboard/dashboard.html"
    if request.htmx and not request.htmx.history_restore_request:  # type: ignore[attr-defined]
        template = "dashboard/partials/panels.html"
    return render(request, template, context)


@require_GET
@login_required
def chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    """The numbers behind one chart as CSV, same filters as the page."""
    _require_manager(request)
    if chart not in TABLES:
        raise Http404("No such chart.")
    section, build_table = TABLES[chart]
    _, data = _build(request, sections=(section,))
    table = build_table(data)
    response = HttpResponse(
        csv_export.to_csv(table.headers, table.values()), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate(data.now, ZoneInfo(data.office_tz)).isoformat()
    response["Content-Disposition"] = f'attachment; filename="dashboard-{chart}-{stamp}.csv"'
    return response


# --- Tables: the numbers of each chart, for the page and the CSV -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    value: str | int | float | None  # what the CSV gets
    text: str = ""  # what the page shows; empty: the value as is
    href: str = ""
    is_number: bool = False

    @property
    def is_zero(self) -> bool:
        return self.is_number and self.value == 0

    @property
    def shown(self) -> str:
        if self.text:
            return self.text
        if self.value is None:
            return "–"
        return f"{self.value:,}" if isinstance(self.value, int) else str(self.value)


@dataclass(frozen=True, slots=True)
class Table:
    slug: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    footer: tuple[Cell, ...] = ()
    display_headers: tuple[str, ...] = ()  # shorter headers for the page; the CSV keeps `headers`

    @property
    def shown_headers(self) -> tuple[str, ...]:
        return self.display_headers or self.headers

    def values(self) -> list[list[str | int | float | None]]:
        return [
            [cell.value for cell in row] for row in (*self.rows, *((self.footer,) if self.footer else ()))
        ]


def _count(value: int, href: str = "") -> Cell:
    return Cell(value, href=href if value else "", is_number=True)


def _percent(share: float | None) -> Cell:
    if share is None:
        return Cell(None, is_number=True)
    return Cell(round(share * 100, 1), text=f"{share:.0%}", is_number=True)


def _hours(hours: float | None) -> Cell:
    if hours is None:
        return Cell(None, is_number=True)
    text = f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} d"
    return Cell(round(hours, 1), text=text, is_number=True)


_BUCKET_HEADERS = tuple(f"{BUCKET_LABELS[bucket]} waited" for bucket in BUCKETS)
_SHORT_BUCKET_HEADERS = ("< 3", "3–6", "7–13", "14–29", "30+")


def _unanswered_table(
    slug: str,
    title: str,
    first_header: str,
    rows: Sequence[use_case.BucketRow],
    data: Dashboard,
    link_by: str,
) -> Table:
    filters = data.filters

    def url(row_key: str | None, bucket: str) -> str:
        if link_by == "rep":
            return use_case.unanswered_url(filters, rep=row_key, waiting=bucket)
        if link_by == "country":
            return use_case.unanswered_url(filters, country=row_key, waiting=bucket)
        return use_case.unanswered_url(filters, waiting=bucket, reason=row_key or "")

    body = tuple(
        (
            Cell(row.label),
            *(_count(count, url(row.key, bucket)) for bucket, count in zip(BUCKETS, row.counts, strict=True)),
            _count(row.total, url(row.key, "")),
        )
        for row in rows
    )
    assert data.unanswered is not None
    totals = data.unanswered.totals
    footer = (
        Cell("All"),
        *(
            _count(count, use_case.unanswered_url(filters, waiting=b))
            for b, count in zip(BUCKETS, totals, strict=True)
        ),
        _count(sum(totals), use_case.unanswered_url(filters)),
    )
    return Table(
        slug,
        title,
        (first_header, *_BUCKET_HEADERS, "Total"),
        body,
        footer,
        display_headers=(first_header, *_SHORT_BUCKET_HEADERS, "Total"),
    )


def unanswered_by_rep_table(data: Dashboard) -> Table:
    assert data.unanswered is not None
    return _unanswered_table(
        "unanswered-by-rep", "Unanswered leads by rep", "Rep", data.unanswered.by_rep, data, "rep"
    )


def unanswered_by_country_table(data: Dashboard) -> Table:
    assert data.unanswered is not None
    return _unanswered_table(
        "unanswered-by-country",
        "Unanswered leads by country",
        "Country",
        data.unanswered.by_country,
        data,
        "country",
    )


def unanswered_by_reason_table(data: Dashboard) -> Table:
    assert data.unanswered is not None
    return _unanswered_table(
        "unanswered-by-reason",
        "Unanswered leads by likely reason",
        "Likely reason",
        data.unanswered.by_reason_bucket,
        data,
        "reason",
    )


def _week_label(monday: date) -> str:
    return f"{monday:%b} {monday.day}"


def weekly_replies_table(data: Dashboard) -> Table:
    replies = data.replies
    assert replies is not None
    channels = replies.weekly_by_channel[:CHANNELS_CHARTED]
    headers = (
        "Week of",
        "Sent",
        "Replied",
        "Reply rate (%)",
        "Median time to reply (h)",
        *(f"{label} reply rate (%)" for _, label, _ in channels),
    )
    rows = tuple(
        (
            Cell(monday.isoformat(), text=_week_label(monday)),
            _count(stats.sent),
            _count(stats.replied),
            _percent(stats.rate),
            _hours(stats.median_reply_hours),
            *(_percent(per_week[index].rate) for _, _, per_week in channels),
        )
        for index, (monday, stats) in enumerate(zip(replies.weeks, replies.weekly, strict=True))
    )
    total = replies.total
    footer = (
        Cell("Period"),
        _count(total.sent),
        _count(total.replied),
        _percent(total.rate),
        _hours(total.median_reply_hours),
        *(_percent(_channel_total(replies, channel).rate) for channel, _, _ in channels),
    )
    return Table("reply-rates-weekly", "Reply rate and time to reply per week", headers, rows, footer)


def _channel_total(replies: use_case.ReplyRates, channel: str) -> use_case.ReplyStats:
    return next((row.stats for row in replies.by_channel if row.key == channel), use_case.ReplyStats())


def replies_by_rep_table(data: Dashboard) -> Table:
    replies = data.replies
    assert replies is not None
    weekly = {key: per_week for key, _, per_week in replies.weekly_by_rep}
    headers = (
        "Rep",
        "Sent",
        "Replied",
        "Reply rate (%)",
        "Median time to reply (h)",
        *(f"Week of {monday.isoformat()} (%)" for monday in replies.weeks),
    )
    rows = tuple(
        (
            Cell(row.label),
            *_reply_cells(row.stats),
            *(_percent(stats.rate) for stats in weekly.get(row.key, ())),
        )
        for row in replies.by_rep
    )
    return Table("reply-rates-by-rep", "Reply rate per rep", headers, rows)


def _reply_cells(stats: ReplyStats) -> tuple[Cell, ...]:
    """Sent, replied, reply rate and median time to reply: the columns every reply table shares."""
    return (_count(stats.sent), _count(stats.replied), _percent(stats.rate), _hours(stats.median_reply_hours))


def replies_by_channel_table(data: Dashboard) -> Table:
    replies = data.replies
    assert replies is not None
    headers = ("Channel", "Sent", "Replied", "Reply rate (%)", "Median time to reply (h)")
    rows = tuple(
        (
            Cell(row.label),
            *_reply_cells(row.stats),
        )
        for row in replies.by_channel
    )
    return Table("reply-rates-by-channel", "Reply rate per channel", headers, rows)


def channels_by_country_table(data: Dashboard) -> Table:
    replies = data.replies
    assert replies is not None
    headers = ("Country", "Code", "Channel", "Sent", "Replied", "Reply rate (%)", "Median time to reply (h)")
    rows = tuple(
        (
            Cell(row.label),
            Cell(row.country),
            Cell(use_case.channel_label(channel)),
            _count(stats.sent),
            _count(stats.replied),
            _percent(stats.rate),
            _hours(stats.median_reply_hours),
        )
        for row in replies.by_country
        for channel, stats in sorted(row.channels.items(), key=lambda item: (-item[1].sent, item[0]))
    )
    return Table("channels-by-country", "Which channels get answers in which countries", headers, rows)


def funnel_table(data: Dashboard) -> Table:
    result = data.funnel
    assert result is not None
    headers = (
        "Source",
        "Received",
        "Genuine",
        "Qualified (A/B)",
        "Contacted",
        "Replied",
        "Won",
        "Fake",
        "Fake share (%)",
    )

    def line(row: use_case.FunnelRow) -> tuple[Cell, ...]:
        link = use_case.board_url(
            _period_filters(data, source=row.source),
            received_from=data.filters.date_from.isoformat(),
            received_to=data.filters.date_to.isoformat(),
        )
        return (
            Cell(row.label),
            _count(row.received, link),
            *(_count(value) for _, value in row.steps[1:]),
            _count(row.fake),
            _percent(row.fake_share),
        )

    return Table(
        "funnel", "Funnel per source", headers, tuple(line(row) for row in result.rows), line(result.total)
    )


def _period_filters(data: Dashboard, *, source: str) -> Filters:
    filters = data.filters
    return Filters(
        filters.date_from, filters.date_to, filters.owner, filters.country, source or filters.source
    )


def discipline_table(data: Dashboard) -> Table:
    result = data.discipline
    assert result is not None
    headers = ("Rep", "Overdue follow-ups", "Oldest overdue since", f"Idle > {result.release_days} days")
    rows = tuple(
        (
            Cell(row.label),
            _count(row.overdue_tasks),
            Cell(
                row.oldest_due_at.isoformat() if row.oldest_due_at else None,
                text=_ago(data.now, row.oldest_due_at),
            ),
            _count(row.idle_leads, use_case.board_url(_rep_filters(data, row.key))),
        )
        for row in result.rows
    )
    footer = (Cell("All"), _count(result.overdue_total), Cell(None), _count(result.idle_total))
    return Table("discipline", "Follow-up discipline", headers, rows, footer)


def _rep_filters(data: Dashboard, rep_key: str) -> Filters:
    filters = data.filters
    return Filters(filters.date_from, filters.date_to, rep_key or "pool", filters.country, filters.source)


def _ago(now: datetime, then: datetime | None) -> str:
    if then is None:
        return ""
    days = (now - then) / timedelta(days=1)
    return f"{days:.0f} d ago" if days >= 1 else f"{days * 24:.0f} h ago"


TABLES: dict[str, tuple[str, Callable[[Dashboard], Table]]] = {
    "unanswered-by-reason": ("unanswered", unanswered_by_reason_table),
    "unanswered-by-rep": ("unanswered", unanswered_by_rep_table),
    "unanswered-by-country": ("unanswered", unanswered_by_country_table),
    "reply-rates-weekly": ("replies", weekly_replies_table),
    "reply-rates-by-rep": ("replies", replies_by_rep_table),
    "reply-rates-by-channel": ("replies", replies_by_channel_table),
    "channels-by-country": ("replies", channels_by_country_table),
    "funnel": ("funnel", funnel_table),
    "discipline": ("discipline", discipline_table),
}


# --- Charts --------------------------------------------------------------------------------------------------------


def _svg(markup: str) -> SafeString:
    # charts.py escapes every label and value it places in the markup.
    return mark_safe(markup)  # noqa: S308


def _rate_or_none(stats: use_case.ReplyStats) -> float | None:
    return None if stats.rate is None else stats.rate * 100


def present(data: Dashboard) -> dict[str, Any]:
    """Charts (safe SVG markup) and tables for the template, one entry per panel that was built."""
    context: dict[str, Any] = {}
    bucket_names = [BUCKET_LABELS[bucket] for bucket in BUCKETS]
    if data.unanswered is not None:
        result = data.unanswered
        filters = data.filters
        context["unanswered_charts"] = {
            "reason": _svg(
                charts.bar_chart(
                    "unanswered-reason",
                    "Unanswered leads by business days waited",
                    "Leads whose last message from us has no reply, by business days waited in the buyer's "
                    "calendar, stacked by likely reason.",
                    bucket_names,
                    [
                        charts.Series(
                            row.label,
                            tuple(float(count) for count in row.counts),
                            tuple(
                                use_case.unanswered_url(filters, waiting=b, reason=row.key) for b in BUCKETS
                            ),
                        )
                        for row in result.by_reason_bucket
                    ],
                    stacked=True,
                )
            ),
            "rep": _svg(
                _bucket_bars("unanswered-rep", "Unanswered leads by rep", result.by_rep[:TOP_ROWS_CHARTED])
            ),
            "country": _svg(
                _bucket_bars(
                    "unanswered-country", "Unanswered leads by country", result.by_country[:TOP_ROWS_CHARTED]
                )
            ),
        }
        waiting_week = sum(result.totals[BUCKETS.index(bucket)] for bucket in BUCKETS[2:])
        context["unanswered_kpis"] = {"week": waiting_week, "month": result.totals[-1]}
        context["unanswered_links"] = {
            "all": use_case.unanswered_url(filters),
            "week": use_case.unanswered_url(filters, waiting=f"{WaitBucket.DAYS_7}+"),
            "month": use_case.unanswered_url(filters, waiting=WaitBucket.DAYS_30),
        }
        context["unanswered_tables"] = [
            unanswered_by_reason_table(data),
            unanswered_by_rep_table(data),
            unanswered_by_country_table(data),
        ]
    if data.replies is not None:
        replies = data.replies
        weeks = [_week_label(monday) for monday in replies.weeks]
        rate_series = [charts.Series("All channels", tuple(_rate_or_none(s) for s in replies.weekly))]
        rate_series += [
            charts.Series(label, tuple(_rate_or_none(s) for s in per_week))
            for _, label, per_week in replies.weekly_by_channel[:CHANNELS_CHARTED]
        ]
        top_countries = replies.by_country[:COUNTRIES_CHARTED]
        top_channels = replies.channels[:CHANNELS_CHARTED]
        context["reply_charts"] = {
            "rate": _svg(
                charts.line_chart(
                    "reply-rate-weekly",
                    "Reply rate per week",
                    "Share of our messages sent each week that got a real reply, overall and per channel.",
                    weeks,
                    rate_series,
                    value_format="{:.0f}%",
                    y_max=100,
                )
            ),
            "latency": _svg(
                charts.line_chart(
                    "reply-time-weekly",
                    "Median time to reply per week (hours)",
                    "Median hours from our message to the first real reply, for messages sent each week.",
                    weeks,
                    [charts.Series("Median hours", tuple(s.median_reply_hours for s in replies.weekly))],
                    value_format="{:.0f} h",
                )
            ),
            "rep": _svg(
                charts.bar_chart(
                    "reply-rate-rep",
                    "Reply rate per rep",
                    "Share of each rep's messages in the period that got a real reply.",
                    [row.label for row in replies.by_rep[:TOP_ROWS_CHARTED]],
                    [
                        charts.Series(
                            "Reply rate",
                            tuple(_rate_or_none(row.stats) for row in replies.by_rep[:TOP_ROWS_CHARTED]),
                        )
                    ],
                    horizontal=True,
                    value_format="{:.0f}%",
                )
            ),
            "channel": _svg(
                charts.bar_chart(
                    "reply-rate-channel",
                    "Reply rate per channel",
                    "Share of our messages on each channel in the period that got a real reply.",
                    [row.label for row in replies.by_channel],
                    [
                        charts.Series(
                            "Reply rate", tuple(_rate_or_none(row.stats) for row in replies.by_channel)
                        )
                    ],
                    value_format="{:.0f}%",
                )
            ),
            "country": _svg(
                charts.bar_chart(
                    "reply-rate-country-channel",
                    "Reply rate by channel in the busiest countries",
                    "For the countries we wrote to most, the share of messages answered on each channel.",
                    [row.label for row in top_countries],
                    [
                        charts.Series(
                            use_case.channel_label(channel),
                            tuple(
                                _rate_or_none(row.channels.get(channel, use_case.ReplyStats()))
                                for row in top_countries
                            ),
                        )
                        for channel in top_channels
                    ],
                    horizontal=True,
                    value_format="{:.0f}%",
                    bar_px=12,
                    width=900,
                )
            ),
        }
        context["reply_kpis"] = {
            "rate": _percent(replies.total.rate).shown,
            "median": _hours(replies.total.median_reply_hours).shown if replies.total.replied else "",
        }
        context["country_matrix"] = {
            "channels": [(channel, use_case.channel_label(channel)) for channel in replies.channels],
            "rows": [
                (
                    row,
                    _percent(row.total.rate).shown,
                    [_matrix_cell(row.channels.get(channel)) for channel in replies.channels],
                )
                for row in replies.by_country
            ],
        }
        context["reply_tables"] = [
            weekly_replies_table(data),
            replies_by_rep_table(data),
            replies_by_channel_table(data),
        ]
        context["country_table"] = channels_by_country_table(data)
    if data.funnel is not None:
        result_funnel = data.funnel
        context["funnel_charts"] = {
            "funnel": _svg(
                charts.funnel_chart(
                    "funnel",
                    "Funnel, all sources",
                    "Leads received in the period and how many became genuine, qualified, contacted, replied, won.",
                    [charts.FunnelStep(label, value) for label, value in result_funnel.total.steps],
                )
            ),
            "fakes": _svg(
                charts.bar_chart(
                    "fake-share",
                    "Share of fakes per source",
                    "Of the leads received from each source in the period, the share judged fake.",
                    [row.label for row in result_funnel.rows],
                    [
                        charts.Series(
                            "Fake share",
                            tuple(
                                None if row.fake_share is None else row.fake_share * 100
                                for row in result_funnel.rows
                            ),
                        )
                    ],
                    value_format="{:.0f}%",
                )
            ),
        }
        context["funnel_table"] = funnel_table(data)
    if data.discipline is not None:
        rows = data.discipline.rows[:TOP_ROWS_CHARTED]
        context["discipline_chart"] = _svg(
            charts.bar_chart(
                "discipline",
                "Follow-up discipline per rep",
                f"Overdue open follow-ups and leads idle for more than {data.discipline.release_days} days, per rep.",
                [row.label for row in rows],
                [
                    charts.Series("Overdue follow-ups", tuple(float(row.overdue_tasks) for row in rows)),
                    charts.Series(
                        f"Idle > {data.discipline.release_days} days",
                        tuple(float(row.idle_leads) for row in rows),
                    ),
                ],
                horizontal=True,
                bar_px=12,
            )
        )
        context["discipline_table"] = discipline_table(data)
    return context


@dataclass(frozen=True, slots=True)
class MatrixCell:
    rate_text: str
    sent: int
    shade: str  # 0..1 as text, for the cell's background strength


def _matrix_cell(stats: use_case.ReplyStats | None) -> MatrixCell | None:
    if stats is None or not stats.sent:
        return None
    rate = stats.rate or 0.0
    return MatrixCell(_percent(rate).shown, stats.sent, f"{rate:.2f}")


def _bucket_bars(chart_id: str, title: str, rows: Sequence[use_case.BucketRow]) -> str:
    return charts.bar_chart(
        chart_id,
        title,
        f"{title}, stacked by business days waited in the buyer's calendar.",
        [row.label for row in rows],
        [
            charts.Series(BUCKET_LABELS[bucket], tuple(float(row.counts[index]) for row in rows))
            for index, bucket in enumerate(BUCKETS)
        ],
        stacked=True,
        horizontal=True,
    )
