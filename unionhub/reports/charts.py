"""The report's charts as SVG drawn by hand: no JavaScript and no charting library, so the same markup
works inline in a WeasyPrint PDF and in a page on a closed network.

Both charts share one frame: a value axis with "nice" ticks (1, 2 or 5 × 10ⁿ) that, for bars, always
includes zero, so negative values hang below the zero line; a legend when there are several series; and an explicit
"no data" message when there is nothing to draw. Every piece of text is XML-escaped and set in
Noto Sans CJK SC, the font the PDF embeds."""

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


class _Frame:
    """The plot area and value axis shared by both kinds of chart."""

    def __init__(self, chart: Chart, width: int, height: int, *, include_zero: bool = True):
        self.series = _series(chart)
        self.labels = [str(label) for label in chart.labels or []]
        self.title = str(chart.title or "")
        self.width, self.height = width, height
        values = [v for _name, values in self.series for v in values if v is not None]
        self.empty = not self.labels or not values
        self.ticks = _ticks(min(values), max(values), include_zero=include_zero) if values else [0.0, 1.0]
        tick_width = max(_text_width(format_value(t), 10) for t in self.ticks)
        legend = len(self.series) > 1
        self.top = 30 + (18 if legend else 0)
        self.left = 12 + tick_width
        self.right = width - 12
        self.bottom = height - 30
        self.body: list[str] = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
        if self.title:
            self.body.append(_text(width / 2, 18, _fit(self.title, width - 20, 13), size=13, weight="bold"))
        if legend:
            self._legend()

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.bottom - (value - low) / (high - low) * (self.bottom - self.top)

    def _legend(self) -> None:
        x, y = 12.0, self.top - 10
        item_width = (self.width - 24) / len(self.series)
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

    def category_labels(self, centres: list[float], band: float) -> None:
        """Category labels under the plot, cut to their band; when the bands are too narrow for
        anything legible, only every n-th label is shown."""
        every = max(1, math.ceil(30 / band)) if band > 0 else 1
        for n, (label, x) in enumerate(zip(self.labels, centres, strict=True)):
            if n % every == 0:
                self.body.append(_text(x, self.bottom + 16, _fit(label, band * every - 4, 10), size=10))

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


def bar_svg(chart: Chart, width: int = 640, height: int = 280, *, empty_text: str = EMPTY_TEXT) -> str:
    """Grouped bars: one group per label, one bar per series, each bar labelled with its value (above
    a positive bar, below a negative one)."""
    frame = _Frame(chart, width, height)
    if frame.empty:
        return frame.empty_message(empty_text)
    frame.axis()
    band = (frame.right - frame.left) / len(frame.labels)
    group = band * 0.8
    bar = group / len(frame.series)
    zero = frame.y(0)
    label_size = max(6.0, min(10.0, bar * 0.9 / 3))  # a value label must roughly fit over its bar
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
            label_y = y - 3 if value >= 0 else y + label_size + 1
            frame.body.append(_text(x + bar / 2, label_y, format_value(value), size=round(label_size, 1)))
    frame.category_labels(centres, band)
    return frame.svg()


def line_svg(chart: Chart, width: int = 640, height: int = 280, *, empty_text: str = EMPTY_TEXT) -> str:
    """One polyline per series (broken where a value is missing), a dot on every point and the value
    of each series' last point. Unlike bars, whose length must be true, the value axis of a trend
    need not start at zero: 40,000 members gaining 200 a month would otherwise draw a flat line."""
    frame = _Frame(chart, width, height, include_zero=False)
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
            frame.body.append(_text(x, frame.y(value) - 6, format_value(value), size=9, colour=colour))
    frame.category_labels(centres, band)
    return frame.svg()


def chart_svg(chart: Chart, **options) -> str:
    """The chart drawn according to its kind ("bar" or "line"; anything else is drawn as bars)."""
    if chart.kind == "line":
        return line_svg(chart, **options)
    return bar_svg(chart, **options)
