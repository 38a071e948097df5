"""Small static SVG charts for the printed report (WeasyPrint runs no JavaScript, so Plotly
cannot draw there). Drawn from the same tables as the Plotly figures; every text escaped.

>>> from markupsafe import Markup
>>> s = hbars([("<b>x</b>", [(3.0, "#3b6fb6")])], money=True)
>>> isinstance(s, Markup), "&lt;b&gt;x&lt;/b&gt;" in s, "<b>" in s
(True, True, False)
>>> _ticks(0.4), _ticks(31073)
([0.0, 0.1, 0.2, 0.30000000000000004, 0.4], [0.0, 10000.0, 20000.0, 30000.0])
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 680  # px: A4's 180 mm of text width at 96 dpi
FONT = '"Noto Sans CJK SC", "Noto Sans", sans-serif'


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _money(x: float) -> str:
    return f"¥{x:,.0f}"


def _svg(height: float, body: list[str], label: str) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="static-chart" role="img" '
            f'aria-label="{escape(label)}" viewBox="0 0 {WIDTH} {_num(height)}" width="100%" '
            f'font-family=\'{FONT}\' font-size="11">')
    return Markup(head + "".join(body) + "</svg>")


def _ticks(top: float, n: int = 4) -> list[float]:
    if top <= 0:
        return [0.0]
    raw = top / n
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return [step * i for i in range(int(top // step) + 1)]


def legend(items: Sequence[tuple[str, str]], y: float = 12, x0: float = 4) -> tuple[list[str], float]:
    """Legend swatches in rows across the width; returns (svg parts, height used)."""
    out, x, row = [], x0, 0
    for name, color in items:
        w = 18 + 7 * sum(2 if ord(c) > 0x2E80 else 1 for c in name)
        if x + w > WIDTH and x > x0:
            x, row = x0, row + 1
        yy = y + 16 * row
        out.append(f'<rect x="{_num(x)}" y="{_num(yy - 9)}" width="10" height="10" fill="{escape(color)}"/>'
                   f'<text x="{_num(x + 14)}" y="{_num(yy)}">{escape(name)}</text>')
        x += w + 10
    return out, 16 * (row + 1) + 4


def hbars(rows: Sequence[tuple[str, Sequence[tuple[float, str]]]], *, money: bool = False,
          legend_items: Sequence[tuple[str, str]] = (), lines: Sequence[float] = (),
          value_text: Sequence[str] | None = None, pct_axis: bool = False, top: float | None = None,
          label: str = "") -> Markup:
    """Horizontal (stacked) bars: one row per label, its parts as (value, colour) left to right;
    ``lines``: dotted vertical reference lines (e.g. 24 %, 36 %)."""
    parts, lh = legend(legend_items) if legend_items else ([], 0)
    left, right, bar_h, gap = 170, 60, 18, 8
    total = [sum(v for v, _ in p) for _, p in rows]
    top = top or max([*total, *lines, 0.0]) * 1.1 or 1.0
    scale = (WIDTH - left - right) / top
    y0 = lh + (22 if lines else 8)
    body = list(parts)
    height = y0 + len(rows) * (bar_h + gap) + 24
    for tick in _ticks(top):
        x = left + tick * scale
        text = f"{tick:.0%}" if pct_axis else (_money(tick) if money else _num(tick))
        body.append(f'<line x1="{_num(x)}" y1="{_num(y0)}" x2="{_num(x)}" y2="{_num(height - 20)}" stroke="#ddd"/>'
                    f'<text x="{_num(x)}" y="{_num(height - 6)}" text-anchor="middle" fill="#555">{escape(text)}</text>')
    for i, (name, p) in enumerate(rows):
        y = y0 + i * (bar_h + gap)
        short = name if len(name) <= 14 else name[:13] + "…"
        body.append(f'<text x="{left - 6}" y="{_num(y + bar_h - 5)}" text-anchor="end">{escape(short)}</text>')
        x = left
        for v, color in p:
            w = max(v, 0) * scale
            if w > 0:
                body.append(f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{bar_h}" fill="{escape(color)}"/>')
            x += w
        if value_text is not None:
            body.append(f'<text x="{_num(x + 4)}" y="{_num(y + bar_h - 5)}">{escape(value_text[i])}</text>')
    for ln in lines:
        x = left + ln * scale
        body.append(f'<line x1="{_num(x)}" y1="{_num(y0 - 4)}" x2="{_num(x)}" y2="{_num(height - 20)}" '
                    f'stroke="#555" stroke-dasharray="3,3"/>'
                    f'<text x="{_num(x)}" y="{_num(y0 - 6)}" text-anchor="middle" fill="#555">{ln:.0%}</text>')
    return _svg(height, body, label)


def month_bars(x: Sequence[str], stacks: Sequence[tuple[str, str, Sequence[float]]],
               lines: Sequence[tuple[str, str, Sequence[float], bool]], *, top: float | None = None,
               label: str = "") -> Markup:
    """Stacked monthly bars (name, colour, values) with lines over them (name, colour, values,
    dotted); values above ``top`` are clipped to it."""
    items = [(n, c) for n, c, _ in stacks] + [(n, c) for n, c, _, _ in lines]
    body, lh = legend(items)
    left, right, bottom, plot_h = 64, 8, 34, 240
    y0 = lh + 6
    n = max(len(x), 1)
    totals = [sum(s[2][i] for s in stacks) for i in range(len(x))]
    top = top or max([*totals, *(v for _, _, vals, _ in lines for v in vals), 0.0]) * 1.1 or 1.0
    sy = plot_h / top
    step = (WIDTH - left - right) / n

    def yv(v: float) -> float:
        return y0 + plot_h - min(max(v, 0.0), top) * sy

    for tick in _ticks(top):
        y = yv(tick)
        body.append(f'<line x1="{left}" y1="{_num(y)}" x2="{WIDTH - right}" y2="{_num(y)}" stroke="#ddd"/>'
                    f'<text x="{left - 4}" y="{_num(y + 4)}" text-anchor="end" fill="#555">{escape(_money(tick))}</text>')
    for i in range(len(x)):
        base = 0.0
        for _, color, vals in stacks:
            v = max(float(vals[i]), 0.0)
            if v > 0:
                y_top, y_bot = yv(base + v), yv(base)
                body.append(f'<rect x="{_num(left + i * step + step * 0.05)}" y="{_num(y_top)}" '
                            f'width="{_num(step * 0.9)}" height="{_num(y_bot - y_top)}" fill="{escape(color)}"/>')
            base += v
    every = max(1, -(-n // 12))
    for i in range(0, len(x), every):
        body.append(f'<text x="{_num(left + (i + 0.5) * step)}" y="{_num(y0 + plot_h + 14)}" '
                    f'text-anchor="middle" fill="#555" font-size="9">{escape(x[i])}</text>')
    for _, color, vals, dotted in lines:
        pts = " ".join(f"{_num(left + (i + 0.5) * step)},{_num(yv(float(v)))}" for i, v in enumerate(vals))
        dash = ' stroke-dasharray="4,3"' if dotted else ""
        body.append(f'<polyline points="{pts}" fill="none" stroke="{escape(color)}" stroke-width="2"{dash}/>')
    return _svg(y0 + plot_h + bottom, body, label)
