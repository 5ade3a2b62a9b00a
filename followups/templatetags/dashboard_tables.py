"""The dashboard's number tables, rendered in Python.

The page holds a dozen tables of up to a few hundred cells; through the template engine (a node per cell,
an include per table) they cost about as much as the queries behind them. Same markup as a template would
give, every value escaped by format_html.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _cell_html(cell: Any, is_first: bool) -> SafeString:
    if is_first:
        return format_html('<th scope="row">{}</th>', cell.shown)
    css = ""
    if cell.is_number:
        css = ' class="num zero"' if cell.is_zero else ' class="num"'
    if cell.href:
        return format_html('<td{}><a href="{}">{}</a></td>', mark_safe(css), cell.href, cell.shown)
    return format_html("<td{}>{}</td>", mark_safe(css), cell.shown)


def _row_html(cells: Any) -> SafeString:
    return mark_safe("".join(_cell_html(cell, index == 0) for index, cell in enumerate(cells)))


@register.simple_tag(takes_context=True)
def dash_table(context: template.Context, table: Any) -> SafeString:
    """A dashboard Table (followups.dashboard_views.Table) with its CSV link, for the page's filters."""
    headers = format_html_join(
        "",
        '<th scope="col"{}>{}</th>',
        (
            (mark_safe("" if index == 0 else ' class="num"'), header)
            for index, header in enumerate(table.shown_headers)
        ),
    )
    if table.rows:
        body = format_html_join("", "<tr>{}</tr>", ((_row_html(row),) for row in table.rows))
    else:
        body = format_html(
            '<tr><td colspan="{}" class="empty">Nothing to show for these filters.</td></tr>',
            len(table.headers),
        )
    footer = ""
    if table.footer and table.rows:
        footer = format_html("<tfoot><tr>{}</tr></tfoot>", _row_html(table.footer))
    request = context.get("request")
    query = request.GET.urlencode() if request is not None and request.GET else ""
    csv_url = reverse("dashboard:csv", args=[table.slug]) + (f"?{query}" if query else "")
    caption_extra = " (business days waited)" if table.display_headers else ""
    return format_html(
        '<div class="table-scroll">\n  <table class="table dash-table" id="table-{}">\n'
        '    <caption class="sr-only">{}{}</caption>\n'
        "    <thead><tr>{}</tr></thead>\n    <tbody>{}</tbody>{}\n  </table>\n</div>\n"
        '<p class="small csv-link"><a href="{}" download>Download CSV</a></p>',
        table.slug,
        table.title,
        caption_extra,
        headers,
        body,
        footer,
        csv_url,
    )
