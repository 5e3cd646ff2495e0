"""Results of the figures: metrics with targets and verdicts, the table, the JSON form."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

PASS = "PASS"
MISS = "MISS"
INFO = "info"
SKIPPED = "skipped"  # the figure's database is not there (PostgreSQL not answering)
ERROR = "error"


@dataclass
class Metric:
    """One measured value; ``target`` is text such as "≤ 20 ms", "—" when informational."""

    name: str
    value: float | None
    unit: str = ""
    target: str = "—"
    verdict: str = INFO

    def shown(self) -> str:
        return fmt(self.value, self.unit)


@dataclass
class Figure:
    name: str
    status: str  # ok / skipped / error
    summary: str  # one line: the headline numbers against their targets
    metrics: list[Metric] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        if self.status != "ok":
            return self.status
        judged = [m.verdict for m in self.metrics if m.verdict in (PASS, MISS)]
        if MISS in judged:
            return MISS
        return PASS if judged else INFO

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["verdict"] = self.verdict
        return data

    @staticmethod
    def from_json(data: dict[str, Any]) -> Figure:
        metrics = [Metric(**m) for m in data.get("metrics", [])]
        return Figure(
            data["name"], data["status"], data["summary"], metrics, data.get("details", {})
        )


def fmt(value: float | None, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "%":
        return f"{value:.1f} %"
    if unit in ("MB", "MiB"):
        return f"{value:.0f} {unit}"
    if unit == "/s":
        return f"{value:,.0f}/s"
    if unit == "x":
        return f"{value:.2f}×"
    if float(value).is_integer():
        return f"{int(value):,}{' ' + unit if unit else ''}"
    return f"{value:,.2f}{' ' + unit if unit else ''}"


def at_most(name: str, value: float, unit: str, limit: float, *, shown: str = "") -> Metric:
    target = f"≤ {shown or fmt(limit, unit)}"
    return Metric(name, value, unit, target, PASS if value <= limit else MISS)


def at_least(name: str, value: float, unit: str, limit: float, *, shown: str = "") -> Metric:
    target = f"≥ {shown or fmt(limit, unit)}"
    return Metric(name, value, unit, target, PASS if value >= limit else MISS)


def skipped_figure(name: str, why: str) -> Figure:
    return Figure(name, SKIPPED, f"{name}: skipped — {why}")


def error_figure(name: str, message: str) -> Figure:
    return Figure(name, "error", f"{name}: ERROR — {message}")


def render_table(figures: list[Figure]) -> str:
    rows = [("figure", "measured", "target", "verdict")]
    for figure in figures:
        if not figure.metrics:
            rows.append((figure.name, "—", "—", figure.verdict))
        rows += [
            (f"{figure.name} · {m.name}", m.shown(), m.target, m.verdict) for m in figure.metrics
        ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = []
    for i, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1])]
        cells += [row[2].ljust(widths[2]), row[3]]
        lines.append(" │ ".join(cells).rstrip())
        if i == 0:
            lines.append("─┼─".join("─" * w for w in widths))
    return "\n".join(lines)


def render_summaries(figures: list[Figure]) -> str:
    return "\n".join(f"[{f.verdict:>7}] {f.summary}" for f in figures)
