"""The triage board, the lead page and the new-inquiry form.

Every view starts from `roles.visible_leads` or `roles.editable_leads`, so a fragment fetched on its own
is as safe as the page. htmx requests get the fragment, plain requests the page or a redirect.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from channels_ref.catalogue import ChannelKind, NormalizedHandle, chat_link, normalize_handle
from channels_ref.models import CHANNEL_CHOICES
from followups import activities, waiting
from followups.models import Activity
from leads import board, intake, pool, qualification, queries, roles
from leads import owners as owner_filters
from leads.forms import (
    ActivityForm,
    AssignForm,
    BoardFilterForm,
    BulkRecheckForm,
    InquiryForm,
    JunkForm,
    MoveForm,
    NoteForm,
    SnoozeForm,
)
from leads.models import (
    Authenticity,
    BackgroundJob,
    CheckStatus,
    Contact,
    CustomerCategory,
    EmailVerdict,
    Lead,
    Source,
    Stage,
    WebsiteVerdict,
)

LABELS = board.Labels(
    stage=dict(Stage.choices),
    source=dict(Source.choices),
    email_verdict=dict(EmailVerdict.choices),
    website_verdict=dict(WebsiteVerdict.choices),
    authenticity=dict(Authenticity.choices),
    channel=dict(CHANNEL_CHOICES),
    customer_category=dict(CustomerCategory.choices),
)
# A bulk re-check of "everything in this filter" takes the newest leads up to this many.
BULK_RECHECK_LIMIT = 500
ACTIVE_JOB_SESSION_KEY = "leads_recheck_job"


def _viewer(request: HttpRequest) -> board.Viewer:
    return board.Viewer(id=request.user.pk, is_manager=roles.is_manager(request.user))


# A card has a handful of links; reversing each of them for every card is the costliest part of a
# board render, so each route is reversed once with a placeholder id and filled in per card.
_PLACEHOLDER_ID = 987654321
CARD_ROUTES = ("detail", "card", "claim", "recheck", "actions")


@functools.cache
def _route_template(name: str) -> str:
    return reverse(f"leads:{name}", kwargs={"pk": _PLACEHOLDER_ID}).replace(str(_PLACEHOLDER_ID), "{pk}")


def _card_urls(lead_id: int) -> dict[str, str]:
    return {name: _route_template(name).format(pk=lead_id) for name in CARD_ROUTES}


def _cards(request: HttpRequest, ids: Iterable[int]) -> list[board.Card]:
    ids = list(ids)
    rows = queries.card_rows(ids)
    now = timezone.now()
    viewer = _viewer(request)
    tz = timezone.get_current_timezone()
    return [
        board.card_from_row(rows[pk], now, viewer, LABELS, tz=tz, urls=_card_urls(pk))
        for pk in ids
        if pk in rows
    ]


def _owner_options(request: HttpRequest) -> owner_filters.OwnerOptions:
    """Reps and teams a manager may filter by or assign to (one query); none for a rep."""
    if not roles.is_manager(request.user):
        return owner_filters.OwnerOptions(people=[], teams=[])
    return owner_filters.owner_options()


def _filter_form(
    request: HttpRequest, data: Any, options: owner_filters.OwnerOptions | None = None
) -> BoardFilterForm:
    """The board's filters; managers may narrow to one rep or one sales team, reps to theirs or the pool."""
    options = options or _owner_options(request)
    return BoardFilterForm(data, owners=options.people, teams=options.teams)


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """`render`, with the CSRF field made once: `{% csrf_token %}` in every card costs more than the card."""
    field = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
    return render(request, template, {**context, "csrf_input": field})


def _is_htmx_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


# --- Board ----------------------------------------------------------------------------


@require_GET
@login_required
@vary_on_headers("HX-Request")
def board_page(request: HttpRequest) -> HttpResponse:
    """The board: one column per stage, each paginated on its own; filters live in the URL."""
    options = _owner_options(request)
    form = _filter_form(request, request.GET, options)
    filters = form.filters()
    now = timezone.now()
    matches = queries.matching_leads(request.user, filters, now)
    cursor = board.decode_cursor(request.GET.get("after", ""))
    if filters.stage and cursor:
        pages = {filters.stage: queries.column_page(matches, filters.stage, filters.per_page, cursor)}
    else:
        pages = queries.board_columns(matches, filters)
    cards = _cards(request, [pk for page in pages.values() for pk in page.ids])
    by_id = {card.id: card for card in cards}
    columns = [
        {
            "stage": stage,
            "label": LABELS.stage[stage],
            "page": page,
            "cards": [by_id[pk] for pk in page.ids if pk in by_id],
        }
        for stage, page in pages.items()
    ]
    context = {
        "form": form,
        "filters": filters,
        "columns": columns,
        "query": _filter_query(request),
        "is_filtered": filters.thins_out or bool(filters.owner or filters.stage),
        "per_page": str(filters.per_page),
        "country_options": _country_options(filters.country),
        "drilldown": _drilldown(request, filters),
    }
    if _is_htmx_fragment(request) and request.htmx.target == "board":
        return _render(request, "leads/partials/board_columns.html", context)
    context["job"] = _active_job(request)
    context["owners"] = options.people
    return _render(request, "leads/board.html", context)


def _drilldown(request: HttpRequest, filters: queries.BoardFilters) -> dict[str, str] | None:
    """The dashboard filter the board was opened with (not in the filter bar), and how to drop it."""
    if not (filters.waiting or filters.silence):
        return None
    waited = "" if filters.waiting == waiting.WAITING_ALL else filters.waiting
    labels = [
        waited and f"waiting {waiting.WAITING_FILTER_LABELS[waited]}",
        waiting.REASON_LABELS.get(filters.silence, ""),
    ]
    query = request.GET.copy()
    for name in ("waiting", "silence", "after"):
        query.pop(name, None)
    return {
        "label": ", ".join(["Unanswered", *(label for label in labels if label)]),
        "clear_url": f"{reverse('leads:board')}?{query.urlencode()}",
    }


@functools.lru_cache(maxsize=512)
def _country_options(selected: str) -> str:
    """The country filter's 250 <option>s, made once per selected value instead of on every board render."""
    options = [("", "Any"), *board.COUNTRY_NAMES.items()]
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((code, mark_safe(" selected") if code == selected else "", name) for code, name in options),
    )


def _filter_query(request: HttpRequest) -> str:
    """The filter part of the query string, for "load more" links and bulk actions."""
    query = request.GET.copy()
    query.pop("after", None)
    return query.urlencode()


@require_GET
@login_required
@vary_on_headers("HX-Request")
def board_column(request: HttpRequest, stage: str) -> HttpResponse:
    """The next page of one column after a cursor ("load more")."""
    if stage not in Stage.values:
        raise Http404("No such column")
    if not _is_htmx_fragment(request):
        query = request.GET.copy()
        query["stage"] = stage
        return redirect(f"{reverse('leads:board')}?{query.urlencode()}")
    filters = _filter_form(request, request.GET).filters()
    matches = queries.matching_leads(request.user, filters, timezone.now())
    page = queries.column_page(
        matches, stage, filters.per_page, board.decode_cursor(request.GET.get("after", ""))
    )
    column = {"stage": stage, "label": LABELS.stage[stage], "page": page, "cards": _cards(request, page.ids)}
    return _render(
        request, "leads/partials/column_cards.html", {"column": column, "query": _filter_query(request)}
    )


# --- One card: polling, the actions menu, and the actions -------------------------------


@require_GET
@login_required
@vary_on_headers("HX-Request")
def lead_card(request: HttpRequest, pk: int) -> HttpResponse:
    """One card, fresh; a card that polls while its check runs stops once the check is done."""
    lead = get_object_or_404(roles.visible_leads(request.user).only("pk", "stage"), pk=pk)
    if not _is_htmx_fragment(request):
        return redirect("leads:detail", pk=lead.pk)
    return _card_fragment(request, lead.pk, column=request.GET.get("column", ""))


def _card_fragment(request: HttpRequest, lead_id: int, column: str = "", toast: str = "") -> HttpResponse:
    cards = (
        _cards(request, [lead_id]) if roles.visible_leads(request.user).filter(pk=lead_id).exists() else []
    )
    card = cards[0] if cards else None
    context: dict[str, Any] = {"card": card, "toast": toast}
    if card is None or card.snoozed_until:
        template = "leads/partials/card_removed.html"
    elif column and column in Stage.values and card.stage != column:
        template = "leads/partials/card_moved.html"
    else:
        template = "leads/partials/card_updated.html"
    return _render(request, template, context)


@require_GET
@login_required
def lead_actions(request: HttpRequest, pk: int) -> HttpResponse:
    """The card's action menu, fetched when it opens so the board stays light."""
    lead = get_object_or_404(roles.visible_leads(request.user).select_related("owner"), pk=pk)
    if not _is_htmx_fragment(request):
        return redirect("leads:detail", pk=lead.pk)
    return _render(request, "leads/partials/card_menu.html", _action_context(request, lead))


def _action_context(request: HttpRequest, lead: Lead) -> dict[str, Any]:
    is_manager = roles.is_manager(request.user)
    can_edit = is_manager or lead.owner_id == request.user.pk
    return {
        "lead": lead,
        "can_edit": can_edit,
        "is_manager": is_manager,
        "stages": [(value, label) for value, label in Stage.choices if value not in (lead.stage, Stage.JUNK)],
        "snooze_choices": SnoozeForm.base_fields["days"].choices,
        "assignees": _owner_options(request).people if is_manager else [],
        "fragment": request.GET.get("fragment", "card"),
        "column": lead.stage,
    }


def _after_action(
    request: HttpRequest, lead_id: int, message: str, *, is_error: bool = False
) -> HttpResponse:
    """The fresh fragment for htmx (card on the board, header on the lead page); a redirect otherwise."""
    if not _is_htmx_fragment(request):
        (messages.error if is_error else messages.success)(request, message)
        # Back where the form was (the board, the lead page), if that is this site.
        target = request.POST.get("next") or request.headers.get("Referer", "")
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return redirect(target)
        if roles.visible_leads(request.user).filter(pk=lead_id).exists():
            return redirect("leads:detail", pk=lead_id)
        return redirect("leads:board")
    if request.POST.get("fragment") == "header":
        lead = roles.visible_leads(request.user).filter(pk=lead_id).first()
        if lead is None:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("leads:board")
            return response
        return _header_fragment(request, lead_id, toast=message)
    return _card_fragment(request, lead_id, column=request.POST.get("column", ""), toast=message)


@require_POST
@login_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a pool lead; only pool leads can be claimed, and only up to the claim limit."""
    lead = get_object_or_404(roles.visible_leads(request.user).filter(owner__isnull=True), pk=pk)
    outcome = pool.claim(lead.pk, request.user)
    text = {
        pool.ClaimOutcome.CLAIMED: "Claimed: the lead is yours.",
        pool.ClaimOutcome.TAKEN: "Someone else claimed it a moment ago.",
        pool.ClaimOutcome.LIMIT_REACHED: (
            f"You hold {settings.LEADS_CLAIM_LIMIT} open leads, the most allowed: close or release some first."
        ),
    }[outcome]
    return _after_action(request, lead.pk, text, is_error=outcome != pool.ClaimOutcome.CLAIMED)


@require_POST
@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a lead to a rep (managers only)."""
    if not roles.is_manager(request.user):
        raise Http404("Only managers assign leads")
    lead = get_object_or_404(roles.editable_leads(request.user), pk=pk)
    form = AssignForm(request.POST, assignees=owner_filters.assignable_users())
    if not form.is_valid():
        return _after_action(request, lead.pk, "Pick someone to assign it to.", is_error=True)
    assignee = form.cleaned_data["assignee"]
    pool.assign(lead.pk, assignee)
    return _after_action(request, lead.pk, f"Assigned to {assignee.get_full_name() or assignee.username}.")


@require_POST
@login_required
def release(request: HttpRequest, pk: int) -> HttpResponse:
    """Put one's own lead (or, for managers, any lead) back in the pool."""
    lead = get_object_or_404(roles.editable_leads(request.user).filter(owner__isnull=False), pk=pk)
    pool.release(lead.pk)
    return _after_action(request, lead.pk, "Released to the pool.")


@require_POST
@login_required
def move(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(roles.editable_leads(request.user), pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _after_action(request, lead.pk, "Pick a stage to move it to.", is_error=True)
    stage = form.cleaned_data["stage"]
    Lead.objects.filter(pk=lead.pk).update(stage=stage, junk_reason="", updated_at=timezone.now())
    return _after_action(request, lead.pk, f"Moved to {LABELS.stage[stage]}.")


@require_POST
@login_required
def junk(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(roles.editable_leads(request.user), pk=pk)
    form = JunkForm(request.POST)
    if not form.is_valid():
        return _after_action(request, lead.pk, "Say why it is junk.", is_error=True)
    Lead.objects.filter(pk=lead.pk).update(
        stage=Stage.JUNK, junk_reason=form.cleaned_data["reason"], updated_at=timezone.now()
    )
    return _after_action(request, lead.pk, "Marked as junk.")


@require_POST
@login_required
def snooze(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide a lead from the board until a later day (or wake it up now)."""
    lead = get_object_or_404(roles.editable_leads(request.user), pk=pk)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        return _after_action(request, lead.pk, "Pick how long to snooze it.", is_error=True)
    until = form.until(timezone.now())
    Lead.objects.filter(pk=lead.pk).update(snoozed_until=until, updated_at=timezone.now())
    text = f"Snoozed until {timezone.localtime(until):%a %d %b}." if until else "Back on the board."
    return _after_action(request, lead.pk, text)


@require_POST
@login_required
def recheck(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(roles.editable_leads(request.user), pk=pk)
    qualification.request_check(lead)
    return _after_action(request, lead.pk, "Re-check queued.")


# --- Bulk re-check ----------------------------------------------------------------------


@require_POST
@login_required
def bulk_recheck(request: HttpRequest) -> HttpResponse:
    """Re-check the selected cards, or every lead in the current filter the user may change."""
    form = BulkRecheckForm(request.POST)
    if not form.is_valid():
        return _job_response(request, None, error=" ".join(form.non_field_errors()) or "Nothing to re-check.")
    editable = roles.editable_leads(request.user)
    if form.cleaned_data["scope"] == "selected":
        leads = editable.filter(pk__in=form.cleaned_data["lead"])
    else:
        filters = _filter_form(request, request.POST).filters()
        matches = queries.matching_leads(request.user, filters, timezone.now())
        leads = editable.filter(pk__in=matches.leads.values("pk"))
    lead_ids = list(leads.order_by("-received_at", "id").values_list("pk", flat=True)[:BULK_RECHECK_LIMIT])
    if not lead_ids:
        return _job_response(request, None, error="None of these leads are yours to re-check.")
    job = _start_recheck(request.user, lead_ids)
    request.session[ACTIVE_JOB_SESSION_KEY] = job.pk
    response = _job_response(request, job)
    return trigger_client_event(response, "board-refresh") if _is_htmx_fragment(request) else response


def _start_recheck(user: Any, lead_ids: list[int]) -> BackgroundJob:
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            kind=BackgroundJob.Kind.RECHECK,
            status=BackgroundJob.Status.RUNNING,
            created_by=user,
            total=len(lead_ids),
        )
        for lead in Lead.objects.filter(pk__in=lead_ids).only("pk"):
            qualification.request_check(lead, job=job)
    return job


def _job_response(request: HttpRequest, job: BackgroundJob | None, error: str = "") -> HttpResponse:
    if not _is_htmx_fragment(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"Re-checking {job.total} leads.")  # type: ignore[union-attr]
        return redirect(f"{reverse('leads:board')}?{request.POST.get('query', '')}".rstrip("?"))
    return _render(request, "leads/partials/job_progress.html", {"job": job, "error": error})


def _active_job(request: HttpRequest) -> BackgroundJob | None:
    job_id = request.session.get(ACTIVE_JOB_SESSION_KEY)
    if not job_id:
        return None
    job = queries.job_for_user(request.user).filter(pk=job_id).first()
    if job is None or job.status == BackgroundJob.Status.DONE:
        request.session.pop(ACTIVE_JOB_SESSION_KEY, None)
        return None
    _sync_progress(job)
    return job


def _sync_progress(job: BackgroundJob) -> None:
    """Progress is counted from the leads' own check state; the job row catches up when someone looks."""
    done = max(0, job.total - queries.unfinished_checks(job))
    if done != job.done or (done >= job.total and job.status != BackgroundJob.Status.DONE):
        job.done = done
        fields = ["done"]
        if done >= job.total:
            job.status = BackgroundJob.Status.DONE
            job.finished_at = timezone.now()
            fields += ["status", "finished_at"]
        BackgroundJob.objects.filter(pk=job.pk).update(**{name: getattr(job, name) for name in fields})


@require_GET
@login_required
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(queries.job_for_user(request.user), pk=job_id)
    _sync_progress(job)
    if job.status == BackgroundJob.Status.DONE and request.session.get(ACTIVE_JOB_SESSION_KEY) == job.pk:
        request.session.pop(ACTIVE_JOB_SESSION_KEY, None)
    if not _is_htmx_fragment(request):
        return redirect("leads:board")
    response = _render(request, "leads/partials/job_progress.html", {"job": job})
    if job.status == BackgroundJob.Status.DONE:
        response = trigger_client_event(response, "board-refresh")
    return response


# --- Lead page ----------------------------------------------------------------------------


@require_GET
@login_required
@vary_on_headers("HX-Request")
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(queries.lead_for_user(request.user), pk=pk)
    context = {
        **_header_context(request, lead),
        **_checks_context(lead),
        **_activity_context(lead, ActivityForm()),
        **_notes_context(lead, NoteForm()),
        "contacts": _contact_cards(lead),
        "followups": queries.followups_of(lead),
        "now": timezone.now(),
    }
    return _render(request, "leads/lead_detail.html", context)


def _header_context(request: HttpRequest, lead: Lead) -> dict[str, Any]:
    card = _cards(request, [lead.pk])[0]
    actions = _action_context(request, lead)
    return {
        "lead": lead,
        "card": card,
        **actions,
        "fragment": "header",
        "can_log": actions["can_edit"],
        "website_href": board.web_href(lead.company.website),
        "final_url_href": board.web_href(lead.company.website_final_url),
    }


def _header_fragment(request: HttpRequest, lead_id: int, toast: str = "") -> HttpResponse:
    lead = get_object_or_404(queries.lead_for_user(request.user), pk=lead_id)
    return render(
        request, "leads/partials/lead_header.html", {**_header_context(request, lead), "toast": toast}
    )


def _checks_context(lead: Lead) -> dict[str, Any]:
    company = lead.company
    contact = lead.contact
    evidence = company.fit_evidence if isinstance(company.fit_evidence, dict) else {}
    return {
        "is_checking": lead.check_status in (CheckStatus.PENDING, CheckStatus.RUNNING),
        "email_reasons": _reasons(contact.email_reasons if contact else []),
        "website_reasons": _reasons(company.website_reasons),
        "authenticity_reasons": _reasons(lead.authenticity_reasons),
        "fit": _fit_explanation(evidence),
    }


def _reasons(codes: Any) -> list[tuple[str, str]]:
    if not isinstance(codes, list | tuple):
        return []
    return [(str(code), board.reason_text(str(code))) for code in codes]


def _fit_explanation(evidence: dict[str, Any]) -> dict[str, list[str]]:
    """Whatever the scoring engine stored, as lists of plain strings; unknown shapes are shown as text."""

    def strings(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list | tuple):
            return []
        return [_evidence_item(item) for item in value]

    return {
        "industries": strings(evidence.get("industries")),
        "matches": strings(evidence.get("matches")),
        "explanation": strings(evidence.get("explanation")),
    }


def _evidence_item(item: Any) -> str:
    """One industry or matched term as a short line: "UV sterilizer ×4 · en", "Aquaculture (70)"."""
    if not isinstance(item, dict):
        return str(item)
    name = item.get("name") or item.get("industry") or item.get("term") or item.get("slug")
    if not name:
        return ", ".join(f"{key}: {value}" for key, value in item.items())
    text = str(name)
    if item.get("count") not in (None, ""):
        text += f" ×{item['count']}"
    if item.get("score") not in (None, ""):
        text += f" ({item['score']})"
    if item.get("language"):
        text += f" · {item['language']}"
    return text


@require_GET
@login_required
def lead_checks(request: HttpRequest, pk: int) -> HttpResponse:
    """The verification panel; it polls while the check runs and refreshes the header when done."""
    lead = get_object_or_404(queries.lead_for_user(request.user), pk=pk)
    if not _is_htmx_fragment(request):
        return redirect("leads:detail", pk=lead.pk)
    checks = _checks_context(lead)
    # Once the check is over, the header (stage, badges) is refreshed out of band with the panel.
    context = {**_header_context(request, lead), **checks, "refresh_header": not checks["is_checking"]}
    return _render(request, "leads/partials/lead_checks.html", context)


def _activity_context(lead: Lead, form: ActivityForm) -> dict[str, Any]:
    return {"activity_form": form, "timeline": queries.timeline_of(lead)}


def _notes_context(lead: Lead, form: NoteForm) -> dict[str, Any]:
    return {"note_form": form, "notes": queries.notes_of(lead)}


@require_POST
@login_required
def log_message(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a message we sent or a reply we received; the stage and reply clock follow."""
    lead = get_object_or_404(roles.editable_leads(request.user).select_related("company", "contact"), pk=pk)
    form = ActivityForm(request.POST)
    if not form.is_valid():
        if not _is_htmx_fragment(request):
            messages.error(request, "The message was not logged: " + "; ".join(_errors(form)))
            return redirect("leads:detail", pk=lead.pk)
        context = {"lead": lead, "can_log": True, **_activity_context(lead, form)}
        return _render(request, "leads/partials/lead_activity.html", context)
    data = form.cleaned_data
    activities.log_activity(
        lead,
        request.user,
        data["direction"],
        data["channel"],
        data["subject"],
        data["body"],
        data["occurred_at"],
        is_auto_reply=data["is_auto_reply"] and data["direction"] == Activity.Direction.INBOUND,
    )
    if not _is_htmx_fragment(request):
        messages.success(request, "Logged.")
        return redirect("leads:detail", pk=lead.pk)
    # The stage and the reply clock may have moved: the header is refreshed out of band.
    context = {
        **_header_context(request, lead),
        **_activity_context(lead, ActivityForm()),
        "refresh_header": True,
        "toast": "Logged.",
    }
    return _render(request, "leads/partials/lead_activity.html", context)


@require_POST
@login_required
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(roles.editable_leads(request.user), pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        activities.log_activity(
            lead,
            request.user,
            Activity.Direction.INTERNAL,
            body=form.cleaned_data["body"],
            kind=Activity.Kind.NOTE,
        )
        form = NoteForm()
    if not _is_htmx_fragment(request):
        if form.errors:
            messages.error(request, "The note was not saved: " + "; ".join(_errors(form)))
        return redirect("leads:detail", pk=lead.pk)
    context = {"lead": lead, "can_log": True, **_notes_context(lead, form)}
    return _render(request, "leads/partials/lead_notes.html", context)


def _errors(form: Any) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def _contact_cards(lead: Lead) -> list[dict[str, Any]]:
    """Each contact with every channel as a safe click-to-chat link (or plain text where none exists)."""
    now = timezone.now()
    cards = []
    for contact in queries.contacts_of(lead):
        country = contact.country or lead.company.country
        local = board.local_day(
            now,
            country,
            lead.company.subdivision if country == lead.company.country else "",
            contact.time_zone,
            contact.vacation_from,
            contact.vacation_until,
        )
        cards.append(
            {
                "contact": contact,
                "is_lead_contact": contact.pk == lead.contact_id,
                "local": local,
                "flag": board.flag(country),
                "country_name": board.country_name(country),
                "channels": [_channel_link(contact, channel) for channel in contact.channels.all()],
            }
        )
    return cards


def _channel_link(contact: Contact, channel: Any) -> dict[str, Any]:
    link = None
    try:
        kind = ChannelKind(channel.kind)
    except ValueError:
        kind = None
    if kind is not None:
        handle = normalize_handle(kind, channel.normalized, contact.country or None)
        if isinstance(handle, NormalizedHandle):
            link = chat_link(handle)
    return {
        "label": LABELS.channel.get(channel.kind, channel.kind),
        "kind": channel.kind,
        "value": channel.normalized or channel.value,
        "link": link,
        "is_preferred": channel.is_preferred,
    }


# --- New inquiry ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def new_inquiry(request: HttpRequest) -> HttpResponse:
    """Enter an inquiry by hand; a known email, phone or domain is shown before a second copy is made."""
    form = InquiryForm(request.POST or None)
    duplicates: list[Lead] = []
    hidden_duplicates = 0
    if request.method == "POST" and form.is_valid():
        data = form.inquiry(timezone.now())
        found = intake.existing_leads(data)
        visible_ids = set(
            roles.visible_leads(request.user)
            .filter(pk__in=[lead.pk for lead in found])
            .values_list("pk", flat=True)
        )
        duplicates = [lead for lead in found if lead.pk in visible_ids]
        hidden_duplicates = len(found) - len(duplicates)
        if not found or form.cleaned_data["add_anyway"]:
            owner = None if form.cleaned_data["to_pool"] else request.user
            result = intake.register_inquiry(data, owner=owner)
            text = "Inquiry added" + (
                f" to {result.company}" if result.outcome != intake.Outcome.CREATED else ""
            )
            if result.problems:
                text += " (not kept: " + "; ".join(result.problems) + ")"
            messages.success(request, text + ".")
            if roles.visible_leads(request.user).filter(pk=result.lead.pk).exists():
                return redirect("leads:detail", pk=result.lead.pk)
            return redirect("leads:board")
    context = {"form": form, "duplicates": duplicates, "hidden_duplicates": hidden_duplicates}
    template = "leads/lead_new.html"
    if _is_htmx_fragment(request):
        template = "leads/partials/inquiry_form.html"
    return _render(request, template, context)
