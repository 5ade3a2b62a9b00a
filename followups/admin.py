from django.contrib import admin

from followups.models import Activity, FollowUpTask, MessageTemplate, Offer


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "lead", "direction", "kind", "channel", "subject", "is_auto_reply")
    list_filter = ("direction", "kind", "channel", "is_auto_reply")
    search_fields = ("subject", "body", "message_id", "lead__company__name", "contact__email")
    raw_id_fields = ("lead", "contact", "created_by")
    date_hierarchy = "occurred_at"


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(admin.ModelAdmin):
    list_display = ("due_at", "lead", "assignee", "channel", "status", "is_urgent", "step")
    list_filter = ("status", "is_urgent", "channel")
    search_fields = ("lead__company__name", "reason", "cadence_key")
    raw_id_fields = ("lead", "contact", "assignee", "offer")
    date_hierarchy = "due_at"


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("title", "valid_until", "languages", "created_by")
    search_fields = ("title", "terms")
    date_hierarchy = "valid_until"


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "language", "channel", "subject")
    list_filter = ("language", "channel")
    search_fields = ("name", "subject", "body")
