"""A board card, rendered in Python.

A board page shows about a hundred cards; through the template engine each costs a quarter of a millisecond
(about thirty lookups and an include), which made the cards a third of a page's server time. The markup is
the one `leads/partials/lead_card.html` gives (that template calls this tag); every value is escaped by
format_html.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from leads.board import Card

register = template.Library()

_EMPTY = mark_safe("")


@register.simple_tag(takes_context=True)
def lead_card(context: template.Context, card: Card) -> SafeString:
    return render_card(card, context.get("csrf_input", _EMPTY))


def render_card(card: Card, csrf_input: Any) -> SafeString:
    urls = card.urls
    polling = _EMPTY
    if card.is_checking:
        polling = format_html(
            ' hx-get="{}?column={}" hx-trigger="every 3s" hx-swap="outerHTML"', urls["card"], card.stage
        )
    tier = _EMPTY
    if card.fit_tier:
        tier = format_html(
            '<span class="tier tier-{}" title="Fit score">{}<small>{}</small></span>',
            card.fit_tier,
            card.fit_tier,
            card.fit_label,
        )
    badges = format_html_join(
        "", '<span class="badge {}">{}</span>', ((badge.css, badge.text) for badge in card.badges)
    )
    junk = format_html('<p class="junk-reason">{}</p>\n', card.junk_reason) if card.junk_reason else _EMPTY
    meta = format_html_join(
        "",
        '<span class="{}" title="{}">{}</span>',
        ((item.css, item.title, item.text) for item in card.meta),
    )
    if card.can_claim:
        owner = mark_safe('<span class="owner pool">Pool</span>')
    else:
        owner = format_html('<span class="owner">{}</span>', card.owner_name)
    actions = _EMPTY
    if card.can_claim or card.can_edit:
        claim = _EMPTY
        if card.can_claim:
            claim = format_html(
                '<button type="submit" formaction="{}" hx-post="{}" class="btn btn-small btn-primary"'
                ' data-key="c" title="Claim (c)">Claim</button>',
                urls["claim"],
                urls["claim"],
            )
        recheck = _EMPTY
        if card.can_edit:
            recheck = format_html(
                '<button type="submit" hx-post="{}" class="btn btn-small" data-key="r" title="Re-check (r)"'
                ' aria-label="Re-check">↻</button>',
                urls["recheck"],
            )
        actions = format_html(
            '<form method="post" action="{}" hx-target="closest .lead-card" hx-swap="outerHTML">{}'
            '<input type="hidden" name="column" value="{}">{}{}</form>',
            urls["recheck"],
            csrf_input,
            card.stage,
            claim,
            recheck,
        )
    menu = _EMPTY
    if card.can_edit or card.can_assign:
        menu = format_html(
            '<details class="card-menu" hx-get="{}" hx-trigger="toggle once" hx-target="find .menu-body">'
            '<summary class="btn btn-small" title="More actions (m)" aria-label="More actions">⋯</summary>'
            '<div class="menu-body"><a href="{}">Open the lead to move, snooze or junk it</a></div></details>',
            urls["actions"],
            urls["detail"],
        )
    return format_html(
        '<article class="lead-card {}" id="lead-{}" tabindex="0"{}>\n'
        '<div class="card-top"><input class="card-select" type="checkbox" form="bulk-form" name="lead" value="{}"'
        ' aria-label="Select" tabindex="-1"><a class="card-title" href="{}" tabindex="-1">{}</a>{}</div>\n'
        '<div class="card-contact"><span class="flag" title="{}">{}</span><span class="contact-name">{}</span>'
        '<span class="local-time {}" title="Their local time">{}</span></div>\n'
        '<div class="badges">{}</div>\n'
        "{}"
        '<div class="card-meta">{}</div>\n'
        '<div class="card-foot">{}<div class="card-actions">\n{}\n{}\n</div></div>\n'
        "</article>\n",
        card.css,
        card.id,
        polling,
        card.id,
        urls["detail"],
        card.company,
        tier,
        card.country_name,
        card.flag,
        card.contact_label,
        card.local_css,
        card.local_label,
        badges,
        junk,
        meta,
        owner,
        actions,
        menu,
    )
