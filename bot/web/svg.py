"""Inline SVG charts for the progress pages (pure: view models in, escaped markup out).

Every text that comes from data (display names, labels) goes through :func:`esc`; numbers are
formatted here. Colours are the Okabe–Ito palette and a single-hue blue scale (both readable
with every common colour-vision deficiency), and nothing depends on colour alone: the heatmap
has a legend and per-cell titles, lines carry labels, mock kinds have their own marker shape.
No ``style`` attributes (the pages' Content-Security-Policy allows no inline styles):
presentation attributes and classes from ``static/progress.css`` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

from bot.core.entries import MOCK_KINDS
from bot.core.roadmap import day_text
from bot.web.member_view import MockPoint
from bot.web.parts import CELL_LABELS, LEGEND, Heatmap, SolveChart

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TARGET = "#000000"
PROJECTION = "#D55E00"
MANY = 8  # more members than this: one colour for all, with the median drawn over them
CELL, PITCH = 9, 11
BIG_CELL, BIG_PITCH, BIG_UP_TO = 13, 15, 40
NAME_W = 132
TOP = 26
NAME_CHARS = 20
TITLES_UP_TO = 60  # members whose cells get a hover title each (larger pages: the row's)


def esc(text: object) -> str:
    return str(escape(str(text)))


def _short(name: str, n: int = NAME_CHARS) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


def _num(v: float) -> str:
    return f"{v:.0f}" if abs(v - round(v)) < 0.05 else f"{v:.1f}"


# -- heatmap ---------------------------------------------------------------------------------
def heatmap_svg(h: Heatmap, *, label: str) -> Markup:
    """Days × members: one ``<rect>`` per member and program day so far (class ``cN``, N the
    state of :mod:`bot.web.parts`), pauses as hatched bands between the days."""
    big = len(h.rows) <= BIG_UP_TO  # a small group gets bigger squares
    cell, pitch = (BIG_CELL, BIG_PITCH) if big else (CELL, PITCH)
    name_class = "nm big" if big else "nm"
    gaps = [0] * (len(h.days) + 1)  # extra x offset before day i (pause bands)
    for p in h.pauses:
        for i in range(p.before, len(gaps)):
            gaps[i] += pitch
    xs = [NAME_W + i * pitch + gaps[i] for i in range(len(h.days))]
    width = NAME_W + len(h.days) * pitch + gaps[-1] + 4
    height = TOP + len(h.rows) * pitch + 4
    titles = len(h.rows) <= TITLES_UP_TO
    out = [
        f'<svg class="heat" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{esc(label)}"><title>{esc(label)}</title>',
        '<defs><pattern id="rest" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="4" height="4" fill="#eeeeee"/>'
        '<line x1="0" y1="0" x2="0" y2="4" stroke="#888888" stroke-width="1.5"/></pattern>'
        '<pattern id="paused" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(-45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#999999" stroke-width="2"/></pattern></defs>',
    ]
    # week labels over each program Monday
    seen = set()
    for i, w in enumerate(h.weeks):
        if w not in seen:
            seen.add(w)
            out.append(f'<text class="wk" x="{xs[i]}" y="{TOP - 8}">W{w}</text>')
    for p in h.pauses:
        x = NAME_W + p.before * pitch + gaps[p.before] - pitch
        what = f"Paused {day_text(p.start)} – {day_text(p.end)}"
        out.append(
            f'<rect class="pause" x="{x}" y="{TOP}" width="{cell}" '
            f'height="{max(pitch, len(h.rows) * pitch - 2)}" fill="url(#paused)">'
            f"<title>{esc(what)}</title></rect>"
        )
    day_names = [day_text(d) for d in h.days]
    for r, row in enumerate(h.rows):
        y = TOP + r * pitch
        total = sum(s for s, _ in row.counts)
        blocks = sum(b for _, b in row.counts)
        out.append(
            f'<g class="row" transform="translate(0,{y})"><title>{esc(row.name)}: '
            f"{total} solve entries, {blocks} blocks done</title>"
            f'<text class="{name_class}" x="{NAME_W - 6}" y="{cell - 1}">'
            f"{esc(_short(row.name))}</text>"
        )
        if titles:
            for i, state in enumerate(row.cells):
                s, b = row.counts[i]
                tip = f"{day_names[i]}: {s} solves, {b} blocks — {CELL_LABELS[state]}"
                out.append(
                    f'<rect class="c{state}" x="{xs[i]}" width="{cell}" height="{cell}">'
                    f"<title>{esc(tip)}</title></rect>"
                )
        else:
            out.extend(
                f'<rect class="c{state}" x="{xs[i]}" width="{cell}" height="{cell}"/>'
                for i, state in enumerate(row.cells)
            )
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))


def heatmap_legend() -> Markup:
    """The cell states as an HTML list, each with its square (wraps on a phone)."""
    items = []
    for state in LEGEND:
        items.append(
            f'<li><svg xmlns="http://www.w3.org/2000/svg" width="{CELL}" height="{CELL}" '
            f'viewBox="0 0 {CELL} {CELL}" aria-hidden="true"><rect class="c{state}" '
            f'width="{CELL}" height="{CELL}"/></svg> {esc(CELL_LABELS[state].split(" (")[0])}'
            "</li>"
        )
    return Markup('<ul class="legend" aria-label="Legend">' + "".join(items) + "</ul>")


# -- the cumulative chart --------------------------------------------------------------------
W, H = 720, 380
LEFT, RIGHT, UP, DOWN = 48, 150, 16, 36


def _ticks(top: float) -> list[int]:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 8:
            return list(range(0, int(top) + step, step))
    return [0, int(top)]


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def solve_chart_svg(chart: SolveChart, *, label: str) -> Markup:
    """Cumulative unique problems per member against the roadmap's target line."""
    ticks = _ticks(chart.top * 1.05)
    y_max = max(ticks[-1], 1)
    plot_w, plot_h = W - LEFT - RIGHT, H - UP - DOWN

    def x(week: float) -> float:
        return LEFT + plot_w * week / max(chart.weeks, 1)

    def y(value: float) -> float:
        return UP + plot_h * (1 - value / y_max)

    def path(points: Sequence[tuple[int, float]]) -> str:
        return " ".join(f"{x(w):.1f},{y(v):.1f}" for w, v in points)

    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" '
        f'role="img" aria-label="{esc(label)}"><title>{esc(label)}</title>'
    ]
    for t in ticks:
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}"/>'
            f'<text class="ax" x="{LEFT - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{t}</text>'
        )
    for w in range(0, chart.weeks + 1, 2):
        out.append(
            f'<text class="ax" x="{x(w):.1f}" y="{H - DOWN + 16}" text-anchor="middle">{w}</text>'
        )
    out.append(
        f'<text class="ax" x="{LEFT + plot_w / 2:.1f}" y="{H - 4}" text-anchor="middle">'
        "program week</text>"
    )
    legend: list[tuple[str, str, str]] = []  # (colour, dash, text)
    many = len(chart.series) > MANY
    for i, s in enumerate(chart.series):
        colour = OKABE_ITO[0] if many else OKABE_ITO[i % len(OKABE_ITO)]
        cls = "many" if many else "member"
        out.append(
            f'<polyline class="{cls}" fill="none" stroke="{colour}" points="{path(s.points)}">'
            f"<title>{esc(s.name)}: {_num(s.points[-1][1])} unique problems</title></polyline>"
        )
        if not many:
            legend.append((colour, "", _short(s.name, 18)))
    if many:
        weeks = sorted({w for s in chart.series for w, _ in s.points})
        by_week = [
            (w, _median([v for s in chart.series for ww, v in s.points if ww == w])) for w in weeks
        ]
        out.append(
            f'<polyline class="median" fill="none" stroke="{OKABE_ITO[1]}" stroke-width="3" '
            f'points="{path(by_week)}"><title>the group\'s median</title></polyline>'
        )
        legend += [(OKABE_ITO[0], "", "each member"), (OKABE_ITO[1], "", "median")]
    out.append(
        f'<polyline class="target" fill="none" stroke="{TARGET}" stroke-width="2" '
        f'stroke-dasharray="6 4" points="{path(chart.target)}">'
        "<title>the roadmap's target</title></polyline>"
    )
    legend.append((TARGET, "6 4", "roadmap target"))
    if chart.projection:
        out.append(
            f'<polyline class="projection" fill="none" stroke="{PROJECTION}" stroke-width="2" '
            f'stroke-dasharray="2 3" points="{path(chart.projection)}">'
            "<title>where the recent pace leads</title></polyline>"
        )
        legend.append((PROJECTION, "2 3", "at your recent pace"))
    for week, value, text in chart.marks:
        cx, cy = x(week), y(value)
        out.append(
            f'<path class="mark" d="M{cx:.1f},{cy - 5:.1f} l5,5 l-5,5 l-5,-5 z" fill="#ffffff" '
            f'stroke="{TARGET}"><title>{esc(text)}: {_num(value)}</title></path>'
        )
    for i, (colour, dash, text) in enumerate(legend[: MANY + 3]):
        ly = UP + 8 + i * 18
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{W - RIGHT + 10}" x2="{W - RIGHT + 34}" y1="{ly}" y2="{ly}" '
            f'stroke="{colour}" stroke-width="2"{dashes}/>'
            f'<text class="lg" x="{W - RIGHT + 40}" y="{ly + 4}">{esc(text)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


# -- mocks -----------------------------------------------------------------------------------
KIND_MARKS = {"dsa": ("circle", OKABE_ITO[0]), "system_design": ("square", OKABE_ITO[1])}
KIND_MARKS["behavioral"] = ("triangle", OKABE_ITO[2])
SCORES = ("No Hire", "Lean No Hire", "Lean Hire", "Hire", "Strong Hire")


def _marker(shape: str, cx: float, cy: float, colour: str, tip: str) -> str:
    title = f"<title>{esc(tip)}</title>"
    if shape == "square":
        return (
            f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{colour}">'
            f"{title}</rect>"
        )
    if shape == "triangle":
        return f'<path d="M{cx:.1f},{cy - 6:.1f} l6,11 l-12,0 z" fill="{colour}">{title}</path>'
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{colour}">{title}</circle>'


def mocks_svg(points: Sequence[MockPoint], *, label: str) -> Markup:
    """Each mock's verdict over time, one marker shape (and colour) per kind."""
    width, height, left, right, up, down = 640, 220, 100, 130, 12, 30
    first: date = min((p.day for p in points), default=date(2000, 1, 1))
    last: date = max((p.day for p in points), default=first)
    span = max((last - first).days, 1)
    plot_w, plot_h = width - left - right, height - up - down

    def x(day: date) -> float:
        return left + plot_w * ((day - first).days / span if len(points) > 1 else 0.5)

    def y(score: int) -> float:
        return up + plot_h * (1 - score / 4)

    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{esc(label)}"><title>{esc(label)}</title>'
    ]
    for score, text in enumerate(SCORES):
        out.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(score):.1f}" '
            f'y2="{y(score):.1f}"/><text class="ax" x="{left - 6}" y="{y(score) + 4:.1f}" '
            f'text-anchor="end">{text}</text>'
        )
    out.append(
        f'<text class="ax" x="{left}" y="{height - 8}">{esc(day_text(first))}</text>'
        f'<text class="ax" x="{width - right}" y="{height - 8}" text-anchor="end">'
        f"{esc(day_text(last))}</text>"
    )
    for i, (kind, (shape, colour)) in enumerate(KIND_MARKS.items()):
        mine = [p for p in points if p.kind_key == kind]
        if len(mine) > 1:
            pts = " ".join(f"{x(p.day):.1f},{y(p.score):.1f}" for p in mine)
            out.append(f'<polyline fill="none" stroke="{colour}" points="{pts}"/>')
        for p in mine:
            tip = f"{day_text(p.day)} · {p.kind}: {p.rating}"
            out.append(_marker(shape, x(p.day), y(p.score), colour, tip))
        ly = up + 10 + i * 20
        out.append(
            _marker(shape, width - right + 16, ly, colour, MOCK_KINDS[kind])
            + f'<text class="lg" x="{width - right + 28}" y="{ly + 4}">'
            + f"{esc(MOCK_KINDS[kind])}</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))
