"""A board card, rendered in Python.

A board page shows about a hundred cards; through the template engine each costs a quarter of a millisecond
(about thirty lookups and an include), which made the cards a third of a page's server time. The markup is
the one `leads/partials/lead_card.html` gives (that template calls this tag). Every value goes through `_e`,
Django's conditional escaping (safe strings as they are, anything else escaped like `django.utils.html.escape`)
without its per-call lazy-string bookkeeping, which at a few thousand values a page was most of the cost.
"""

from __future__ import annotations

import html
from typing import Any

from django import template
from django.utils.safestring import SafeData, SafeString, mark_safe

from leads.board import Card

register = template.Library()


def _e(value: Any) -> str:
    return str(value) if isinstance(value, SafeData) else html.escape(str(value), quote=True)


@register.simple_tag(takes_context=True)
def lead_card(context: template.Context, card: Card) -> SafeString:
    return render_card(card, context.get("csrf_input", ""))


def render_card(card: Card, csrf_input: Any) -> SafeString:
    urls = card.urls
    polling = ""
    if card.is_checking:
        polling = (
            f' hx-get="{_e(urls["card"])}?column={_e(card.stage)}" hx-trigger="every 3s" hx-swap="outerHTML"'
        )
    tier = ""
    if card.fit_tier:
        tier = (
            f'<span class="tier tier-{_e(card.fit_tier)}" title="Fit score">{_e(card.fit_tier)}'
            f"<small>{_e(card.fit_label)}</small></span>"
        )
    badges = "".join(f'<span class="badge {_e(badge.css)}">{_e(badge.text)}</span>' for badge in card.badges)
    junk = f'<p class="junk-reason">{_e(card.junk_reason)}</p>\n' if card.junk_reason else ""
    meta = "".join(
        f'<span class="{_e(item.css)}" title="{_e(item.title)}">{_e(item.text)}</span>' for item in card.meta
    )
    if card.can_claim:
        owner = '<span class="owner pool">Pool</span>'
    else:
        owner = f'<span class="owner">{_e(card.owner_name)}</span>'
    actions = ""
    if card.can_claim or card.can_edit:
        claim = ""
        if card.can_claim:
            claim_url = _e(urls["claim"])
            claim = (
                f'<button type="submit" formaction="{claim_url}" hx-post="{claim_url}" class="btn btn-small'
                ' btn-primary" data-key="c" title="Claim (c)">Claim</button>'
            )
        recheck = ""
        if card.can_edit:
            recheck = (
                f'<button type="submit" hx-post="{_e(urls["recheck"])}" class="btn btn-small" data-key="r"'
                ' title="Re-check (r)" aria-label="Re-check">↻</button>'
            )
        actions = (
            f'<form method="post" action="{_e(urls["recheck"])}" hx-target="closest .lead-card"'
            f' hx-swap="outerHTML">{_e(csrf_input)}<input type="hidden" name="column" value="{_e(card.stage)}">'
            f"{claim}{recheck}</form>"
        )
    menu = ""
    if card.can_edit or card.can_assign:
        menu = (
            f'<details class="card-menu" hx-get="{_e(urls["actions"])}" hx-trigger="toggle once"'
            ' hx-target="find .menu-body"><summary class="btn btn-small" title="More actions (m)"'
            ' aria-label="More actions">⋯</summary><div class="menu-body">'
            f'<a href="{_e(urls["detail"])}">Open the lead to move, snooze or junk it</a></div></details>'
        )
    return mark_safe(  # noqa: S308 - every value above went through _e
        f'<article class="lead-card {_e(card.css)}" id="lead-{_e(card.id)}" tabindex="0"{polling}>\n'
        f'<div class="card-top"><input class="card-select" type="checkbox" form="bulk-form" name="lead"'
        f' value="{_e(card.id)}" aria-label="Select" tabindex="-1"><a class="card-title"'
        f' href="{_e(urls["detail"])}" tabindex="-1">{_e(card.company)}</a>{tier}</div>\n'
        f'<div class="card-contact"><span class="flag" title="{_e(card.country_name)}">{_e(card.flag)}</span>'
        f'<span class="contact-name">{_e(card.contact_label)}</span><span class="local-time'
        f' {_e(card.local_css)}" title="Their local time">{_e(card.local_label)}</span></div>\n'
        f'<div class="badges">{badges}</div>\n'
        f"{junk}"
        f'<div class="card-meta">{meta}</div>\n'
        f'<div class="card-foot">{owner}<div class="card-actions">\n{actions}\n{menu}\n</div></div>\n'
        "</article>\n"
    )
