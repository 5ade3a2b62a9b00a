"""The follow-up cadence run over every silent lead: a task when a step is due, holds, and release to the pool.

One run walks the owned leads still waiting for a reply in batches of LEADS_SCHEDULER_BATCH ids, with
a fixed number of queries per batch (the leads, their and their contacts' messages, their channels,
their open cadence tasks, then the writes). Each lead's decision is `cadence.next_step`, in the
contact's own calendar. Tasks carry a `cadence_key` (lead, first message of the sequence, step), so
a second run, or two runs at once, create nothing twice.

A sequence is the run of our messages since the last thing that reset it: a real reply from the
contact, or the lead's release to the pool (a system activity marks it, so the next owner starts over).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from channels_ref.catalogue import ChannelKind
from channels_ref.queries import Rankings, load_rankings
from followups import nonresponse
from followups.cadence import (
    CadenceAction,
    CadenceConfig,
    CadenceDecision,
    CadenceState,
    SentMessage,
    next_step,
)
from followups.history import ReplyHistory, summarize_replies
from followups.models import Activity, FollowUpTask
from followups.queries import awaiting_reply
from followups.timing import BusinessCalendar, local_moment, local_time, next_business_slot
from leads.models import ContactChannel, Lead

logger = logging.getLogger(__name__)

RELEASE_EVENT = "released_to_pool"
RELEASED_AFTER_CADENCE = "cadence_finished"
RELEASED_INACTIVE = "inactive"
_REASON_LENGTH = 300  # FollowUpTask.reason


@dataclass
class SchedulerReport:
    leads_examined: int = 0
    batches: int = 0
    tasks_created: int = 0
    tasks_postponed: int = 0
    tasks_closed: int = 0  # open tasks a reply, a release, a finished stage or a later message made moot
    tasks_reassigned: int = 0
    released_after_cadence: int = 0
    released_inactive: int = 0
    decisions: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def cadence_config() -> CadenceConfig:
    """The cadence as configured (LEADS_CADENCE_STEPS, LEADS_CADENCE_EMAILS_BEFORE_IM)."""
    return CadenceConfig(
        steps_business_days=tuple(settings.LEADS_CADENCE_STEPS),
        emails_before_im=settings.LEADS_CADENCE_EMAILS_BEFORE_IM,
    )


def cadence_key(lead_id: int, first_message_id: int, step: int) -> str:
    """The task key of one step of one sequence (a sequence is named by its first message)."""
    return f"{sequence_prefix(lead_id, first_message_id)}{step}"


def sequence_prefix(lead_id: int, first_message_id: int) -> str:
    return f"cadence:{lead_id}:{first_message_id}:"


def run_scheduler(
    now: datetime | None = None, batch_size: int | None = None, config: CadenceConfig | None = None
) -> SchedulerReport:
    """One pass: tidy moot tasks, release idle leads, then decide the next step of every silent lead."""
    now = now or timezone.now()
    batch_size = batch_size or settings.LEADS_SCHEDULER_BATCH
    config = config or cadence_config()
    report = SchedulerReport()
    report.tasks_closed += close_moot_tasks(now)
    report.tasks_reassigned += reassign_tasks_to_owners()
    report.released_inactive += release_inactive_leads(now, batch_size=batch_size)
    rankings = load_rankings()
    after_id = 0
    while True:
        rows = _lead_rows(_silent_leads(now, after_id)[:batch_size])
        if not rows:
            break
        report.batches += 1
        report.leads_examined += len(rows)
        _schedule_batch(rows, now, rankings, config, report)
        after_id = rows[-1]["id"]
    return report


# --- housekeeping -----------------------------------------------------------------------------------


def close_moot_tasks(now: datetime) -> int:
    """Cancel open tasks nobody should do any more: any task on a lead back in the pool (nobody owns it),
    and cadence tasks on a lead that is won, junk, or whose contact answered our last message.

    Other tasks on won leads stay: an urgent matter (goods at the port) comes after the sale. A safety
    net for rows written without `log_activity`.
    """
    cadence_over = Q(lead__stage__in=nonresponse.FINISHED_STAGES) | Q(
        lead__last_inbound_at__gte=F("lead__last_outbound_at")
    )
    moot = Q(lead__owner__isnull=True) | (~Q(cadence_key="") & cadence_over)
    return (
        FollowUpTask.objects.filter(status=FollowUpTask.Status.OPEN)
        .filter(moot)
        .update(status=FollowUpTask.Status.CANCELLED, completed_at=now)
    )


def reassign_tasks_to_owners() -> int:
    """Open tasks follow their lead to its new owner (a manager reassigned it, or someone claimed it)."""
    owner = Lead.objects.filter(pk=OuterRef("lead_id")).values("owner_id")[:1]
    return (
        FollowUpTask.objects.filter(status=FollowUpTask.Status.OPEN, lead__owner__isnull=False)
        .exclude(assignee_id=F("lead__owner_id"))
        .update(assignee_id=Subquery(owner))
    )


def release_inactive_leads(now: datetime, days: int | None = None, batch_size: int = 1000) -> int:
    """Put claimed leads with no activity for LEADS_POOL_RELEASE_DAYS back in the pool.

    A lead waiting for the customer's reply belongs to the cadence, which releases it after its last
    step, unless one of its follow-up tasks has been overdue that long. Customers (a customer category
    set), finished leads and leads their owner snoozed stay where they are. Rows another transaction
    holds (a claim, a message being logged) are skipped until the next run.
    """
    days = settings.LEADS_POOL_RELEASE_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    idle = (
        Q(last_activity_at__lt=cutoff)
        | Q(last_activity_at__isnull=True, claimed_at__lt=cutoff)
        | Q(last_activity_at__isnull=True, claimed_at__isnull=True, created_at__lt=cutoff)
    )
    # Waiting for the customer under the cadence is not idleness (its last step releases the lead);
    # a follow-up task ignored for the whole period is.
    ignored_task = FollowUpTask.objects.filter(
        lead_id=OuterRef("pk"), status=FollowUpTask.Status.OPEN, due_at__lt=cutoff
    )
    candidates = (
        Lead.objects.filter(idle, owner__isnull=False, customer_category="")
        .filter(~awaiting_reply() | Exists(ignored_task))
        .exclude(stage__in=nonresponse.FINISHED_STAGES)
        .exclude(snoozed_until__gt=now)
    )
    released = 0
    while True:
        with transaction.atomic():
            rows = list(
                candidates.select_for_update(skip_locked=True, of=("self",))
                .order_by("id")
                .values_list("id", "owner_id")[:batch_size]
            )
            if not rows:
                break
            detail = f"no activity for {days} days"
            released += _release(
                [(lead_id, owner_id) for lead_id, owner_id in rows], now, RELEASED_INACTIVE, detail
            )
        if len(rows) < batch_size:
            break
    return released


def _release(leads: Sequence[tuple[int, int]], now: datetime, reason: str, detail: str) -> int:
    """Release locked leads (id, previous owner id): pool, a marker activity, open tasks cancelled."""
    ids = [lead_id for lead_id, _ in leads]
    Lead.objects.filter(pk__in=ids).update(owner=None, claimed_at=None, last_activity_at=now, updated_at=now)
    FollowUpTask.objects.filter(lead_id__in=ids, status=FollowUpTask.Status.OPEN).update(
        status=FollowUpTask.Status.CANCELLED, completed_at=now
    )
    Activity.objects.bulk_create(
        Activity(
            lead_id=lead_id,
            direction=Activity.Direction.INTERNAL,
            kind=Activity.Kind.SYSTEM,
            occurred_at=now,
            subject=f"Released to the pool: {detail}"[:300],
            metadata={"event": RELEASE_EVENT, "reason": reason, "previous_owner_id": owner_id},
        )
        for lead_id, owner_id in leads
    )
    return len(ids)


# --- the cadence pass ----------------------------------------------------------------------------------

_LEAD_VALUES: dict[str, Any] = {
    "country": Coalesce(NullIf(F("contact__country"), Value("")), F("company__country")),
    "subdivision": F("company__subdivision"),
    "time_zone": Coalesce(F("contact__time_zone"), Value("")),
    "vacation_from": F("contact__vacation_from"),
    "vacation_until": F("contact__vacation_until"),
    "contact_email": Coalesce(F("contact__email"), Value("")),
}


def _silent_leads(now: datetime, after_id: int) -> QuerySet[Lead]:
    """Owned leads waiting for a reply after `after_id`, in id order."""
    return (
        Lead.objects.filter(awaiting_reply(), owner__isnull=False, id__gt=after_id)
        .exclude(snoozed_until__gt=now)
        .order_by("id")
    )


def _lead_rows(batch: QuerySet[Lead]) -> list[dict[str, Any]]:
    return list(
        batch.values(
            "id",
            "owner_id",
            "contact_id",
            "customer_category",
            "last_outbound_at",
            "last_inbound_at",
            **_LEAD_VALUES,
        )
    )


def _activity_rows(lead_ids: list[int], contact_ids: list[int]) -> list[dict[str, Any]]:
    """The batch's messages (on its leads and by its contacts) and its leads' release markers."""
    return nonresponse.message_rows(
        lead_ids,
        contact_ids,
        also=Q(lead_id__in=lead_ids, kind=Activity.Kind.SYSTEM, metadata__event=RELEASE_EVENT),
    )


@dataclass(frozen=True, slots=True)
class _Plan:
    lead_id: int
    decision: CadenceDecision
    key: str


_TASK_FIELDS = (
    "id",
    "lead_id",
    "cadence_key",
    "step",
    "channel",
    "status",
    "due_at",
    "created_at",
    "completed_at",
)
# A step task closed without a message (the rep marked it done, or skipped it) still counts as the step taken.
_TAKEN = (FollowUpTask.Status.DONE, FollowUpTask.Status.SKIPPED)


def _schedule_batch(
    rows: list[dict[str, Any]],
    now: datetime,
    rankings: Rankings,
    config: CadenceConfig,
    report: SchedulerReport,
) -> None:
    # Id lists, not subqueries: PostgreSQL turns "lead IN (list) OR contact IN (list)" into two index scans,
    # but the same with subqueries into a scan of the whole activity table.
    lead_ids = [row["id"] for row in rows]
    contact_ids = sorted({row["contact_id"] for row in rows if row["contact_id"]})
    by_lead: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_contact: dict[int, list[dict[str, Any]]] = defaultdict(list)
    activities = _activity_rows(lead_ids, contact_ids)
    for activity in activities:
        by_lead[activity["lead_id"]].append(activity)
        if activity["contact_id"]:
            by_contact[activity["contact_id"]].append(activity)
    channels: dict[int, list[ChannelKind]] = defaultdict(list)
    for contact_id, kind in ContactChannel.objects.filter(contact_id__in=contact_ids).values_list(
        "contact_id", "kind"
    ):
        channel = _channel(kind)
        if channel is not None and channel not in channels[contact_id]:
            channels[contact_id].append(channel)
    tasks: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for task in (
        FollowUpTask.objects.filter(lead_id__in=lead_ids).exclude(cadence_key="").values(*_TASK_FIELDS)
    ):
        tasks[task["lead_id"]].append(task)

    histories: dict[tuple[int, str], ReplyHistory] = {}
    plans: list[_Plan] = []
    releases: list[dict[str, Any]] = []
    for row in rows:
        plan = _plan_lead(
            row, by_lead[row["id"]], tasks[row["id"]], by_contact, channels, histories, now, rankings, config
        )
        if plan is None:
            continue
        action = plan.decision.action
        report.decisions[action.value] = report.decisions.get(action.value, 0) + 1
        if action is CadenceAction.RELEASE_TO_POOL:
            # A customer (current, favourite, existing) stays with their rep whatever the cadence says.
            if not row["customer_category"]:
                releases.append(row)
            continue
        plans.append(plan)

    _write_tasks(rows, plans, tasks, now, report)
    nonresponse.store_auto_reply_facts(activities)
    if releases:
        report.released_after_cadence += _release_after_cadence(releases, now)


def _plan_lead(
    row: Mapping[str, Any],
    activities: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
    by_contact: Mapping[int, list[dict[str, Any]]],
    channels: Mapping[int, list[ChannelKind]],
    histories: dict[tuple[int, str], ReplyHistory],
    now: datetime,
    rankings: Rankings,
    config: CadenceConfig,
) -> _Plan | None:
    sequence = _sequence(activities)
    if not sequence:
        return None  # claimed from the pool and not written to yet: nothing to follow up
    cal = nonresponse.calendar_from_fields(
        row["country"] or "",
        row["subdivision"] or "",
        row["time_zone"] or "",
        row["vacation_from"],
        row["vacation_until"],
    )
    holds = nonresponse.holds_from_auto_replies(nonresponse.auto_replies_in(activities), cal, now)
    contact_id = row["contact_id"]
    history = _history(
        contact_id, by_contact.get(contact_id, []) if contact_id else activities, cal, histories
    )
    available = list(channels.get(contact_id, [])) if contact_id else []
    if row["contact_email"] and ChannelKind.EMAIL not in available:
        available.insert(0, ChannelKind.EMAIL)
    sent = [SentMessage(at=item["occurred_at"], channel=_sent_channel(item)) for item in sequence]
    prefix = sequence_prefix(row["id"], sequence[0]["id"])
    taken = sorted(
        (task for task in tasks if task["cadence_key"].startswith(prefix) and task["status"] in _TAKEN),
        key=lambda task: task["step"],
    )
    for task in taken:
        if task["step"] == len(sent):
            at = task["completed_at"] or task["due_at"]
            sent.append(
                SentMessage(at=max(at, sent[-1].at), channel=_channel(task["channel"]) or ChannelKind.EMAIL)
            )
    state = CadenceState(sent=tuple(sent), replied_at=None, holds=holds)
    decision = next_step(state, now, cal, history, available, rankings.by_country, rankings.default, config)
    return _Plan(
        lead_id=row["id"], decision=decision, key=cadence_key(row["id"], sequence[0]["id"], decision.step)
    )


def _sequence(activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Our messages since the last real reply or release marker, oldest first."""
    resets = [
        item["occurred_at"]
        for item in activities
        if item["kind"] == Activity.Kind.SYSTEM
        or (item["direction"] == Activity.Direction.INBOUND and not item["is_auto_reply"])
    ]
    since = max(resets, default=None)
    sent = [
        item
        for item in activities
        if item["direction"] == Activity.Direction.OUTBOUND
        and item["kind"] in nonresponse.MESSAGE_KINDS
        and (since is None or item["occurred_at"] > since)
    ]
    return sorted(sent, key=lambda item: (item["occurred_at"], item["id"]))


def _history(
    contact_id: int | None,
    activities: list[dict[str, Any]],
    cal: BusinessCalendar,
    histories: dict[tuple[int, str], ReplyHistory],
) -> ReplyHistory:
    if contact_id is None:
        return summarize_replies(nonresponse.events_from_rows(activities), cal.tz)
    key = (contact_id, cal.tz)
    if key not in histories:
        histories[key] = summarize_replies(nonresponse.events_from_rows(activities), cal.tz)
    return histories[key]


def _sent_channel(item: Mapping[str, Any]) -> ChannelKind:
    # A message logged without a channel was most likely an email; a call, a phone call.
    fallback = ChannelKind.PHONE if item["kind"] == Activity.Kind.CALL else ChannelKind.EMAIL
    return _channel(item["channel"]) or fallback


def _write_tasks(
    rows: list[dict[str, Any]],
    plans: list[_Plan],
    tasks: Mapping[int, list[dict[str, Any]]],
    now: datetime,
    report: SchedulerReport,
) -> None:
    leads = {row["id"]: row for row in rows}
    current_keys = {plan.lead_id: plan.key for plan in plans}
    known = {task["cadence_key"]: task for lead_tasks in tasks.values() for task in lead_tasks}
    # An open task for an earlier step means a later message went out without closing it.
    stale = [
        task["id"]
        for lead_id, key in current_keys.items()
        for task in tasks.get(lead_id, [])
        if task["status"] == FollowUpTask.Status.OPEN
        and task["cadence_key"] != key
        and leads[lead_id]["last_outbound_at"] >= task["created_at"]
    ]
    if stale:
        report.tasks_closed += FollowUpTask.objects.filter(
            pk__in=stale, status=FollowUpTask.Status.OPEN
        ).update(status=FollowUpTask.Status.DONE, completed_at=now)

    postponed = []
    for plan in plans:
        task = known.get(plan.key)
        due_at = plan.decision.due_at
        if (
            plan.decision.action is CadenceAction.HOLD_VACATION
            and task
            and task["status"] == FollowUpTask.Status.OPEN
            and due_at
            and task["due_at"] < due_at
        ):
            postponed.append(FollowUpTask(pk=task["id"], due_at=due_at, reason=summarize(plan.decision)))
    if postponed:
        FollowUpTask.objects.bulk_update(postponed, ["due_at", "reason"])
        report.tasks_postponed += len(postponed)

    new = [
        FollowUpTask(
            lead_id=plan.lead_id,
            contact_id=leads[plan.lead_id]["contact_id"],
            assignee_id=leads[plan.lead_id]["owner_id"],
            due_at=plan.decision.due_at or now,
            channel=plan.decision.channel.value if plan.decision.channel else "",
            step=plan.decision.step,
            reason=summarize(plan.decision),
            cadence_key=plan.key,
        )
        for plan in plans
        if plan.decision.action is CadenceAction.FOLLOW_UP and plan.key not in known
    ]
    if new:
        # ON CONFLICT DO NOTHING: a run in parallel may have inserted the same keys a moment ago.
        FollowUpTask.objects.bulk_create(new, ignore_conflicts=True)
        report.tasks_created += len(new)


def _release_after_cadence(rows: list[dict[str, Any]], now: datetime) -> int:
    """Release leads whose last step went unanswered, unless something moved since they were read."""
    snapshot = {row["id"]: row for row in rows}
    with transaction.atomic():
        locked = (
            Lead.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(snapshot), owner__isnull=False)
            .values_list("id", "owner_id", "last_outbound_at", "last_inbound_at")
        )
        unchanged = [
            (lead_id, owner_id)
            for lead_id, owner_id, outbound_at, inbound_at in locked
            if (owner_id, outbound_at, inbound_at)
            == (
                snapshot[lead_id]["owner_id"],
                snapshot[lead_id]["last_outbound_at"],
                snapshot[lead_id]["last_inbound_at"],
            )
        ]
        if not unchanged:
            return 0
        steps = len(settings.LEADS_CADENCE_STEPS)
        return _release(unchanged, now, RELEASED_AFTER_CADENCE, f"no reply after all {steps} follow-up steps")


def summarize(decision: CadenceDecision) -> str:
    """The decision's reasons as one line for the task list."""
    return "; ".join(note.detail for note in decision.reasons)[:_REASON_LENGTH]


def _channel(value: str) -> ChannelKind | None:
    try:
        return ChannelKind(value)
    except ValueError:
        return None


# --- keeping open tasks in step with what is logged ---------------------------------------------------------


def on_activity_logged(activity: Activity) -> None:
    """React to a logged message: ours closes the open cadence task, a real reply cancels the cadence's
    tasks, an out-of-office note is read once (its facts kept on the row) and pushes open tasks past it."""
    if activity.kind not in nonresponse.MESSAGE_KINDS:
        return
    now = timezone.now()
    open_cadence = FollowUpTask.objects.filter(
        lead_id=activity.lead_id, status=FollowUpTask.Status.OPEN
    ).exclude(cadence_key="")
    if activity.direction == Activity.Direction.OUTBOUND:
        open_cadence.update(status=FollowUpTask.Status.DONE, completed_at=now)
        return
    if activity.direction != Activity.Direction.INBOUND:
        return
    lead = activity.lead
    if not activity.is_auto_reply:
        if lead.last_outbound_at is None or activity.occurred_at >= lead.last_outbound_at:
            open_cadence.update(status=FollowUpTask.Status.CANCELLED, completed_at=now)
        return
    _record_auto_reply(activity, lead, open_cadence, now)


def _record_auto_reply(activity: Activity, lead: Lead, open_cadence: Any, now: datetime) -> None:
    metadata = dict(activity.metadata or {})
    auto = nonresponse.auto_reply_from_row(metadata, activity.subject, activity.body, activity.occurred_at)
    if auto is None:
        return
    if "auto_reply" not in metadata:
        metadata["auto_reply"] = nonresponse.auto_reply_metadata(auto)
        Activity.objects.filter(pk=activity.pk).update(metadata=metadata)
        activity.metadata = metadata
    contact = activity.contact or lead.contact
    if contact is None or not auto.is_vacation:
        return
    base = nonresponse.calendar_for_contact(contact)
    holds = nonresponse.holds_from_auto_replies([(auto, activity.occurred_at)], base, now)
    if not holds:
        return
    cal = nonresponse.calendar_for_contact(contact, holds)
    back = holds[0].last + timedelta(days=1)
    resume_at = next_business_slot(local_moment(back, time(0), cal), cal)
    postponed = open_cadence.filter(due_at__lt=resume_at).update(due_at=resume_at)
    if postponed:
        logger.info(
            "lead %s: %s open follow-up(s) held until %s (out of office)", lead.pk, postponed, resume_at
        )


# --- a rep's hand on a task --------------------------------------------------------------------------------

SNOOZE_DELAYS = {
    "1h": timedelta(hours=1),
    "4h": timedelta(hours=4),
    "3d": timedelta(days=3),
    "1w": timedelta(weeks=1),
}
NEXT_BUSINESS_DAY = "next_business_day"


def close_task(task: FollowUpTask, status: str, now: datetime | None = None) -> bool:
    """Mark an open task done or skipped; False when it was no longer open (someone else was faster).

    A cadence step closed this way counts as taken: the next step's wait starts from here.
    """
    if status not in (FollowUpTask.Status.DONE, FollowUpTask.Status.SKIPPED):
        raise ValueError(f"a rep closes a task as done or skipped, not {status!r}")
    now = now or timezone.now()
    changed = FollowUpTask.objects.filter(pk=task.pk, status=FollowUpTask.Status.OPEN).update(
        status=status, completed_at=now
    )
    task.refresh_from_db(fields=["status", "completed_at"])
    return bool(changed)


def snooze_until(task: FollowUpTask, choice: str, now: datetime) -> datetime:
    """When a snoozed task comes back: after a fixed delay, or at the contact's next working morning."""
    if choice in SNOOZE_DELAYS:
        return now + SNOOZE_DELAYS[choice]
    if choice != NEXT_BUSINESS_DAY:
        raise ValueError(f"unknown snooze choice {choice!r}")
    contact = task.contact or task.lead.contact
    cal = (
        nonresponse.calendar_for_contact(contact)
        if contact
        else nonresponse.calendar_from_fields(task.lead.company.country)
    )
    tomorrow = local_time(now, cal).date() + timedelta(days=1)
    return next_business_slot(local_moment(tomorrow, time(0), cal), cal)


def snooze_task(task: FollowUpTask, choice: str, now: datetime | None = None) -> bool:
    """Put an open task off; False when it was no longer open."""
    now = now or timezone.now()
    due_at = snooze_until(task, choice, now)
    changed = FollowUpTask.objects.filter(pk=task.pk, status=FollowUpTask.Status.OPEN).update(due_at=due_at)
    task.refresh_from_db(fields=["status", "due_at"])
    return bool(changed)
