"""The report's charts as SVG drawn by hand: no JavaScript and no charting library, so the same markup
works inline in a WeasyPrint PDF and in a page on a closed network.

Both charts share one frame: a value axis with "nice" ticks (1, 2 or 5 × 10ⁿ) that, for bars, always
includes zero, so negative values hang below the zero line; a legend when there are several series; and an explicit
"no data" message when there is nothing to draw. Every piece of text is XML-escaped and set in
Noto Sans CJK SC, the font the PDF embeds."""

import dataclasses
import math
from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from .base import Chart

FONT_FAMILY = "Noto Sans CJK SC"
# Sober, print-friendly colours: a dark red for the first series (the federation's colour), then
# greys and muted blues that stay distinguishable in black and white.
PALETTE = ("#a8201a", "#4a6b8a", "#9a9a9a", "#c49a3c", "#2f4f4f", "#7a4a6a")
EMPTY_TEXT = "暂无数据"
AXIS_COLOUR = "#555555"
GRID_COLOUR = "#dddddd"
TEXT_COLOUR = "#333333"


# --- helpers --------------------------------------------------------------------------------------


def _number(value) -> float | None:
    """A value to plot, or None for a missing one (None, text, NaN, infinity)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def _series(chart: Chart) -> list[tuple[str, list[float | None]]]:
    """Each series' values, one per label (padded with None or cut to the number of labels)."""
    count = len(chart.labels or [])
    out = []
    for name, values in chart.series or []:
        values = [_number(value) for value in list(values or [])[:count]]
        out.append((str(name), values + [None] * (count - len(values))))
    return out


def _text_width(text: str, size: float) -> float:
    """Roughly how wide ``text`` sets at ``size``: CJK and full-width characters are one em, the rest
    a little over half."""
    return sum(size if ord(char) > 0x2E7F else size * 0.58 for char in text)


def _fit(text: str, width: float, size: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``width``."""
    text = " ".join(str(text).split())
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…" if text else ""


def format_value(value: float) -> str:
    """``1234`` → ``1,234``, ``1234.5`` → ``1,234.50``, ``-3`` → ``-3``."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _ticks(low: float, high: float, count: int = 5, *, include_zero: bool = True) -> list[float]:
    """Evenly spaced round ticks covering [low, high] (and zero, unless told otherwise)."""
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        low, high = (0.0, 5.0) if low == 0 else (low - abs(low) / 10, high + abs(high) / 10)
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    end = math.ceil(high / step) * step
    ticks, n = [], 0
    while start + n * step <= end + step / 1e6:
        ticks.append(round(start + n * step, 10))
        n += 1
    return ticks


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = 11,
    anchor: str = "middle",
    colour: str = TEXT_COLOUR,
    weight: str = "normal",
    extra: str = "",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" fill="{colour}"'
        f' font-weight="{weight}"{extra}>{escape(text)}</text>'
    )


def _svg(width: int, height: int, title: str, body: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}"'
        f' height="{height}" font-family={quoteattr(FONT_FAMILY)} role="img"'
        f" aria-label={quoteattr(title)}>"
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


# Category labels: horizontal when every one fits its band, else turned 45° (and only every n-th
# when even turned they would touch), cut to the room under the plot.
CATEGORY_SIZE = 10.0
SLANT = math.sqrt(0.5)  # sin 45° = cos 45°
# A value label is set at most this size, and not drawn at all below the smallest: a chart too
# crowded for them still has its axis.
VALUE_SIZE, VALUE_MIN_SIZE = 10.0, 6.5
# The unit a money chart's value axis carries (``Chart.unit``): the report is a Chinese document, so,
# like EMPTY_TEXT, these words are fixed here rather than translated.
YUAN_UNIT = "元"
UNIT_PREFIX = "单位："


def _text_height(size: float) -> float:
    """The height of a line of text at ``size``, ascent to descent (Noto Sans CJK's em, plus a little)."""
    return size * 1.15


class _Frame:
    """The plot area and value axis shared by both kinds of chart.

    The frame measures before it draws: the tick labels set the left margin, the category labels the
    bottom one (turned and thinned when they would overlap), and the value axis is stretched until the
    value labels the chart asks room for (``headroom``, in pixels, above the highest value and below the
    lowest negative one) fit inside the plot area, so that no label crosses an axis, a title or a bar."""

    def __init__(
        self,
        chart: Chart,
        width: int,
        height: int,
        *,
        include_zero: bool = True,
        headroom=None,
    ):
        self.series = _series(chart)
        self.labels = [str(label) for label in chart.labels or []]
        self.title = str(chart.title or "")
        self.unit = str(getattr(chart, "unit", "") or "")
        self.width, self.height = width, height
        values = [v for _name, values in self.series for v in values if v is not None]
        self.values = values
        self.empty = not self.labels or not values
        legend = len(self.series) > 1
        self.top = (30 if self.title else 12) + (18 if legend or self.unit else 0)
        self.right = width - 12
        self.body: list[str] = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
        if self.title:
            self.body.append(_text(width / 2, 18, _fit(self.title, width - 20, 13), size=13, weight="bold"))
        self.ticks = [0.0, 1.0]
        self.left, self.bottom = 12.0, height - 30.0
        self.slant, self.every = False, 1
        if not self.empty:
            self._measure(include_zero, headroom)
        legend_left = 12.0
        if self.unit:
            unit_text = UNIT_PREFIX + self.unit
            self.body.append(
                _text(
                    12,
                    self.top - 10,
                    unit_text,
                    size=10,
                    anchor="start",
                    colour=AXIS_COLOUR,
                    extra=' class="unit"',
                )
            )
            legend_left += _text_width(unit_text, 10) + 14
        if legend:
            self._legend(legend_left)

    def _measure(self, include_zero: bool, headroom) -> None:
        """Ticks, margins and category layout; then the value axis stretched, a little at a time and on
        the side that needs it, until ``headroom(frame)`` reports no label short of room (pixels
        missing above, below). A label that cannot get room within a few steps is the chart's to drop."""
        low, high = min(self.values), max(self.values)
        if include_zero:
            low, high = min(low, 0.0), max(high, 0.0)
        span = (high - low) or abs(high) or 1.0
        more_above = more_below = 0.0
        for _attempt in range(24):
            self.ticks = _ticks(low - more_below * span, high + more_above * span, include_zero=include_zero)
            self.left = 12 + max(_text_width(format_value(t), 10) for t in self.ticks)
            self.band = (self.right - self.left) / len(self.labels)
            self._category_layout()
            short_above, short_below = headroom(self) if headroom else (0.0, 0.0)
            if short_above <= 0 and short_below <= 0:
                return
            if short_above > 0:
                more_above += 0.04
            if short_below > 0:
                more_below += 0.04

    def _category_layout(self) -> None:
        widest = max(_text_width(label, CATEGORY_SIZE) for label in self.labels)
        self.slant = widest > self.band - 4
        # Turned labels stand SLANT × band apart: at least one line of text.
        self.every = max(1, math.ceil(_text_height(CATEGORY_SIZE) / (self.band * SLANT))) if self.slant else 1
        if self.slant:
            deepest = min(widest * SLANT + CATEGORY_SIZE, self.height * 0.3)
            self.bottom = self.height - 8 - deepest
        else:
            self.bottom = self.height - 30.0

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.bottom - (value - low) / (high - low) * (self.bottom - self.top)

    def _legend(self, x: float) -> None:
        y = self.top - 10
        item_width = (self.width - 12 - x) / len(self.series)
        for n, (name, _values) in enumerate(self.series):
            colour = PALETTE[n % len(PALETTE)]
            self.body.append(f'<rect x="{x:.1f}" y="{y - 8:.1f}" width="10" height="10" fill="{colour}"/>')
            self.body.append(_text(x + 14, y + 1, _fit(name, item_width - 20, 10), size=10, anchor="start"))
            x += item_width

    def axis(self) -> None:
        baseline = 0.0 if self.ticks[0] <= 0 <= self.ticks[-1] else self.ticks[0]
        for tick in self.ticks:
            y = self.y(tick)
            colour, stroke = (AXIS_COLOUR, 1) if tick == baseline else (GRID_COLOUR, 0.6)
            self.body.append(
                f'<line x1="{self.left:.1f}" y1="{y:.1f}" x2="{self.right:.1f}" y2="{y:.1f}"'
                f' stroke="{colour}" stroke-width="{stroke}"/>'
            )
            self.body.append(
                _text(self.left - 5, y + 3.5, format_value(tick), size=10, anchor="end", colour=AXIS_COLOUR)
            )
        self.body.append(
            f'<line x1="{self.left:.1f}" y1="{self.top:.1f}" x2="{self.left:.1f}"'
            f' y2="{self.bottom:.1f}" stroke="{AXIS_COLOUR}" stroke-width="0.8"/>'
        )

    def category_labels(self, centres: list[float]) -> None:
        """Category labels under the plot: level and cut to their band, or turned 45° (reading up to the
        right, ending under their bar) and cut to the room below the plot and left of the bar."""
        for n, (label, x) in enumerate(zip(self.labels, centres, strict=True)):
            if n % self.every:
                continue
            if not self.slant:
                self.body.append(
                    _text(
                        x,
                        self.bottom + 16,
                        _fit(label, self.band - 4, CATEGORY_SIZE),
                        size=CATEGORY_SIZE,
                        extra=' class="category"',
                    )
                )
                continue
            room = min((self.height - 4 - self.bottom - CATEGORY_SIZE) / SLANT, (x - 4) / SLANT)
            anchor_y = self.bottom + 6 + CATEGORY_SIZE * SLANT
            self.body.append(
                _text(
                    x + 3,
                    anchor_y,
                    _fit(label, room, CATEGORY_SIZE),
                    size=CATEGORY_SIZE,
                    anchor="end",
                    extra=f' class="category" transform="rotate(-45 {x + 3:.1f} {anchor_y:.1f})"',
                )
            )

    def empty_message(self, text: str) -> str:
        self.body.append(
            f'<rect x="{self.left:.1f}" y="{self.top:.1f}" width="{self.right - self.left:.1f}"'
            f' height="{self.bottom - self.top:.1f}" fill="none" stroke="{GRID_COLOUR}"/>'
        )
        self.body.append(
            _text(
                (self.left + self.right) / 2,
                (self.top + self.bottom) / 2 + 4,
                text,
                size=12,
                colour="#888888",
            )
        )
        return self.svg()

    def svg(self) -> str:
        return _svg(self.width, self.height, self.title, self.body)


# --- charts ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _ValueLabels:
    """How the bars' values are set: ``size`` 0 means not at all; ``upright`` turns them 90° to read up
    the bar when they are wider than the bars are."""

    size: float = 0.0
    upright: bool = False
    widest: float = 0.0  # the widest label's length along its baseline, in pixels

    def box(self, text: str) -> tuple[float, float]:
        """(across, along the bar) of ``text``'s label."""
        width = _text_width(text, self.size)
        return (_text_height(self.size), width) if self.upright else (width, _text_height(self.size))


def _value_labels(frame: _Frame) -> _ValueLabels:
    """Level at the size at which every value fits the room its bar has across (its bar, or its band
    when there is one series: the gap between groups is free); else upright; else none."""
    if frame.empty:
        return _ValueLabels()
    band = (frame.right - frame.left) / len(frame.labels)
    room = (band if len(frame.series) == 1 else band * 0.8 / len(frame.series)) - 2
    widest = max(_text_width(format_value(v), 1.0) for v in frame.values)
    size = min(VALUE_SIZE, room / widest)
    if size >= VALUE_MIN_SIZE:
        return _ValueLabels(size=round(size, 1), widest=widest * round(size, 1))
    size = round(min(VALUE_SIZE - 1, room / 1.15), 1)
    if size >= VALUE_MIN_SIZE:
        return _ValueLabels(size=size, upright=True, widest=widest * size)
    return _ValueLabels()


def _bar_width(frame: _Frame) -> float:
    return (frame.right - frame.left) / len(frame.labels) * 0.8 / len(frame.series) - 1


def _bar_headroom(frame: _Frame) -> tuple[float, float]:
    """Pixels missing above and below the plot for the value labels that must go beyond their bar's end
    (those that fit inside a long bar need no room)."""
    labels = _value_labels(frame)
    if not labels.size:
        return 0.0, 0.0
    zero = frame.y(0)
    short_above = short_below = 0.0
    for value in frame.values:
        end = frame.y(value)
        across, along = labels.box(format_value(value))
        if (
            across <= _bar_width(frame) - 2
            and abs(zero - end) >= along + 6
            and (end - 3 - along < frame.top or end + 3 + along > frame.bottom)
        ):
            continue  # goes inside its bar
        if value >= 0:
            short_above = max(short_above, frame.top - (end - 3 - along))
        else:
            short_below = max(short_below, end + 3 + along - frame.bottom)
    return short_above, short_below


def _value_label(
    frame: _Frame, labels: _ValueLabels, value: float, centre: float, end: float, zero: float
) -> str:
    """The label of a bar whose end is at ``end`` (the zero line at ``zero``): outside the bar's end when it
    fits in the plot, else inside the bar in white when the bar is long enough, else nothing."""
    text = format_value(value)
    across, along = labels.box(text)
    up = value >= 0
    outside = end - 3 - along >= frame.top if up else end + 3 + along <= frame.bottom
    inside = across <= _bar_width(frame) - 2 and abs(zero - end) >= along + 6
    if not outside and not inside:
        return ""
    colour = TEXT_COLOUR if outside else "#ffffff"
    # Where the label starts along the bar, from the end outward (outside) or inward (inside).
    if outside:
        near, far = (end - 3, end - 3 - along) if up else (end + 3, end + 3 + along)
    else:
        near, far = (end + 3, end + 3 + along) if up else (end - 3, end - 3 - along)
    low_y = max(near, far)  # the label's bottom edge on the page
    if labels.upright:
        # Turned -90°: the text reads upward from its bottom edge; the glyphs sit left of the baseline.
        x, y = centre + labels.size * 0.35, low_y
        return _text(
            x,
            y,
            text,
            size=labels.size,
            anchor="start",
            colour=colour,
            extra=f' class="value" transform="rotate(-90 {x:.1f} {y:.1f})"',
        )
    # Level: the baseline sits about 0.2 em above the bottom edge of the box (the descent).
    return _text(
        centre, low_y - 0.2 * labels.size, text, size=labels.size, colour=colour, extra=' class="value"'
    )


def bar_svg(chart: Chart, width: int = 640, height: int = 280, *, empty_text: str = EMPTY_TEXT) -> str:
    """Grouped bars: one group per label, one bar per series, each bar labelled with its value: beyond
    the bar's end, inside the plot (the axis is stretched to leave room above the tallest bar and below
    the deepest), level when it fits across the bar, else turned to read up it; inside the bar when the
    room runs out; left to the axis when the bars are too narrow for a legible label."""
    frame = _Frame(chart, width, height, headroom=_bar_headroom)
    if frame.empty:
        return frame.empty_message(empty_text)
    frame.axis()
    band = (frame.right - frame.left) / len(frame.labels)
    group = band * 0.8
    bar = group / len(frame.series)
    zero = frame.y(0)
    labels = _value_labels(frame)
    centres = []
    for n in range(len(frame.labels)):
        x0 = frame.left + n * band + (band - group) / 2
        centres.append(frame.left + (n + 0.5) * band)
        for s, (_name, values) in enumerate(frame.series):
            value = values[n]
            if value is None:
                continue
            x = x0 + s * bar
            y = frame.y(value)
            top, height_ = min(y, zero), abs(zero - y)
            colour = PALETTE[s % len(PALETTE)]
            frame.body.append(
                f'<rect x="{x + 0.5:.1f}" y="{top:.1f}" width="{max(bar - 1, 0.5):.1f}"'
                f' height="{height_:.1f}" fill="{colour}"/>'
            )
            if labels.size:
                label = _value_label(frame, labels, value, x + bar / 2, y, zero)
                if label:
                    frame.body.append(label)
    frame.category_labels(centres)
    return frame.svg()


LINE_LABEL_SIZE = 9.0


def _line_headroom(frame: _Frame) -> tuple[float, float]:
    """Room above the highest point for a last-point label (one that is lower flips under its point
    when it meets the top)."""
    need = _text_height(LINE_LABEL_SIZE) + 6
    return need - (frame.y(max(frame.values)) - frame.top), 0.0


def line_svg(chart: Chart, width: int = 640, height: int = 280, *, empty_text: str = EMPTY_TEXT) -> str:
    """One polyline per series (broken where a value is missing), a dot on every point and the value
    of each series' last point. Unlike bars, whose length must be true, the value axis of a trend
    need not start at zero: 40,000 members gaining 200 a month would otherwise draw a flat line."""
    frame = _Frame(chart, width, height, include_zero=False, headroom=_line_headroom)
    if frame.empty:
        return frame.empty_message(empty_text)
    frame.axis()
    count = len(frame.labels)
    band = (frame.right - frame.left) / count
    centres = [frame.left + (n + 0.5) * band for n in range(count)]
    for s, (_name, values) in enumerate(frame.series):
        colour = PALETTE[s % len(PALETTE)]
        runs: list[list[tuple[float, float]]] = [[]]
        for x, value in zip(centres, values, strict=True):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((x, frame.y(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                frame.body.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"'
                    f' stroke-linejoin="round"/>'
                )
            for x, y in run:
                frame.body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.8" fill="{colour}"/>')
        last = next(
            ((x, v) for x, v in zip(reversed(centres), reversed(values), strict=True) if v is not None), None
        )
        if last:
            x, value = last
            text = format_value(value)
            half = _text_width(text, LINE_LABEL_SIZE) / 2
            # Kept inside the plot: pulled in from the right edge, and under the point if the top is near.
            x = min(max(x, frame.left + half + 2), frame.right - half - 2)
            y = frame.y(value) - 6
            if y - LINE_LABEL_SIZE < frame.top:
                y = frame.y(value) + 6 + LINE_LABEL_SIZE
            frame.body.append(_text(x, y, text, size=LINE_LABEL_SIZE, colour=colour, extra=' class="value"'))
    frame.category_labels(centres)
    return frame.svg()


def chart_svg(chart: Chart, **options) -> str:
    """The chart drawn according to its kind ("bar" or "line"; anything else is drawn as bars)."""
    if chart.kind == "line":
        return line_svg(chart, **options)
    return bar_svg(chart, **options)
