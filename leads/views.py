from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from leads import queries, roles
from leads.models import Stage
from leads.qualification import request_check

BOARD_PAGE_SIZE = 20


@require_GET
@login_required
def board(request: HttpRequest) -> HttpResponse:
    columns = [
        (stage, list(queries.leads_for_board(request.user, stage.value)[:BOARD_PAGE_SIZE])) for stage in Stage
    ]
    return render(request, "leads/board.html", {"columns": columns})


@require_GET
@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(queries.lead_for_user(request.user), pk=pk)
    return render(request, "leads/lead_detail.html", {"lead": lead})


@require_POST
@login_required
def recheck(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_object_or_404(roles.editable_leads(request.user), pk=pk)
    request_check(lead)
    return redirect("leads:detail", pk=lead.pk)
