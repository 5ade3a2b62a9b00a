"""Server-side SVG charts: valid, accessible, escaped, and drawn to scale."""

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from followups import charts
from followups.charts import FunnelStep, Series

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[2]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # raises on malformed markup, unescaped "<" or "&" included


def rects(svg: ET.Element) -> list[ET.Element]:
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]


def test_charts_module_is_pure() -> None:
    tree = ast.parse((ROOT / "followups" / "charts.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in {"django", "leads", "followups"}}


def test_bar_chart_is_accessible_with_title_desc_and_labelled_marks() -> None:
    svg = parse(
        charts.bar_chart("t", "Leads by bucket", "How long they waited", ["A", "B"], [Series("n", (3, 1))])
    )
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-t-title chart-t-desc"
    assert svg.find(f"{SVG}title").text == "Leads by bucket"
    assert svg.find(f"{SVG}title").get("id") == "chart-t-title"
    assert svg.find(f"{SVG}desc").text == "How long they waited"
    assert [rect.find(f"{SVG}title").text for rect in rects(svg)] == ["A: 3", "B: 1"]


def test_bars_are_drawn_to_scale() -> None:
    svg = parse(charts.bar_chart("s", "t", "d", ["A", "B", "C"], [Series("n", (40, 20, 0))]))
    heights = [float(rect.get("height")) for rect in rects(svg)]
    assert len(heights) == 2  # a zero draws no bar
    assert heights[0] == pytest.approx(2 * heights[1])


def test_stacked_bars_add_up_and_grouped_bars_sit_side_by_side() -> None:
    stacked = parse(
        charts.bar_chart("s", "t", "d", ["A"], [Series("x", (2,)), Series("y", (3,))], stacked=True)
    )
    first, second = rects(stacked)
    assert float(first.get("x")) == float(second.get("x"))
    assert float(second.get("y")) + float(second.get("height")) == pytest.approx(float(first.get("y")))
    grouped = parse(charts.bar_chart("g", "t", "d", ["A"], [Series("x", (2,)), Series("y", (3,))]))
    left, right = rects(grouped)
    assert float(left.get("x")) < float(right.get("x"))
    legend = [text.text for text in grouped.iter(f"{SVG}text") if text.get("class") == "chart-legend"]
    assert legend == ["x", "y"]


def test_horizontal_bars_show_values_and_full_labels_in_titles() -> None:
    long_name = "Alexandra Konstantinopoulou-Smythe"
    svg = parse(
        charts.bar_chart("h", "t", "d", [long_name, "Bo"], [Series("Rate", (50.0, 25.0))], horizontal=True,
                         value_format="{:.0f}%")
    )  # fmt: skip
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "50%" in texts
    assert "25%" in texts
    label = next(text for text in svg.iter(f"{SVG}text") if text.get("class") == "chart-label")
    assert label.text.endswith("…")
    assert label.find(f"{SVG}title").text == long_name
    widths = [float(rect.get("width")) for rect in rects(svg)]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.2)  # coordinates are written to 0.1 px


def test_every_label_is_escaped() -> None:
    nasty = '<script>alert("x")</script> & co'
    markup = charts.bar_chart(nasty, nasty, nasty, [nasty], [Series(nasty, (1,), (f'/board/?q="{nasty}',))])
    markup += charts.line_chart("l", nasty, nasty, [nasty, "b"], [Series(nasty, (1, 2)), Series("y", (2, 1))])
    markup += charts.funnel_chart("f", nasty, nasty, [FunnelStep(nasty, 5, "/board/?a=1&b=2")])
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    for part in re.findall(r"<svg.*?</svg>", markup, flags=re.S):
        parse(part)


def test_links_keep_only_relative_or_http_targets() -> None:
    svg = charts.bar_chart(
        "k", "t", "d", ["A", "B"], [Series("n", (1, 2), ("javascript:alert(1)", "/board/?waiting=7"))]
    )
    assert "javascript:" not in svg
    assert svg.count("<a ") == 1
    assert 'href="/board/?waiting=7"' in svg


def test_line_chart_breaks_at_missing_weeks_and_scales_to_its_maximum() -> None:
    svg = parse(
        charts.line_chart("l", "Rate", "d", ["w1", "w2", "w3", "w4"], [Series("All", (50.0, None, 25.0, 75.0))],
                          value_format="{:.0f}%", y_max=100)
    )  # fmt: skip
    lines = list(svg.iter(f"{SVG}polyline"))
    assert len(lines) == 1  # w1 stands alone; w3-w4 are joined
    assert len(lines[0].get("points").split()) == 2
    dots = {dot.find(f"{SVG}title").text: float(dot.get("cy")) for dot in svg.iter(f"{SVG}circle")}
    assert set(dots) == {"All, w1: 50%", "All, w3: 25%", "All, w4: 75%"}
    bottom = dots["All, w3: 25%"] + (dots["All, w3: 25%"] - dots["All, w1: 50%"])  # 0 % by symmetry
    assert dots["All, w4: 75%"] == pytest.approx(bottom - 3 * (bottom - dots["All, w3: 25%"]))


@pytest.mark.parametrize(
    ("values", "y_max", "ticks"),
    [
        ((10.0, 90.0), 100, ["0%", "25%", "50%", "75%", "100%"]),
        ((10.0, 290.0), None, ["0%", "100%", "200%", "300%"]),
    ],
)
def test_line_chart_value_axis_has_round_ticks(values, y_max, ticks) -> None:
    svg = parse(
        charts.line_chart(
            "l", "t", "d", ["a", "b"], [Series("A", values)], value_format="{:.0f}%", y_max=y_max
        )
    )
    labels = [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "chart-axis"]
    assert labels == [*ticks, "a", "b"]


def test_funnel_bars_shrink_with_each_step_and_show_the_share_of_the_first() -> None:
    steps = [FunnelStep("Received", 200), FunnelStep("Genuine", 100), FunnelStep("Won", 0)]
    svg = parse(charts.funnel_chart("f", "Funnel", "d", steps))
    bars = rects(svg)
    assert float(bars[0].get("width")) == pytest.approx(2 * float(bars[1].get("width")))
    assert float(bars[2].get("width")) == 0
    assert [bar.find(f"{SVG}title").text for bar in bars] == [
        "Received: 200",
        "Genuine: 100 (50% of received)",
        "Won: 0 (0% of received)",
    ]


def test_empty_data_still_draws_a_valid_chart() -> None:
    parse(charts.bar_chart("e", "t", "d", [], []))
    parse(charts.line_chart("e", "t", "d", [], []))
    parse(charts.funnel_chart("e", "t", "d", []))


def test_series_must_match_the_categories() -> None:
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        charts.bar_chart("x", "t", "d", ["a", "b", "c"], [Series("n", (1, 2))])


@pytest.mark.parametrize(
    ("value", "ticks"),
    [
        (0, ["0", "1"]),
        (3, ["0", "1", "2", "3"]),
        (7, ["0", "2", "4", "6", "8"]),
        (12, ["0", "5", "10", "15"]),
        (40, ["0", "10", "20", "30", "40"]),
        (99, ["0", "25", "50", "75", "100"]),
        (101, ["0", "50", "100", "150"]),
        (2300, ["0", "1,000", "2,000", "3,000"]),
    ],
)
def test_value_axis_has_round_ticks(value, ticks) -> None:
    svg = parse(charts.bar_chart("n", "t", "d", ["a"], [Series("n", (value,))]))
    assert [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "chart-axis"][:-1] == ticks
