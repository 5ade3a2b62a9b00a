"""The company merge page: managers fold a duplicate company into this one and see what was merged."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from leads import merging, roles
from leads.import_forms import MergeForm
from leads.models import Company


def _company_for_manager(request: HttpRequest, company_pk: int) -> Company:
    # Reps get the same answer as for a company that does not exist.
    if not roles.is_manager(request.user):
        raise Http404("No such company.")
    return get_object_or_404(Company.objects.select_related("merged_into"), pk=company_pk)


@require_GET
@login_required
def merge_page(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = _company_for_manager(request, company_pk)
    query = request.GET.get("q", "")[:100]
    context = {
        "company": company,
        "candidates": [] if company.merged_into_id else merging.merge_candidates(company),
        "query": query,
        "found": [] if company.merged_into_id else merging.search_companies(company, query),
        "history": merging.merge_history(company),
        "contact_count": company.contacts.count(),
        "lead_count": company.leads.count(),
    }
    return render(request, "companies/merge.html", context)


@require_POST
@login_required
def merge(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = _company_for_manager(request, company_pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        raise Http404("No company to merge.")
    other = get_object_or_404(Company, pk=form.cleaned_data["merged"])
    try:
        record = merging.merge_companies(company, other, request.user)
    except merging.MergeError as error:
        messages.error(request, str(error))
    else:
        moved = record.moved
        messages.success(
            request,
            f"Merged {record.merged_name or f'company {record.merged_company_pk}'} into {company}: "
            f"{moved['contacts']} contacts, {moved['leads']} leads, {moved['activities']} activities and "
            f"{moved['followup_tasks']} follow-up tasks moved.",
        )
    return redirect("companies:merge_page", company_pk=company.pk)
