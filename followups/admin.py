from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from followups import reply_stats
from followups.forms import MessageTemplateAdminForm, OfferAdminForm
from followups.messaging import PLACEHOLDERS
from followups.models import Activity, FollowUpTask, MessageTemplate, Offer


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "lead", "direction", "kind", "channel", "subject", "is_auto_reply")
    list_filter = ("direction", "kind", "channel", "is_auto_reply")
    search_fields = ("subject", "body", "message_id", "lead__company__name", "contact__email")
    raw_id_fields = ("lead", "contact", "created_by")
    date_hierarchy = "occurred_at"

    # An edit here can change who answered what and when: keep the stored reply facts true.
    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        previous = Activity.objects.filter(pk=obj.pk).values_list("lead_id", "contact_id").first()
        super().save_model(request, obj, form, change)
        lead_id, contact_id = previous or (obj.lead_id, obj.contact_id)
        reply_stats.refresh_for([obj.lead_id, lead_id], [obj.contact_id, contact_id])

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        super().delete_model(request, obj)
        reply_stats.refresh_activity(obj)

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        touched = list(queryset.values_list("lead_id", "contact_id"))
        super().delete_queryset(request, queryset)
        reply_stats.refresh_for([lead for lead, _ in touched], [contact for _, contact in touched])


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(admin.ModelAdmin):
    list_display = ("due_at", "lead", "assignee", "channel", "status", "is_urgent", "step", "offer")
    list_filter = ("status", "is_urgent", "channel")
    search_fields = ("lead__company__name", "reason", "cadence_key")
    raw_id_fields = ("lead", "contact", "assignee", "offer")
    date_hierarchy = "due_at"


class OfferStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return [("valid", "Valid"), ("expired", "Expired")]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        now = timezone.now()
        if self.value() == "valid":
            return queryset.filter(valid_until__gt=now)
        if self.value() == "expired":
            return queryset.filter(valid_until__lte=now)
        return queryset


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    form = OfferAdminForm
    list_display = ("title", "valid_until", "state", "language_list", "created_by")
    list_filter = (OfferStateFilter,)
    search_fields = ("title", "terms")
    date_hierarchy = "valid_until"
    fields = ("title", "terms", "valid_until", "languages_text")

    @admin.display(description="state")
    def state(self, obj: Offer) -> str:
        return "valid" if obj.valid_until > timezone.now() else "expired: cannot be sent"

    @admin.display(description="languages")
    def language_list(self, obj: Offer) -> str:
        return ", ".join(obj.languages or []) or "any"

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateAdminForm
    list_display = ("name", "language", "channel", "subject")
    list_filter = ("language", "channel")
    search_fields = ("name", "subject", "body")
    readonly_fields = ("placeholders",)
    fields = ("name", "language", "channel", "subject", "body", "placeholders")

    @admin.display(description="Placeholders you can use")
    def placeholders(self, obj: MessageTemplate) -> str:
        items = format_html_join("", "<li><code>{{{}}}</code>: {}</li>", PLACEHOLDERS.items())
        return format_html("<ul>{}</ul>", items)
