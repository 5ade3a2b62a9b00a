"""Shared querysets for follow-ups: always start from what the user may see and do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from followups import nonresponse
from followups.models import FollowUpTask, MessageTemplate, Offer
from followups.timing import is_business_time, local_time
from leads import roles
from leads.models import Contact, CustomerCategory

UPCOMING_DAYS = 14  # "My follow-ups" looks this far ahead
MAX_LISTED = 500  # a rep with more open tasks than this has a bigger problem than paging
PROSPECT = "prospect"  # the filter token for leads with no customer category


def awaiting_reply() -> Q:
    """Open leads whose last message from us has no real answer yet (auto-replies do not count)."""
    return (
        Q(last_outbound_at__isnull=False)
        & (Q(last_inbound_at__isnull=True) | Q(last_inbound_at__lt=F("last_outbound_at")))
        & ~Q(stage__in=nonresponse.FINISHED_STAGES)
    )


def open_followups_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[FollowUpTask]:
    """Open tasks assigned to the user on leads they may see, urgent first, then oldest due (overdue on top)."""
    visible = roles.visible_leads(user)
    return (
        FollowUpTask.objects.filter(status=FollowUpTask.Status.OPEN, assignee_id=user.pk, lead__in=visible)
        .select_related("lead__company", "lead__contact__company", "contact__company", "offer")
        .order_by("-is_urgent", "due_at", "id")
    )


def task_rows(tasks: Sequence[FollowUpTask], now: datetime) -> list[TaskRow]:
    """Each task with why its lead is silent, the contact's local time and channels: three queries in all."""
    leads = {task.lead_id: task.lead for task in tasks}
    silences = nonresponse.silences_for_leads(list(leads.values()), now)
    contacts = {}
    for task in tasks:
        contact = task.contact or task.lead.contact
        if contact is not None:
            contacts[contact.pk] = contact
    histories = {
        silence.history_contact_id: silence.history
        for silence in silences.values()
        if silence.history_contact_id
    }
    links = nonresponse.links_for_contacts(list(contacts.values()), histories)
    rows = []
    for task in tasks:
        contact = task.contact or task.lead.contact
        cal = nonresponse.calendar_for_contact(contact) if contact else None
        rows.append(
            TaskRow(
                task=task,
                contact=contact,
                silence=silences.get(task.lead_id),
                channels=links.get(contact.pk, []) if contact else [],
                local_now=local_time(now, cal) if cal else None,
                due_local=local_time(task.due_at, cal) if cal else None,
                is_business_time=is_business_time(now, cal) if cal else True,
                is_overdue=task.status == FollowUpTask.Status.OPEN and task.due_at < now,
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class TaskRow:
    task: FollowUpTask
    contact: Contact | None
    silence: nonresponse.LeadSilence | None
    channels: list[nonresponse.ChannelLink]
    local_now: datetime | None  # the contact's wall clock now
    due_local: datetime | None  # when the task is due, on the contact's wall clock
    is_business_time: bool
    is_overdue: bool


def tasks_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[FollowUpTask]:
    """Tasks the user may act on: a rep their own on leads they own; a manager any on any lead."""
    tasks = FollowUpTask.objects.filter(lead__in=roles.editable_leads(user))
    if not roles.is_manager(user):
        tasks = tasks.filter(assignee_id=user.pk)
    return tasks.select_related(
        "lead__company", "lead__contact__company", "contact__company", "offer", "assignee"
    )


@dataclass
class FollowupSections:
    urgent: list[FollowUpTask] = field(default_factory=list)
    overdue: list[FollowUpTask] = field(default_factory=list)
    today: list[FollowUpTask] = field(default_factory=list)
    upcoming: list[FollowUpTask] = field(default_factory=list)
    end_of_today: datetime | None = None

    @property
    def count(self) -> int:
        return len(self.urgent) + len(self.overdue) + len(self.today) + len(self.upcoming)


def end_of_office_day(now: datetime) -> datetime:
    """Midnight after `now` in the sales office's zone (SALES_OFFICE_TZ): where "today" ends for a rep."""
    zone = ZoneInfo(settings.SALES_OFFICE_TZ)
    local = now.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)


def my_followup_sections(
    user: AbstractBaseUser | AnonymousUser, now: datetime | None = None, category: str = ""
) -> FollowupSections:
    """The user's open tasks for "My follow-ups": urgent, overdue, due today (office day), upcoming (one query)."""
    now = now or timezone.now()
    end = end_of_office_day(now)
    tasks = open_followups_for(user).filter(due_at__lt=now + timedelta(days=UPCOMING_DAYS))
    if category == PROSPECT:
        tasks = tasks.filter(lead__customer_category="")
    elif category in CustomerCategory.values and category:
        tasks = tasks.filter(lead__customer_category=category)
    sections = FollowupSections(end_of_today=end)
    for task in tasks[:MAX_LISTED]:
        if task.is_urgent:
            sections.urgent.append(task)
        elif task.due_at < now:
            sections.overdue.append(task)
        elif task.due_at < end:
            sections.today.append(task)
        else:
            sections.upcoming.append(task)
    return sections


def urgent_open_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[FollowUpTask]:
    return open_followups_for(user).filter(is_urgent=True)


def templates_for(channel: str, language: str) -> QuerySet[MessageTemplate]:
    """Templates for the channel in the contact's language, then in English."""
    templates = MessageTemplate.objects.all()
    if channel == "email":
        templates = templates.filter(channel="email")
    elif channel:
        # A chat text reads the same in any chat app: every chat template fits, this app's own first.
        templates = templates.exclude(channel="email")
    # Their language and English; other languages would only bury the right one.
    templates = templates.filter(language__in={language or "en", "en"})
    preference = Case(When(language=language or "en", then=Value(0)), default=Value(1))
    own_channel = Case(When(channel=channel, then=Value(0)), default=Value(1))
    return templates.order_by(preference, own_channel, "name", "language")


def offers_for(language: str, now: datetime | None = None) -> list[Offer]:
    """Offers still valid, soonest to expire first; those limited to other languages are left out."""
    now = now or timezone.now()
    offers = Offer.objects.filter(valid_until__gt=now).order_by("valid_until", "id")
    # Filtered here, not in SQL: JSON containment is not portable to SQLite, and live offers are few.
    return [offer for offer in offers if offer_fits_language(offer, language)]


def offer_fits_language(offer: Offer, language: str) -> bool:
    languages = [str(code).lower() for code in (offer.languages or [])]
    return not languages or not language or language.lower() in languages
