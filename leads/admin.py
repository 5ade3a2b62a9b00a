from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from followups.csv_export import to_csv
from leads import (
    admin_ingest,  # noqa: F401  (importing it registers the ingest models' pages)
    keywords,
)
from leads.keyword_csv import COLUMNS, LineError, parse_keyword_csv
from leads.models import (
    BackgroundJob,
    Company,
    Contact,
    ContactChannel,
    Industry,
    IndustryKeyword,
    KeywordChange,
    Lead,
    SalesTeam,
)
from leads.owners import assignable_users


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


def _describe(form: forms.ModelForm) -> str:
    return ", ".join(f"{name}={form.cleaned_data.get(name)!r}" for name in form.changed_data)


class KeywordListAdminMixin:
    """Every keyword-list edit is recorded (who, when, what), bumps the revision and re-scores in the background."""

    change_list_template = "admin/leads/keyword_change_list.html"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "rescore_job": _latest_rescore()}
        return super().changelist_view(request, extra_context)  # type: ignore[misc]

    def get_urls(self) -> list[Any]:
        own = [
            path("export.csv", self.admin_site.admin_view(export_keywords), name="leads_keywords_export"),
            path("import/", self.admin_site.admin_view(import_keywords), name="leads_keywords_import"),
            path("rescore/", self.admin_site.admin_view(rescore_progress), name="leads_keywords_rescore"),
        ]
        return own + super().get_urls()  # type: ignore[misc]


@admin.register(Industry)
class IndustryAdmin(KeywordListAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "is_target", "weight", "keyword_count")
    list_filter = ("is_target",)
    search_fields = ("name", "slug", "keywords__term")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [KeywordInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Industry]:
        return super().get_queryset(request).annotate(keyword_total=Count("keywords"))

    @admin.display(description="keywords", ordering="keyword_total")
    def keyword_count(self, obj: Industry) -> int:
        return obj.keyword_total  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: Industry, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if form.changed_data or not change:
            action = KeywordChange.Action.CHANGED if change else KeywordChange.Action.ADDED
            keywords.record_change(request.user, action, industry=obj.name, detail=_describe(form))

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        industry = form.instance.name
        for obj in formset.new_objects:
            keywords.record_change(
                request.user, KeywordChange.Action.ADDED, industry, obj.term, f"[{obj.language}]"
            )
        for obj, changed in formset.changed_objects:
            keywords.record_change(
                request.user, KeywordChange.Action.CHANGED, industry, obj.term, ", ".join(changed)
            )
        for obj in formset.deleted_objects:
            keywords.record_change(
                request.user, KeywordChange.Action.DELETED, industry, obj.term, f"[{obj.language}]"
            )

    def delete_model(self, request: HttpRequest, obj: Industry) -> None:
        name = obj.name
        super().delete_model(request, obj)
        keywords.record_change(
            request.user, KeywordChange.Action.DELETED, industry=name, detail="industry deleted"
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Industry]) -> None:
        names = ", ".join(queryset.values_list("name", flat=True))
        super().delete_queryset(request, queryset)
        keywords.record_change(
            request.user, KeywordChange.Action.DELETED, detail=f"industries deleted: {names}"
        )


@admin.register(IndustryKeyword)
class IndustryKeywordAdmin(KeywordListAdminMixin, admin.ModelAdmin):
    list_display = ("term", "industry", "language", "weight", "is_negative", "match_mode")
    list_filter = ("language", "is_negative", "match_mode", "industry")
    search_fields = ("term", "industry__name")
    list_editable = ("weight", "is_negative", "match_mode")
    list_select_related = ("industry",)

    def save_model(
        self, request: HttpRequest, obj: IndustryKeyword, form: forms.ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        action = KeywordChange.Action.CHANGED if change else KeywordChange.Action.ADDED
        keywords.record_change(request.user, action, obj.industry.name, obj.term, _describe(form))

    def delete_model(self, request: HttpRequest, obj: IndustryKeyword) -> None:
        industry, term = obj.industry.name, obj.term
        super().delete_model(request, obj)
        keywords.record_change(request.user, KeywordChange.Action.DELETED, industry, term)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[IndustryKeyword]) -> None:
        terms = ", ".join(queryset.values_list("term", flat=True)[:50])
        super().delete_queryset(request, queryset)
        keywords.record_change(request.user, KeywordChange.Action.DELETED, detail=f"terms deleted: {terms}")


def _can_edit_lists(request: HttpRequest) -> bool:
    return request.user.has_perm("leads.change_industrykeyword")


def _latest_rescore() -> BackgroundJob | None:
    return BackgroundJob.objects.filter(kind=BackgroundJob.Kind.RESCORE).order_by("-created_at").first()


@require_GET
def export_keywords(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("leads.view_industrykeyword"):
        raise PermissionDenied
    response = HttpResponse(to_csv(COLUMNS, keywords.export_rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="keyword-lists.csv"'
    return response


class KeywordImportForm(forms.Form):
    file = forms.FileField(
        help_text="CSV with the export's columns; the lists of the industries in it are replaced."
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 5 MB.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text: save it as CSV UTF-8.") from None


def import_keywords(request: HttpRequest) -> HttpResponse:
    if not _can_edit_lists(request):
        raise PermissionDenied
    errors = []
    form = KeywordImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        rows, errors = parse_keyword_csv(form.cleaned_data["file"])
        if not errors and not rows:
            errors = [LineError(1, "no keyword rows in the file")]
        if not errors:
            summary = keywords.import_rows(rows, request.user)
            messages.success(
                request,
                "Imported {industries} industries: {added} terms added, {updated} changed, {deleted} removed. "
                "Leads are being re-scored in the background.".format(**summary),
            )
            return redirect("admin:leads_industrykeyword_changelist")
    context = {
        **admin.site.each_context(request),
        "form": form,
        "errors": errors,
        "title": "Import keyword lists",
    }
    return render(request, "admin/leads/keyword_import.html", context)


@require_GET
def rescore_progress(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("leads.view_industrykeyword"):
        raise PermissionDenied
    return render(request, "admin/leads/partials/rescore_progress.html", {"rescore_job": _latest_rescore()})


@admin.register(KeywordChange)
class KeywordChangeAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "industry", "term", "detail")
    list_filter = ("action",)
    search_fields = ("industry", "term", "detail")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SalesTeam)
class SalesTeamAdmin(admin.ModelAdmin):
    """Teams of reps, for the board's and the dashboard's team filter."""

    list_display = ("name", "member_count")
    search_fields = ("name", "members__username", "members__first_name", "members__last_name")
    filter_horizontal = ("members",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[SalesTeam]:
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description="Members", ordering="member_count")
    def member_count(self, team: SalesTeam) -> int:
        return team.member_count  # type: ignore[attr-defined]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "members":
            kwargs["queryset"] = assignable_users()
        return super().formfield_for_manytomany(db_field, request, **kwargs)
