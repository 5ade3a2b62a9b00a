"""Template filters for follow-ups: an offer's countdown and a channel's label."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from channels_ref.catalogue import CATALOGUE, ChannelKind

register = template.Library()

ENDING_SOON_S = 24 * 3600  # under a day left: shown as ending soon


@register.filter
def countdown(valid_until: datetime | None, now: datetime | None = None) -> str:
    """Time left as a rep reads it: "2 days 4 h left", "3 h 20 min left", "expired"."""
    if valid_until is None:
        return ""
    seconds = int((valid_until - (now or timezone.now())).total_seconds())
    if seconds <= 0:
        return "expired"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        day_word = "day" if days == 1 else "days"
        return f"{days} {day_word} {hours} h left" if hours else f"{days} {day_word} left"
    if hours:
        return f"{hours} h {minutes} min left" if minutes else f"{hours} h left"
    return f"{max(minutes, 1)} min left"


@register.filter
def countdown_state(valid_until: datetime | None, now: datetime | None = None) -> str:
    """ "expired", "ending" (under a day left) or "" — a CSS class."""
    if valid_until is None:
        return ""
    seconds = (valid_until - (now or timezone.now())).total_seconds()
    if seconds <= 0:
        return "expired"
    return "ending" if seconds < ENDING_SOON_S else ""


@register.filter
def channel_label(value: str) -> str:
    try:
        return CATALOGUE[ChannelKind(value)].label
    except ValueError:
        return value or "No channel"


@register.filter
def code_label(value: str) -> str:
    """A reason code as words: "public_holiday" -> "public holiday"."""
    return str(value).replace("_", " ")
