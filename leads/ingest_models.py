"""Rows for getting inquiries in: import runs and presets, the sales mailbox, attachments, API tokens, merges.

Imported into leads/models.py so Django registers them with the leads app.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models

__all__ = [
    "ApiToken",
    "Attachment",
    "CompanyMerge",
    "IdempotencyRecord",
    "ImportPreset",
    "ImportRun",
    "ImportSource",
    "InboundMessage",
    "MailboxCursor",
]


class ImportSource(models.TextChoices):
    """Which export layout a file follows; decides the column names looked for and the lead's source."""

    ALIBABA = "alibaba", "Alibaba"
    MADE_IN_CHINA = "made_in_china", "Made-in-China"
    GENERIC = "generic", "Other spreadsheet"


class ImportPreset(models.Model):
    """A column mapping a user corrected once and saved, to apply to the next export of the same layout."""

    name = models.CharField(max_length=100, unique=True)
    source = models.CharField(max_length=20, choices=ImportSource, default=ImportSource.GENERIC)
    mapping = models.JSONField(
        default=dict, blank=True, help_text="Column header (normalized) → inquiry field name."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """One uploaded file and what became of each of its rows."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Waiting for the mapping"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    file_name = models.CharField(max_length=255)
    stored_name = models.CharField(
        max_length=255, blank=True, help_text="Random file name under MEDIA_ROOT/imports/"
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    source = models.CharField(max_length=20, choices=ImportSource, default=ImportSource.GENERIC)
    encoding = models.CharField(max_length=20, blank=True, help_text="Empty: detected")
    preset = models.ForeignKey(ImportPreset, null=True, blank=True, on_delete=models.SET_NULL)
    mapping = models.JSONField(default=dict, blank=True)
    assign_to_creator = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.UPLOADED)
    job = models.ForeignKey(
        "leads.BackgroundJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    total_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    merged_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    rejected_rows = models.JSONField(
        default=list, blank=True, help_text='[{"line": n, "reasons": [...], "cells": [...]}]'
    )
    warnings = models.JSONField(default=list, blank=True, help_text='[{"line": n, "warnings": [...]}]')
    error = models.TextField(blank=True, help_text="Why the file itself could not be read")

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class MailboxCursor(models.Model):
    """How far one IMAP mailbox has been read: UIDs only mean something within one UIDVALIDITY (RFC 3501)."""

    mailbox = models.CharField(max_length=100, unique=True)
    uidvalidity = models.PositiveBigIntegerField(default=0)
    last_uid = models.PositiveBigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.mailbox} uidvalidity={self.uidvalidity} last_uid={self.last_uid}"


class InboundMessage(models.Model):
    """A mail taken from the sales mailbox; its Message-ID is unique, so no message is taken in twice."""

    class Outcome(models.TextChoices):
        NEW_LEAD = "new_lead", "New inquiry"
        MERGED = "merged", "Inquiry on a known company"
        DUPLICATE = "duplicate", "Inquiry already on record"
        ACTIVITY = "activity", "Reply on a lead"
        IGNORED = "ignored", "Ignored"
        TOO_LARGE = "too_large", "Too large"
        FAILED = "failed", "Could not be read"

    message_id = models.CharField(max_length=500, unique=True)
    mailbox = models.CharField(max_length=100)
    uidvalidity = models.PositiveBigIntegerField(default=0)
    uid = models.PositiveBigIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=Outcome)
    reason = models.CharField(max_length=300, blank=True)
    from_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    lead = models.ForeignKey(
        "leads.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_messages"
    )
    activity = models.ForeignKey(
        "followups.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    headers = models.JSONField(default=dict, blank=True, help_text="The headers that decided its fate")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["mailbox", "uidvalidity", "uid"], name="inbound_mailbox_uid")]

    def __str__(self) -> str:
        return f"{self.mailbox}#{self.uid} {self.message_id} ({self.outcome})"


class Attachment(models.Model):
    """A file that came with a message; stored under a random name and only ever served as a download."""

    lead = models.ForeignKey(
        "leads.Lead", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    activity = models.ForeignKey(
        "followups.Activity", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="attachments/", max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, help_text="Sniffed from the bytes, not the mail header")
    declared_content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name


def hash_token(token: str) -> str:
    """Tokens are stored as their SHA-256: a leaked database does not leak working tokens."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for one inquiry source (a website form); shown once, stored hashed."""

    name = models.CharField(max_length=100, unique=True)
    source = models.CharField(max_length=20, default="website")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell tokens apart")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The answer given to one Idempotency-Key, replayed when the same request comes again."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="idempotency_records")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict, blank=True)
    lead = models.ForeignKey("leads.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="uniq_idempotency_token_key")]

    def __str__(self) -> str:
        return f"{self.token_id}:{self.key}"


class CompanyMerge(models.Model):
    """A record that one company was folded into another: what it was, and what moved."""

    survivor = models.ForeignKey("leads.Company", on_delete=models.CASCADE, related_name="merges")
    merged_company = models.ForeignKey(
        "leads.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_company_pk = models.PositiveBigIntegerField(help_text="The merged company's id, kept as a number")
    merged_name = models.CharField(max_length=200, blank=True)
    merged_domain = models.CharField(max_length=253, blank=True)
    moved = models.JSONField(default=dict, blank=True, help_text="Counts: contacts, leads, activities, tasks")
    filled_fields = models.JSONField(default=list, blank=True, help_text="Survivor fields filled from it")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_name or self.merged_company_pk} → {self.survivor_id}"
