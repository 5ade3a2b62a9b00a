from django.contrib import admin

from leads.models import (
    BackgroundJob,
    Company,
    Contact,
    ContactChannel,
    Industry,
    IndustryKeyword,
    KeywordChange,
    Lead,
)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("name", "email", "role", "time_zone", "is_emergency_contact", "email_verdict")
    readonly_fields = ("email_verdict",)
    show_change_link = True


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "domain",
        "country",
        "website_verdict",
        "fit_score",
        "fit_tier",
        "website_checked_at",
    )
    list_filter = ("website_verdict", "fit_tier", "country")
    search_fields = ("name", "domain", "website")
    readonly_fields = ("website_evidence", "fit_evidence", "created_at", "updated_at")
    inlines = [ContactInline]


class ContactChannelInline(admin.TabularInline):
    model = ContactChannel
    extra = 0


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("__str__", "email", "company", "email_verdict", "is_emergency_contact", "vacation_until")
    list_filter = ("email_verdict", "is_emergency_contact")
    search_fields = ("name", "email", "company__name")
    raw_id_fields = ("company",)
    inlines = [ContactChannelInline]


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("__str__", "stage", "owner", "source", "authenticity", "check_status", "received_at")
    list_filter = ("stage", "source", "authenticity", "check_status", "customer_category")
    search_fields = ("company__name", "company__domain", "contact__email", "contact__name", "subject")
    raw_id_fields = ("company", "contact", "owner", "check_job")
    date_hierarchy = "received_at"
    readonly_fields = ("created_at", "updated_at", "check_task_id")


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = ("kind", "status", "done", "total", "created_by", "created_at", "finished_at")
    list_filter = ("kind", "status")
    readonly_fields = ("detail", "error")


class KeywordInline(admin.TabularInline):
    model = IndustryKeyword
    extra = 1
    fields = ("term", "language", "weight", "is_negative", "match_mode")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_target", "weight")
    list_filter = ("is_target",)
    search_fields = ("name", "slug", "keywords__term")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [KeywordInline]


@admin.register(IndustryKeyword)
class IndustryKeywordAdmin(admin.ModelAdmin):
    list_display = ("term", "industry", "language", "weight", "is_negative", "match_mode")
    list_filter = ("language", "is_negative", "match_mode", "industry")
    search_fields = ("term", "industry__name")
    list_editable = ("weight", "is_negative", "match_mode")


@admin.register(KeywordChange)
class KeywordChangeAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "industry", "term", "detail")
    list_filter = ("action",)
    search_fields = ("industry", "term", "detail")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
