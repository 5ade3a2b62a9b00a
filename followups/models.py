from django.conf import settings
from django.db import models
from django.db.models import Q

from channels_ref.models import CHANNEL_CHOICES


class Activity(models.Model):
    """Something that happened on a lead: a message in or out on a channel, a call, a note."""

    class Direction(models.TextChoices):
        INBOUND = "in", "Inbound"
        OUTBOUND = "out", "Outbound"
        INTERNAL = "internal", "Internal"

    class Kind(models.TextChoices):
        MESSAGE = "message", "Message"
        CALL = "call", "Call"
        NOTE = "note", "Note"
        SYSTEM = "system", "System"

    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="activities")
    contact = models.ForeignKey(
        "leads.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    direction = models.CharField(max_length=8, choices=Direction)
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.MESSAGE)
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, blank=True)
    occurred_at = models.DateTimeField()
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    is_auto_reply = models.BooleanField(default=False)
    message_id = models.CharField(max_length=300, blank=True, help_text="RFC 5322 Message-ID, for threading")
    in_reply_to = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Derived (followups.reply_stats): on an outbound message, the first real reply on the lead after it.
    replied_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The buyer's country when it happened (the lead's contact's, else the company's): reply rates by country
    # describe the messages as they were sent, and are read without joining the contact and the company.
    buyer_country = models.CharField(max_length=2, blank=True, editable=False)
    # The rep a message counts for in reply rates: who logged it, else the lead's owner when it happened.
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["lead", "-occurred_at"], name="activity_lead_time"),
            models.Index(fields=["direction", "occurred_at"], name="activity_direction_time"),
            models.Index(fields=["message_id"], name="activity_message_id"),
            # The dashboard's reply rates read our messages of a period from this index alone.
            models.Index(
                fields=["occurred_at"],
                include=["channel", "rep", "buyer_country", "replied_at", "lead"],
                condition=Q(direction="out") & ~Q(kind="note"),
                name="activity_outbound_facts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class Offer(models.Model):
    """A limited-time offer a rep can attach to a follow-up while it is valid."""

    title = models.CharField(max_length=200)
    terms = models.TextField()
    valid_until = models.DateTimeField()
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes; empty: any language")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_until"]

    def __str__(self) -> str:
        return self.title


class MessageTemplate(models.Model):
    """A follow-up text per language with {placeholders}."""

    name = models.CharField(max_length=120)
    language = models.CharField(max_length=10)
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, default="email")
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()

    class Meta:
        ordering = ["name", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "language", "channel"], name="uniq_template_name_language_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.language}]"


class FollowUpTask(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"
        CANCELLED = "cancelled", "Cancelled"

    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="followups")
    contact = models.ForeignKey("leads.Contact", null=True, blank=True, on_delete=models.SET_NULL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="followups"
    )
    due_at = models.DateTimeField()
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, default="email")
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    is_urgent = models.BooleanField(default=False)
    step = models.PositiveSmallIntegerField(default=0, help_text="Cadence step; 0 for a manual task")
    reason = models.CharField(max_length=300, blank=True)
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.SET_NULL)
    cadence_key = models.CharField(
        max_length=100, blank=True, help_text="Set by the scheduler so running it twice creates nothing twice"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadence_key"], condition=~Q(cadence_key=""), name="uniq_followup_cadence_key"
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"], name="followup_assignee_due"),
            models.Index(fields=["lead", "status"], name="followup_lead_status"),
        ]

    def __str__(self) -> str:
        return f"Follow up {self.lead_id} at {self.due_at:%Y-%m-%d %H:%M} via {self.channel}"
