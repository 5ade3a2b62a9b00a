"""Admin pages for the ingest rows: import presets and runs, the mailbox, attachments, API tokens, merges."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from leads.models import (
    ApiToken,
    Attachment,
    CompanyMerge,
    IdempotencyRecord,
    ImportPreset,
    ImportRun,
    InboundMessage,
    MailboxCursor,
    Source,
)


class HistoryAdmin(admin.ModelAdmin):
    """A record of what happened: viewable, never added, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportPreset)
class ImportPresetAdmin(admin.ModelAdmin):
    list_display = ("name", "source", "created_by", "updated_at")
    list_filter = ("source",)
    search_fields = ("name",)
    readonly_fields = ("created_by", "created_at", "updated_at")

    def save_model(
        self, request: HttpRequest, obj: ImportPreset, form: forms.ModelForm, change: bool
    ) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(ImportRun)
class ImportRunAdmin(HistoryAdmin):
    list_display = (
        "file_name",
        "status",
        "source",
        "total_rows",
        "created_count",
        "merged_count",
        "duplicate_count",
        "rejected_count",
        "created_by",
        "created_at",
        "finished_at",
    )
    list_filter = ("status", "source", "assign_to_creator")
    search_fields = ("file_name", "sha256", "created_by__username")
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"
    readonly_fields = ("page",)

    @admin.display(description="import page")
    def page(self, obj: ImportRun) -> str:
        url = reverse("imports:detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(MailboxCursor)
class MailboxCursorAdmin(admin.ModelAdmin):
    """Lowering last_uid makes the poller read those messages again; their Message-IDs keep repeats out."""

    list_display = ("mailbox", "uidvalidity", "last_uid", "last_polled_at", "has_error")
    search_fields = ("mailbox",)
    readonly_fields = ("last_polled_at", "last_error")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the poller makes one per mailbox it reads

    def get_readonly_fields(self, request: HttpRequest, obj: MailboxCursor | None = None) -> tuple[str, ...]:
        return (*self.readonly_fields, "mailbox") if obj else self.readonly_fields

    @admin.display(description="error", boolean=True)
    def has_error(self, obj: MailboxCursor) -> bool:
        return bool(obj.last_error)


@admin.register(InboundMessage)
class InboundMessageAdmin(HistoryAdmin):
    list_display = ("created_at", "mailbox", "uid", "outcome", "from_address", "subject", "lead")
    list_filter = ("outcome", "mailbox")
    search_fields = ("message_id", "from_address", "subject")
    list_select_related = ("lead__company",)
    date_hierarchy = "created_at"


@admin.register(Attachment)
class AttachmentAdmin(HistoryAdmin):
    list_display = ("__str__", "content_type", "size", "lead", "created_at")
    list_filter = ("content_type",)
    search_fields = ("original_name", "sha256")
    list_select_related = ("lead__company",)
    # The file itself only through the download view, which never lets a browser show it inline.
    fields = (
        "original_name",
        "download",
        "content_type",
        "declared_content_type",
        "size",
        "sha256",
        "lead",
        "activity",
        "created_at",
    )
    readonly_fields = ("download",)

    @admin.display(description="file")
    def download(self, obj: Attachment) -> str:
        if obj.lead_id is None:
            return obj.file.name
        return format_html('<a href="{}">{}</a>', reverse("imports:attachment", args=[obj.pk]), obj.file.name)


class ApiTokenForm(forms.ModelForm):
    source = forms.ChoiceField(choices=Source.choices)

    class Meta:
        model = ApiToken
        fields = ("name", "source", "is_active")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made and rotated with `manage.py create_api_token`; here they are named, revoked or removed.

    Only the prefix is ever shown: the hash would let anyone holding a candidate token confirm it offline.
    """

    form = ApiTokenForm
    list_display = ("name", "shown_prefix", "source", "is_active", "created_by", "created_at", "last_used_at")
    list_filter = ("is_active", "source")
    search_fields = ("name", "prefix")
    fields = ("name", "shown_prefix", "source", "is_active", "created_by", "created_at", "last_used_at")
    readonly_fields = ("shown_prefix", "created_by", "created_at", "last_used_at")
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a new token must be shown to its owner once, which the command does

    @admin.display(description="token", ordering="prefix")
    def shown_prefix(self, obj: ApiToken) -> str:
        return f"{obj.prefix}…"

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = queryset.update(is_active=False)
        self.message_user(request, f"{count} token(s) revoked.", messages.SUCCESS)


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(HistoryAdmin):
    list_display = ("created_at", "token", "key", "status_code", "lead")
    list_filter = ("status_code",)
    search_fields = ("key", "token__name")
    list_select_related = ("token", "lead__company")


@admin.register(CompanyMerge)
class CompanyMergeAdmin(HistoryAdmin):
    list_display = ("at", "merged_name", "merged_domain", "merged_company_pk", "survivor", "merged_by")
    search_fields = ("merged_name", "merged_domain", "survivor__name", "survivor__domain")
    list_select_related = ("survivor", "merged_by")
    date_hierarchy = "at"
