"""Follow-up pages: "My follow-ups", one task with its message, and raising an urgent matter."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from channels_ref.catalogue import CATALOGUE, ChannelKind
from followups import messaging, nonresponse, queries, scheduler, urgent
from followups.forms import ComposeForm, FollowupFilterForm, SnoozeForm, UrgentForm
from followups.models import FollowUpTask, MessageTemplate, Offer
from leads import roles
from leads.models import Contact


@require_GET
@login_required
@vary_on_headers("HX-Request")
def my_followups(request: HttpRequest) -> HttpResponse:
    """A rep's open follow-ups: urgent on top, then overdue, due today, upcoming."""
    now = timezone.now()
    form = FollowupFilterForm(request.GET)
    sections = queries.my_followup_sections(request.user, now, form.category_value())
    rows = queries.task_rows([*sections.urgent, *sections.overdue, *sections.today, *sections.upcoming], now)
    by_id = {row.task.pk: row for row in rows}
    context = {
        "form": form,
        "now": now,
        "sections": [
            ("urgent", "Urgent", [by_id[task.pk] for task in sections.urgent]),
            ("overdue", "Overdue", [by_id[task.pk] for task in sections.overdue]),
            ("today", "Due today", [by_id[task.pk] for task in sections.today]),
            ("upcoming", "Upcoming", [by_id[task.pk] for task in sections.upcoming]),
        ],
        "urgent_rows": [by_id[task.pk] for task in sections.urgent],
        "count": sections.count,
        "snooze_form": SnoozeForm(),
    }
    template = "followups/my_followups.html"
    if request.htmx and not request.htmx.history_restore_request:
        template = "followups/partials/followup_sections.html"
    return render(request, template, context)


@require_GET
@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: why the lead is silent, every channel with its link, the message to send."""
    task = get_object_or_404(queries.tasks_for(request.user), pk=pk)
    return render(request, "followups/task_detail.html", _task_context(task, _compose_form(task)))


@require_GET
@login_required
def compose(request: HttpRequest, pk: int) -> HttpResponse:
    """The message panel for another channel, template or offer: the text rendered for the contact."""
    task = get_object_or_404(queries.tasks_for(request.user), pk=pk)
    return render(
        request, "followups/partials/compose.html", _task_context(task, _compose_form(task, request.GET))
    )


@require_POST
@login_required
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Email the message, or log a chat message the rep sent from the click-to-chat link; close the task."""
    task = get_object_or_404(queries.tasks_for(request.user), pk=pk)
    compose = _compose_form(task, data=request.POST)
    form = compose.form
    if form.is_valid():
        data = form.cleaned_data
        try:
            if form.channel_kind is ChannelKind.EMAIL:
                messaging.send_email(
                    task, request.user, data["subject"], data["body"], data["offer"], data["template"]
                )
                messages.success(request, f"Email sent to {task.contact or task.lead.contact}.")
            else:
                messaging.mark_sent(
                    task, request.user, form.channel_kind, data["body"], data["offer"], data["template"]
                )
                messages.success(request, f"{CATALOGUE[form.channel_kind].label} message logged as sent.")
        except messaging.MessagingError as error:
            form.add_error(None, str(error))
        else:
            if request.htmx:
                return HttpResponseClientRedirect(reverse("followups:mine"))
            return redirect("followups:mine")
    context = _task_context(task, compose)
    template = "followups/partials/compose.html" if request.htmx else "followups/task_detail.html"
    return render(request, template, context)


@require_POST
@login_required
def attach_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach the chosen offer to the follow-up (or none), so the board and the list show its countdown."""
    task = get_object_or_404(queries.tasks_for(request.user), pk=pk)
    compose = _compose_form(task, data=request.POST)
    chosen = request.POST.get("offer", "")
    offer = _offer_choice(compose.form, chosen)
    try:
        if chosen and offer is None:
            raise messaging.MessagingError("That offer has expired or is not for this contact's language.")
        messaging.attach_offer(task, offer)
    except messaging.MessagingError as error:
        compose.form.add_error(None, str(error))
    else:
        messages.success(request, f"Offer “{offer.title}” attached." if offer else "Offer removed.")
        if not request.htmx:
            return redirect("followups:task", pk=task.pk)
        params = QueryDict(mutable=True)
        params["channel"] = request.POST.get("channel", "")
        compose = _compose_form(task, params)
    template = "followups/partials/compose.html" if request.htmx else "followups/task_detail.html"
    return render(request, template, _task_context(task, compose))


@require_POST
@login_required
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(queries.tasks_for(request.user), pk=pk)
    if not scheduler.close_task(task, FollowUpTask.Status.DONE):
        messages.info(request, f"This follow-up was already {task.get_status_display().lower()}.")
    return _after_task_action(request, task)


@require_POST
@login_required
def skip(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(queries.tasks_for(request.user), pk=pk)
    if not scheduler.close_task(task, FollowUpTask.Status.SKIPPED):
        messages.info(request, f"This follow-up was already {task.get_status_display().lower()}.")
    return _after_task_action(request, task)


@require_POST
@login_required
def snooze(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(queries.tasks_for(request.user), pk=pk)
    form = SnoozeForm(request.POST)
    if form.is_valid() and not scheduler.snooze_task(task, form.cleaned_data["until"]):
        messages.info(request, f"This follow-up was already {task.get_status_display().lower()}.")
    elif not form.is_valid():
        messages.error(request, "Choose how long to snooze.")
    return _after_task_action(request, task)


@require_http_methods(["GET", "POST"])
@login_required
def raise_urgent(request: HttpRequest, lead_pk: int) -> HttpResponse:
    """Raise an urgent matter on a lead the user may change: a task due now, the owner emailed at once."""
    lead = get_object_or_404(
        roles.editable_leads(request.user).select_related("company", "contact"), pk=lead_pk
    )
    contacts = Contact.objects.filter(company_id=lead.company_id).order_by("-is_emergency_contact", "pk")
    form = UrgentForm(request.POST or None, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        try:
            task = urgent.raise_urgent(
                lead, request.user, form.cleaned_data["matter"], form.cleaned_data["contact"]
            )
        except urgent.UrgentError as error:
            form.add_error(None, str(error))
        else:
            url = request.build_absolute_uri(reverse("followups:task", args=[task.pk]))
            notification = urgent.notify_owner(task, url)
            level = messages.SUCCESS if notification.is_sent else messages.WARNING
            messages.add_message(request, level, f"Urgent task created; owner {notification.detail}.")
            return redirect("followups:task", pk=task.pk)
    return render(
        request,
        "followups/urgent_form.html",
        {"lead": lead, "form": form, "cards": urgent.contact_cards(lead)},
    )


@dataclass
class _Compose:
    form: ComposeForm
    problem: str = ""  # the chosen template cannot be filled in as it stands
    empty_placeholders: tuple[str, ...] = ()


def _compose_form(
    task: FollowUpTask, params: QueryDict | None = None, data: QueryDict | None = None
) -> _Compose:
    """The message form for the task's contact; unless posted, the chosen template filled in for them."""
    options = messaging.compose_options(task)
    params = data if data is not None else (params or QueryDict())
    channel = params.get("channel") or (options.channels[0].value if options.channels else "")
    templates = queries.templates_for(channel, options.language)
    choices = {"channels": options.channels, "templates": templates, "offers": options.offers}
    if data is not None:
        return _Compose(ComposeForm(data, **choices))
    template = _pick(templates, params.get("template")) or templates.first()
    offer_id = params.get("offer") if "offer" in params else task.offer_id
    offer = next((offer for offer in options.offers if str(offer.pk) == str(offer_id)), None)
    initial: dict[str, object] = {"channel": channel, "template": template, "offer": offer}
    if template is None:
        return _Compose(ComposeForm(initial=initial, **choices))
    filled = messaging.preview(task, template, offer, task.assignee)
    initial |= {"subject": filled.subject, "body": filled.body}
    return _Compose(ComposeForm(initial=initial, **choices), filled.problem, filled.empty_placeholders)


def _offer_choice(form: ComposeForm, value: str) -> Offer | None:
    """The offer picked among the form's choices (valid ones and the task's own), or None."""
    return next((offer for offer in form.fields["offer"].queryset if str(offer.pk) == value), None)


def _pick(templates: QuerySet[MessageTemplate], value: str | None) -> MessageTemplate | None:
    return templates.filter(pk=int(value)).first() if value and value.isdigit() else None


def _task_context(task: FollowUpTask, compose: _Compose) -> dict[str, object]:
    now = timezone.now()
    (row,) = queries.task_rows([task], now)
    form = compose.form
    channel = _kind(form["channel"].value() or task.channel)
    offer = _offer_choice(form, str(form["offer"].value() or ""))
    chat_link = None
    if row.contact and channel and channel is not ChannelKind.EMAIL:
        chat_link = messaging.chat_link_for(row.contact, channel, form["body"].value() or "")
    history = row.silence.history if row.silence else None
    return {
        "task": task,
        "row": row,
        "compose": compose,
        "form": form,
        "now": now,
        "channel": channel,
        "chat_link": chat_link,
        "offer_problem": messaging.offer_problem(offer, row.contact, now),
        "ask_for": nonresponse.ask_for(row.contact, history) if row.contact else [],
        "cards": urgent.contact_cards(task.lead, now) if task.is_urgent else [],
        "snooze_form": SnoozeForm(),
        "is_email": channel is ChannelKind.EMAIL,
    }


def _kind(value: object) -> ChannelKind | None:
    try:
        return ChannelKind(str(value))
    except ValueError:
        return None


def _after_task_action(request: HttpRequest, task: FollowUpTask) -> HttpResponse:
    """htmx: the task's row in its new state; a plain form post: back to where the rep came from."""
    if request.htmx:
        (row,) = queries.task_rows([task], timezone.now())
        context = {"row": row, "snooze_form": SnoozeForm()}
        return render(request, "followups/partials/task_row.html", context)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("followups:mine")
