from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from followups import queries


@require_GET
@login_required
def my_followups(request: HttpRequest) -> HttpResponse:
    """A rep's open follow-ups, overdue first."""
    tasks = queries.open_followups_for(request.user)
    return render(request, "followups/my_followups.html", {"tasks": tasks, "now": timezone.now()})
