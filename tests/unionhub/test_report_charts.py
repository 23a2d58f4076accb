"""The report charts' layout (issue 19): value labels stay inside the plot area and off other bars,
whatever the values (zero, very large, negative, many categories, several series, a small chart);
category labels do not overlap; a money axis carries its unit."""

import math
import re
import xml.etree.ElementTree as ET

import pytest

from unionhub.reports.base import Chart
from unionhub.reports.charts import YUAN_UNIT, _text_height, _text_width, bar_svg, chart_svg, line_svg

SVG = "{http://www.w3.org/2000/svg}"
NAMES = ["困难职工生活救助", "金秋助学", "医疗救助", "送温暖", "大病互助", "应急救助", "子女入学", "其他"]
EPSILON = 0.6


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 — our own output, the very thing under test


def _plot_area(root: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) from the value axis (the one vertical line) and the grid lines."""
    lines = list(root.iter(f"{SVG}line"))
    (axis,) = [line for line in lines if line.get("x1") == line.get("x2")]
    grid = [line for line in lines if line.get("y1") == line.get("y2")]
    right = max(float(line.get("x2")) for line in grid)
    return float(axis.get("x1")), float(axis.get("y1")), right, float(axis.get("y2"))


def _box(text: ET.Element) -> tuple[float, float, float, float]:
    """The label's box on the page (left, top, right, bottom), measured as the chart measures text."""
    size = float(text.get("font-size"))
    x, y = float(text.get("x")), float(text.get("y"))
    width, height = _text_width(text.text, size), _text_height(size)
    start = {"start": 0.0, "middle": 0.5, "end": 1.0}[text.get("text-anchor")] * width
    rotate = re.match(r"rotate\((-?[\d.]+)", text.get("transform") or "")
    if rotate and float(rotate.group(1)) == -90:
        # Reading upward from (x, y): the text runs from y - (-start) up; the glyphs left of x.
        return x - height * 0.8, y - width + start, x + height * 0.2, y + start
    return x - start, y - size * 0.88, x - start + width, y - size * 0.88 + height


def _inside(box, area) -> bool:
    left, top, right, bottom = box
    a_left, a_top, a_right, a_bottom = area
    return (
        left >= a_left - EPSILON
        and top >= a_top - EPSILON
        and right <= a_right + EPSILON
        and bottom <= a_bottom + EPSILON
    )


def _overlap(a, b) -> bool:
    return a[0] < b[2] - EPSILON and b[0] < a[2] - EPSILON and a[1] < b[3] - EPSILON and b[1] < a[3] - EPSILON


def _bars(root):
    return [
        (
            float(r.get("x")),
            float(r.get("y")),
            float(r.get("x")) + float(r.get("width")),
            float(r.get("y")) + float(r.get("height")),
        )
        for r in root.iter(f"{SVG}rect")
        if r.get("fill") not in ("#ffffff", "none") and float(r.get("height")) > 0
    ]


EXTREMES = [
    Chart("bar", "全零", ["一月", "二月", "三月"], [("甲", [0, 0, 0])], unit=YUAN_UNIT),
    Chart("bar", "极大值", NAMES[:5], [("发放", [0, 12_345_678.9, 3.5, 999_999, 120_000])], unit=YUAN_UNIT),
    Chart("bar", "一个极大", ["甲", "乙"], [("甲", [999_999_999.99, 1])], unit=YUAN_UNIT),
    Chart(
        "bar",
        "负数",
        NAMES,
        [
            ("今年", [120_000, -30_000, 5, 0, 88_000, 1_000_000, 7, 420]),
            ("去年", [100_000, 20_000, 0, 3, 77_000, 900_000, 9, 380]),
        ],
    ),
    Chart("bar", "全负", ["一月", "二月"], [("甲", [-5_000_000, -3])]),
    Chart(
        "bar",
        "多类别",
        [f"{n}号工会委员会" for n in range(1, 31)],
        [("人数", [n * 37 % 500 for n in range(30)])],
    ),
    Chart(
        "bar",
        "很多类别",
        [f"2026-{n:03d}" for n in range(80)],
        [("金额", [n * 12_345.67 for n in range(80)])],
    ),
    Chart(
        "bar",
        "三组",
        [f"{n}月" for n in range(1, 13)],
        [(s, [1_234_567.89 * (n % 3) for n in range(12)]) for s in "甲乙丙"],
    ),
    Chart(
        "line",
        "会员",
        [f"2026-{m:02d}" for m in range(1, 13)],
        [("会员", [39_800 + m * 31 for m in range(12)])],
    ),
    Chart("line", "顶点在末", ["一", "二", "三"], [("甲", [1, 2, 1_000_000_000])]),
    Chart("line", "两条", NAMES, [("甲", [0] * 8), ("乙", list(range(-4, 4)))]),
]


@pytest.mark.parametrize("size", [(640, 260), (560, 180), (360, 240)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("chart", EXTREMES, ids=lambda chart: f"{chart.kind}-{chart.title}")
def test_value_labels_stay_in_the_plot_and_off_other_bars(chart, size):
    root = _parse(chart_svg(chart, width=size[0], height=size[1]))
    area = _plot_area(root)
    bars = _bars(root)
    values = [text for text in root.iter(f"{SVG}text") if text.get("class") == "value"]
    for text in values:
        box = _box(text)
        assert _inside(box, area), (text.text, box, area)
        if text.get("fill") == "#ffffff":  # inside its bar: wholly within one bar
            assert any(_inside(box, bar) for bar in bars), (text.text, box)
        else:
            assert not any(_overlap(box, bar) for bar in bars), (text.text, box)
    for a, b in zip(values, values[1:], strict=False):
        assert not _overlap(_box(a), _box(b)), (a.text, b.text)


def test_a_roomy_chart_labels_every_bar():
    chart = EXTREMES[1]
    root = _parse(bar_svg(chart, width=640, height=260))
    labels = {text.text for text in root.iter(f"{SVG}text") if text.get("class") == "value"}
    assert labels == {"0", "12,345,678.90", "3.50", "999,999", "120,000"}


def test_two_series_with_wide_values_turn_their_labels_upright():
    root = _parse(bar_svg(EXTREMES[3], width=640, height=260))
    values = [text for text in root.iter(f"{SVG}text") if text.get("class") == "value"]
    assert len(values) == 16
    assert all("rotate(-90" in text.get("transform", "") for text in values)


@pytest.mark.parametrize("chart", EXTREMES, ids=lambda chart: f"{chart.kind}-{chart.title}")
def test_category_labels_do_not_overlap(chart):
    root = _parse(chart_svg(chart, width=640, height=260))
    labels = [text for text in root.iter(f"{SVG}text") if text.get("class") == "category"]
    assert labels
    slanted = [text for text in labels if "rotate(-45" in (text.get("transform") or "")]
    if slanted:
        # Turned labels stand apart along the axis by at least a line of text (measured across them).
        xs = [float(text.get("x")) for text in slanted]
        assert (
            min(b - a for a, b in zip(xs, xs[1:], strict=False)) * math.sqrt(0.5)
            >= _text_height(10) - EPSILON
        )
        assert all(
            float(text.get("x")) - _text_width(text.text, 10) * math.sqrt(0.5) >= 0 for text in slanted
        )
    else:
        boxes = [_box(text) for text in labels]
        assert not any(_overlap(a, b) for a, b in zip(boxes, boxes[1:], strict=False))
    _left, _top, _right, bottom = _plot_area(root)
    assert all(float(text.get("y")) > bottom for text in labels)


def test_many_long_categories_are_turned_not_cut_to_nothing():
    root = _parse(bar_svg(EXTREMES[5], width=640, height=260))
    labels = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "category"]
    assert "15号工会委员会" in labels


def test_money_axis_carries_its_unit():
    root = _parse(bar_svg(EXTREMES[1]))
    (unit,) = [text for text in root.iter(f"{SVG}text") if text.get("class") == "unit"]
    assert unit.text == "单位：元"
    # Above the plot, clear of the tick labels and of the title.
    _left, top, _right, _bottom = _plot_area(root)
    assert float(unit.get("y")) < top
    # A count has no unit; a line chart carries one as bars do.
    assert 'class="unit"' not in bar_svg(EXTREMES[3])
    assert "单位：元" in line_svg(Chart("line", "余额", ["一", "二"], [("余额", [1, 2])], unit=YUAN_UNIT))


def test_unit_and_legend_share_the_row_without_overlapping():
    chart = Chart("bar", "两组", ["一", "二"], [("今年", [1, 2]), ("去年", [2, 1])], unit=YUAN_UNIT)
    root = _parse(bar_svg(chart))
    (unit,) = [text for text in root.iter(f"{SVG}text") if text.get("class") == "unit"]
    legend_x = min(float(r.get("x")) for r in root.iter(f"{SVG}rect") if r.get("width") == "10")
    assert float(unit.get("x")) + _text_width(unit.text, 10) < legend_x


def test_the_hardship_funds_report_chart_is_in_yuan(db, staff):
    from aid.reports import hardship_section
    from tests.factories import TODAY
    from unionhub.contributions import Scope

    section = hardship_section(Scope(day=TODAY))
    assert section.charts and all(chart.unit == YUAN_UNIT for chart in section.charts)
