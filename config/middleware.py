"""Request-wide settings that every page shares."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def office_time_zone(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Show and read times in the sales office's zone (SALES_OFFICE_TZ), where the reps work.

    Templates convert aware datetimes to this zone and forms read entered times in it; values that are
    meant as a contact's wall clock are rendered inside {% localtime off %}. Stored times stay UTC.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        with timezone.override(ZoneInfo(settings.SALES_OFFICE_TZ)):
            return get_response(request)

    return middleware
