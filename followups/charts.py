"""How a dashboard's numbers look as a chart: bar, line and funnel charts as self-contained, accessible SVG.

Every chart is drawn on the server from plain numbers, so the page needs no JavaScript or build step.
Each chart carries a <title> and <desc> named by `aria-labelledby`, every mark has its own <title> (a
tooltip and a screen-reader label), and every piece of text is escaped: labels come from user data
(company countries, rep names) and end up inside markup.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, dark enough on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#7F7F7F", "#332288")

_FONT_PX = 12
_CHAR_PX = 6.6  # average glyph width at _FONT_PX in a system sans-serif: enough to truncate labels safely
_SAFE_ID = re.compile(r"[^a-z0-9-]+")
_SAFE_HREF = re.compile(r"^(/|\?|https?://)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Series:
    """One set of values, one per category (or x position); None is a gap (no data)."""

    name: str
    values: tuple[float | None, ...]
    hrefs: tuple[str, ...] = ()  # optional link per value, same order as `values`


@dataclass(frozen=True, slots=True)
class FunnelStep:
    label: str
    value: int
    href: str = ""


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = False,
    horizontal: bool = False,
    value_format: str = "{:,.0f}",
    width: int = 640,
    bar_px: int = 22,
) -> str:
    """A vertical (or horizontal) bar chart; with several series, bars are grouped side by side or stacked.

    `value_format` is a str.format pattern for one number ("{:.0f}%"). Horizontal charts grow with the
    number of categories (`bar_px` per bar), so long lists of reps or countries stay readable.
    """
    _check_lengths(categories, series)
    cid = _chart_id(chart_id)
    totals = [
        sum(_number(s.values[index]) for s in series)
        if stacked
        else max((_number(s.values[index]) for s in series), default=0.0)
        for index in range(len(categories))
    ]
    axis = _axis(max(totals, default=0.0))
    legend = _legend(series, width) if len(series) > 1 else ("", 0)
    if horizontal:
        body, height = _horizontal_bars(
            categories, series, stacked, axis[0], value_format, width, bar_px, legend[1]
        )
    else:
        body, height = _vertical_bars(categories, series, stacked, axis, value_format, width, legend[1])
    return _svg(cid, title, description, width, height, legend[0] + body)


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    value_format: str = "{:,.0f}",
    y_max: float | None = None,
    width: int = 640,
    height: int = 260,
) -> str:
    """Lines over the x positions; a None value breaks the line (no data that week) instead of drawing zero."""
    _check_lengths(x_labels, series)
    cid = _chart_id(chart_id)
    observed = [_number(value) for s in series for value in s.values if value is not None]
    top, step = _axis(max(observed, default=0.0), y_max)
    legend, legend_height = _legend(series, width) if len(series) > 1 else ("", 0)
    left, right, bottom = 56, 30, 34  # room for the last x label, centred on the right edge
    plot_top = 12 + legend_height
    plot_height = height - plot_top - bottom
    plot_width = width - left - right
    count = len(x_labels)
    x_step = plot_width / max(1, count - 1)

    def x_of(index: int) -> float:
        return left + (index * x_step if count > 1 else plot_width / 2)

    def y_of(value: float) -> float:
        return plot_top + plot_height - (min(value, top) / top) * plot_height

    parts = [legend, _y_axis(left, plot_top, plot_width, plot_height, (top, step), value_format)]
    label_every = max(1, math.ceil(count * 48 / plot_width))
    for index, label in enumerate(x_labels):
        if index % label_every == 0 or index == count - 1:
            parts.append(
                f'<text class="chart-axis" x="{x_of(index):.1f}" y="{plot_top + plot_height + 18}" '
                f'text-anchor="middle">{_text(_truncate(label, 10))}</text>'
            )
    for number, line in enumerate(series):
        color = PALETTE[number % len(PALETTE)]
        segments: list[list[tuple[float, float]]] = [[]]
        for index, value in enumerate(line.values):
            if value is None:
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append((x_of(index), y_of(_number(value))))
        for segment in segments:
            if len(segment) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                parts.append(
                    f'<polyline fill="none" stroke="{color}" stroke-width="2.5" stroke-linejoin="round" '
                    f'points="{points}"/>'
                )
        for index, value in enumerate(line.values):
            if value is None:
                continue
            label = f"{line.name}, {x_labels[index]}: {value_format.format(_number(value))}"
            dot = (
                f'<circle cx="{x_of(index):.1f}" cy="{y_of(_number(value)):.1f}" r="4" fill="{color}" '
                f'stroke="#fff" stroke-width="1.5"><title>{_text(label)}</title></circle>'
            )
            parts.append(_link(_href_at(line, index), dot, label))
    return _svg(cid, title, description, width, height, "".join(parts))


def funnel_chart(
    chart_id: str, title: str, description: str, steps: Sequence[FunnelStep], *, width: int = 640
) -> str:
    """Centred bars, one per step, as wide as the step's count, with the share of the first step kept."""
    cid = _chart_id(chart_id)
    row_height, gap, label_width, value_width = 30, 6, 150, 120
    height = 12 + len(steps) * (row_height + gap)
    plot_width = width - label_width - value_width
    first = steps[0].value if steps else 0
    widest = max((step.value for step in steps), default=0) or 1
    parts = []
    for index, step in enumerate(steps):
        y = 6 + index * (row_height + gap)
        middle = y + row_height / 2 + 4
        bar_width = max(2.0, plot_width * step.value / widest) if step.value else 0.0
        x = label_width + (plot_width - bar_width) / 2
        share = f" ({step.value / first:.0%} of {steps[0].label.lower()})" if first and index else ""
        label = f"{step.label}: {step.value:,}{share}"
        color = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<text class="chart-label" x="{label_width - 8}" y="{middle:.1f}" '
            f'text-anchor="end">{_text(_truncate(step.label, 22))}</text>'
        )
        bar = (
            f'<rect x="{x:.1f}" y="{y}" width="{bar_width:.1f}" height="{row_height}" rx="3" fill="{color}">'
            f"<title>{_text(label)}</title></rect>"
        )
        parts.append(_link(step.href, bar, label))
        value_text = f"{step.value:,}" + (f" · {step.value / first:.0%}" if first and index else "")
        parts.append(
            f'<text class="chart-value" x="{label_width + plot_width + 10:.1f}" y="{middle:.1f}">'
            f"{_text(value_text)}</text>"
        )
    return _svg(cid, title, description, width, height, "".join(parts))


# --- drawing helpers ----------------------------------------------------------------------------


def _vertical_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    stacked: bool,
    axis: tuple[float, float],
    value_format: str,
    width: int,
    legend_height: int,
) -> tuple[str, int]:
    top = axis[0]
    height = 260 + legend_height
    left, right, bottom = 56, 12, 40
    plot_top = 12 + legend_height
    plot_height = height - plot_top - bottom
    plot_width = width - left - right
    count = max(1, len(categories))
    slot = plot_width / count
    group_width = slot * 0.7
    bar_width = group_width if stacked else group_width / max(1, len(series))
    parts = [_y_axis(left, plot_top, plot_width, plot_height, axis, value_format)]
    max_chars = max(3, int(slot / _CHAR_PX))
    for index, category in enumerate(categories):
        x0 = left + index * slot + (slot - group_width) / 2
        base = 0.0
        for number, item in enumerate(series):
            value = _number(item.values[index])
            bar_height = plot_height * value / top
            x = x0 if stacked else x0 + number * bar_width
            y = plot_top + plot_height - (base + bar_height if stacked else bar_height)
            label = _mark_label(category, item, value, value_format, len(series))
            parts.append(
                _bar(
                    x, y, bar_width, bar_height, PALETTE[number % len(PALETTE)], label, _href_at(item, index)
                )
            )
            if stacked:
                base += bar_height
        parts.append(
            f'<text class="chart-axis" x="{left + index * slot + slot / 2:.1f}" y="{plot_top + plot_height + 18}" '
            f'text-anchor="middle">{_text(_truncate(category, max_chars))}<title>{_text(category)}</title></text>'
        )
    return "".join(parts), height


def _horizontal_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    stacked: bool,
    top: float,
    value_format: str,
    width: int,
    bar_px: int,
    legend_height: int,
) -> tuple[str, int]:
    label_width, right = 130, 56
    plot_top = 8 + legend_height
    per_group = bar_px if stacked else bar_px * max(1, len(series))
    row = per_group + 8
    height = plot_top + max(1, len(categories)) * row + 8
    plot_width = width - label_width - right
    parts = [
        f'<line class="chart-grid" x1="{label_width}" y1="{plot_top}" x2="{label_width}" y2="{height - 8}"/>'
    ]
    for index, category in enumerate(categories):
        y0 = plot_top + index * row + 4
        base = 0.0
        total = 0.0
        for number, item in enumerate(series):
            value = _number(item.values[index])
            length = plot_width * value / top
            x = label_width + (base if stacked else 0.0)
            y = y0 if stacked else y0 + number * bar_px
            label = _mark_label(category, item, value, value_format, len(series))
            parts.append(
                _bar(x, y, length, bar_px, PALETTE[number % len(PALETTE)], label, _href_at(item, index))
            )
            if stacked:
                base += length
                total += value
            else:
                parts.append(
                    f'<text class="chart-value" x="{x + length + 4:.1f}" y="{y + bar_px / 2 + 4:.1f}">'
                    f"{_text(value_format.format(value))}</text>"
                )
        if stacked:
            parts.append(
                f'<text class="chart-value" x="{label_width + base + 4:.1f}" y="{y0 + bar_px / 2 + 4:.1f}">'
                f"{_text(value_format.format(total))}</text>"
            )
        parts.append(
            f'<text class="chart-label" x="{label_width - 6}" y="{y0 + per_group / 2 + 4:.1f}" text-anchor="end">'
            f"{_text(_truncate(category, 18))}<title>{_text(category)}</title></text>"
        )
    return "".join(parts), height


def _bar(x: float, y: float, width: float, height: float, color: str, label: str, href: str) -> str:
    if width <= 0 or height <= 0:
        return ""
    rect = (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{color}">'
        f"<title>{_text(label)}</title></rect>"
    )
    return _link(href, rect, label)


def _y_axis(
    left: int,
    plot_top: float,
    plot_width: float,
    plot_height: float,
    axis: tuple[float, float],
    value_format: str,
) -> str:
    top, step = axis
    parts = []
    for tick in range(round(top / step) + 1):
        value = tick * step
        y = plot_top + plot_height - plot_height * value / top
        parts.append(
            f'<line class="chart-grid" x1="{left}" y1="{y:.1f}" x2="{left + plot_width:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="chart-axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_text(value_format.format(value))}</text>"
        )
    return "".join(parts)


def _legend(series: Sequence[Series], width: int) -> tuple[str, int]:
    parts = []
    x, y = 8.0, 4.0
    for number, item in enumerate(series):
        name = _truncate(item.name, 24)
        item_width = 22 + len(name) * _CHAR_PX + 14
        if x + item_width > width and x > 8:
            x, y = 8.0, y + 18
        color = PALETTE[number % len(PALETTE)]
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 2:.1f}" width="12" height="12" rx="2" fill="{color}"/>'
            f'<text class="chart-legend" x="{x + 17:.1f}" y="{y + 12:.1f}">{_text(name)}</text>'
        )
        x += item_width
    return f'<g class="chart-legend-items">{"".join(parts)}</g>', int(y + 24)


def _mark_label(category: str, item: Series, value: float, value_format: str, series_count: int) -> str:
    prefix = f"{category}, {item.name}" if series_count > 1 else category
    return f"{prefix}: {value_format.format(value)}"


def _link(href: str, mark: str, label: str) -> str:
    if not href or not mark or not _SAFE_HREF.match(href):
        return mark
    return f'<a href="{_text(href)}" aria-label="{_text(label)}">{mark}</a>'


def _href_at(item: Series, index: int) -> str:
    return item.hrefs[index] if index < len(item.hrefs) else ""


def _svg(cid: str, title: str, description: str, width: int, height: int, body: str) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'font-size="{_FONT_PX}">'
        f'<title id="{cid}-title">{_text(title)}</title><desc id="{cid}-desc">{_text(description)}</desc>'
        f"{body}</svg>"
    )


def _check_lengths(categories: Sequence[str], series: Sequence[Series]) -> None:
    for item in series:
        if len(item.values) != len(categories):
            raise ValueError(
                f"series {item.name!r} has {len(item.values)} values for {len(categories)} categories"
            )


def _chart_id(raw: str) -> str:
    cleaned = _SAFE_ID.sub("-", raw.lower()).strip("-")
    return f"chart-{cleaned or 'unnamed'}"


def _number(value: float | None) -> float:
    if value is None or not math.isfinite(value):
        return 0.0
    return max(0.0, float(value))


def _axis(value: float, top: float | None = None) -> tuple[float, float]:
    """(top, step) of the value axis: at most four steps of 1, 2, 2.5 or 5 times a power of ten, so ticks
    are round numbers (0, 2, 4, 6, 8 rather than 0, 1.75, 3.5...)."""
    if top is not None and top > 0:
        return top, top / 4
    if value <= 0:
        return 1.0, 1.0
    raw_step = value / 4
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(factor * magnitude for factor in (1, 2, 2.5, 5, 10) if factor * magnitude >= raw_step)
    return step * math.ceil(value / step - 1e-9), step


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


def _text(value: str) -> str:
    return escape(str(value), quote=True)
