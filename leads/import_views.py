"""Import pages: upload an export, check the column mapping on a preview, run it with a progress bar."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from followups.csv_export import to_csv
from leads import imports, roles
from leads.import_forms import MappingForm, UploadForm, mapping_initial
from leads.importing.columns import Field, mapping_from_preset
from leads.importing.sheet import Sheet, preview
from leads.importing.tables import FileProblem
from leads.models import Attachment, ImportRun

PREVIEW_ROWS = 10
SHOWN_REPORTS = 200
# Attachment types a browser may be told; everything else is handed out as plain bytes.
_SAFE_DOWNLOAD_TYPES = frozenset(
    {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"}
)


def can_import(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Managers and reps import; a login without a role does not."""
    return roles.is_manager(user) or (
        user.is_authenticated and user.groups.filter(name=roles.SALES_REP).exists()
    )


def _runs(user: AbstractBaseUser | AnonymousUser) -> QuerySet[ImportRun]:
    if not can_import(user):
        raise PermissionDenied("Only managers and sales reps import inquiries.")
    runs = ImportRun.objects.select_related("created_by", "job", "preset")
    return runs if roles.is_manager(user) else runs.filter(created_by=user)


@require_http_methods(["GET", "POST"])
@login_required
def upload(request: HttpRequest) -> HttpResponse:
    runs = _runs(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        run = imports.save_upload(upload_file.name, upload_file.read(), request.user)
        run.encoding = form.cleaned_data["encoding"]
        run.save(update_fields=["encoding"])
        return redirect("imports:mapping", run_pk=run.pk)
    return render(request, "imports/upload.html", {"form": form, "runs": runs[:20]})


def _opened(run: ImportRun) -> Sheet | str:
    try:
        data = imports.stored_bytes(run)
    except imports.ImportFileError as error:
        return str(error)
    opened = imports.open_sheet(data, run.file_name, run.encoding)
    if isinstance(opened, FileProblem):
        return opened.message
    return opened[1]


def _mapping_context(
    run: ImportRun, sheet: Sheet, form: MappingForm, mapping: dict[int, Field]
) -> dict[str, object]:
    shown = preview(sheet, mapping, ZoneInfo(settings.SALES_OFFICE_TZ), PREVIEW_ROWS)
    earlier = (
        ImportRun.objects.filter(sha256=run.sha256, status=ImportRun.Status.DONE)
        .exclude(pk=run.pk)
        .order_by("-pk")
        .first()
    )
    columns = [mapping.get(index) for index in range(len(sheet.headers))]
    return {
        "run": run,
        "form": form,
        "headers": sheet.headers,
        "columns": columns,
        "preview": shown,
        "total_rows": len(sheet.body),
        "earlier": earlier,
    }


@require_GET
@login_required
def mapping(request: HttpRequest, run_pk: int) -> HttpResponse:
    run = get_object_or_404(_runs(request.user), pk=run_pk)
    if run.status != ImportRun.Status.UPLOADED:
        return redirect("imports:detail", run_pk=run.pk)
    sheet = _opened(run)
    if isinstance(sheet, str):
        return render(request, "imports/mapping.html", {"run": run, "problem": sheet})
    current = imports.mapping_for(run, sheet)
    form = MappingForm(
        initial={"source": run.source, "preset": run.preset, **mapping_initial(current)},
        headers=sheet.headers,
    )
    return render(request, "imports/mapping.html", _mapping_context(run, sheet, form, current))


@require_POST
@login_required
@vary_on_headers("HX-Request")
def mapping_preview(request: HttpRequest, run_pk: int) -> HttpResponse:
    """The mapping form and preview again, under the mapping as chosen so far (or a preset applied)."""
    run = get_object_or_404(_runs(request.user), pk=run_pk, status=ImportRun.Status.UPLOADED)
    sheet = _opened(run)
    if isinstance(sheet, str):
        return render(request, "imports/mapping.html", {"run": run, "problem": sheet})
    form = MappingForm(request.POST, headers=sheet.headers)
    current = form.mapping() if form.is_valid() else {}
    if form.is_valid() and "apply_preset" in request.POST and form.cleaned_data["preset"] is not None:
        preset = form.cleaned_data["preset"]
        current = mapping_from_preset(sheet.headers, preset.mapping)
        form = MappingForm(
            initial={**form.cleaned_data, "source": preset.source, **mapping_initial(current), "save_as": ""},
            headers=sheet.headers,
        )
    template = "imports/mapping.html"
    if request.htmx and not request.htmx.history_restore_request:
        template = "imports/partials/mapping_form.html"
    return render(request, template, _mapping_context(run, sheet, form, current))


@require_POST
@login_required
def start(request: HttpRequest, run_pk: int) -> HttpResponse:
    run = get_object_or_404(_runs(request.user), pk=run_pk)
    if run.status != ImportRun.Status.UPLOADED:
        return redirect("imports:detail", run_pk=run.pk)
    sheet = _opened(run)
    if isinstance(sheet, str):
        return render(request, "imports/mapping.html", {"run": run, "problem": sheet})
    form = MappingForm(request.POST, headers=sheet.headers)
    if not form.is_valid():
        template = "imports/partials/mapping_form.html" if request.htmx else "imports/mapping.html"
        return render(request, template, _mapping_context(run, sheet, form, {}))
    imports.start_import(
        run,
        mapping=form.mapping(),
        headers=sheet.headers,
        source=form.cleaned_data["source"],
        assign_to_creator=form.cleaned_data["assign_to_me"],
        preset_name=form.cleaned_data["save_as"].strip(),
        user=request.user,
    )
    if request.htmx:
        return HttpResponseClientRedirect(reverse("imports:detail", kwargs={"run_pk": run.pk}))
    return redirect("imports:detail", run_pk=run.pk)


def _run_context(run: ImportRun) -> dict[str, object]:
    return {
        "run": run,
        "job": run.job,
        "rejected": run.rejected_rows[:SHOWN_REPORTS],
        "warnings": run.warnings[:SHOWN_REPORTS],
        "more_rejected": max(0, run.rejected_count - SHOWN_REPORTS),
    }


@require_GET
@login_required
def detail(request: HttpRequest, run_pk: int) -> HttpResponse:
    run = get_object_or_404(_runs(request.user), pk=run_pk)
    if run.status == ImportRun.Status.UPLOADED:
        return redirect("imports:mapping", run_pk=run.pk)
    return render(request, "imports/run_detail.html", _run_context(run))


@require_GET
@login_required
def progress(request: HttpRequest, run_pk: int) -> HttpResponse:
    """The progress fragment; it polls itself until the run is finished."""
    run = get_object_or_404(_runs(request.user), pk=run_pk)
    return render(request, "imports/partials/run_progress.html", _run_context(run))


@require_GET
@login_required
def rejected_csv(request: HttpRequest, run_pk: int) -> HttpResponse:
    """The rejected rows with their reasons, to fix and import again; cells neutralized against formulas."""
    run = get_object_or_404(_runs(request.user), pk=run_pk)
    width = max((len(row.get("cells", [])) for row in run.rejected_rows), default=0)
    header = ["line", "reasons", *(f"column {index + 1}" for index in range(width))]
    rows = ([str(row["line"]), "; ".join(row["reasons"]), *row.get("cells", [])] for row in run.rejected_rows)
    response = HttpResponse(to_csv(header, rows, bom=True), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{run.pk}.csv"'
    return response


@require_GET
@login_required
def attachment(request: HttpRequest, attachment_pk: int) -> FileResponse:
    """A mail attachment, always as a download (never shown inline), to those who may see its lead."""
    item = get_object_or_404(
        Attachment.objects.filter(lead__in=roles.visible_leads(request.user)), pk=attachment_pk
    )
    content_type = (
        item.content_type if item.content_type in _SAFE_DOWNLOAD_TYPES else "application/octet-stream"
    )
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name or f"attachment-{item.pk}",
        content_type=content_type,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
