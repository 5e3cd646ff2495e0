"""Cohort statistics from a fixed number of aggregate queries, whatever the cohort's size.

Each query aggregates in the database and returns at most a few rows per member (one per
member and kind, week, difficulty, active day …); nothing loops over members with a query.
Works on SQLite and PostgreSQL (only portable SQL, placeholders adapted per dialect).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.stats import MemberStats
from bot.models import Cohort, Member
from bot.services.sql import as_dates, as_float, query
from curriculum.target_schema import Metric, Milestone

MEMBERS = "SELECT id FROM member WHERE cohort_id = {p} AND left_at IS NULL"


@dataclass(frozen=True)
class Needs:
    """Which optional aggregates a report needs (the milestones of the week decide)."""

    minutes: bool = False
    anki_days: bool = False

    @staticmethod
    def for_milestones(milestones: Sequence[Milestone]) -> Needs:
        metrics = {c.metric for m in milestones for c in m.criteria}
        return Needs(
            minutes=Metric.MEDIAN_SOLVE_MINUTES in metrics,
            anki_days=Metric.ANKI_REVIEW_STREAK in metrics,
        )


def _where(extra: str = "") -> str:
    return f"WHERE e.member_id IN (__MEMBERS__) AND e.week <= {{p}} {extra}"


W_ALL = _where()
W_SOLVE = _where("AND e.kind = 'solve'")
W_DONE = _where("AND e.kind = 'done'")
W_MOCK = _where("AND e.kind = 'mock'")
W_CONTEST_ANKI = _where("AND e.kind IN ('contest', 'anki')")
W_MINUTES = _where("AND e.kind = 'solve' AND e.minutes IS NOT NULL")
W_ANKI_DAYS = _where("AND e.kind = 'anki' AND e.reviewed > 0")


async def cohort_stats(
    cohort: Cohort, week: int, needs: Needs = Needs(), members: Sequence[Member] | None = None
) -> dict[int, MemberStats]:
    """Stats of the cohort's current members as of the end of program ``week``."""
    explicit = members is not None and len(members) > 0
    if members is None:
        members = await Member.filter(cohort_id=cohort.id, left_at=None).order_by("id")
    out = {
        m.id: MemberStats(m.id, m.user_id, m.display_name or str(m.user_id), week) for m in members
    }
    if explicit:  # given members (e.g. one who left): select them by id
        sub = "SELECT id FROM member WHERE id IN (" + ", ".join(["{p}"] * len(members)) + ")"
        base: tuple[Any, ...] = (*(m.id for m in members), week)
    else:
        sub, base = MEMBERS, (cohort.id, week)

    async def _rows(sql: str, *values: Any) -> list[dict[str, Any]]:
        return await query(sql.replace("__MEMBERS__", sub), *values)

    for r in await _rows(
        "SELECT member_id, fw, SUM(CASE WHEN diff = 'easy' THEN 1 ELSE 0 END) AS easy,"
        " SUM(CASE WHEN diff = 'medium' THEN 1 ELSE 0 END) AS medium,"
        " SUM(CASE WHEN diff = 'hard' THEN 1 ELSE 0 END) AS hard FROM ("
        " SELECT e.member_id AS member_id, MIN(e.week) AS fw, MAX(e.difficulty) AS diff"
        f" FROM entry e {W_SOLVE}"
        " GROUP BY e.member_id, e.problem_key) t GROUP BY member_id, fw",
        *base,
    ):
        if (s := out.get(r["member_id"])) is not None:
            s.first_solves[int(r["fw"])] = [int(r["easy"]), int(r["medium"]), int(r["hard"])]

    for r in await _rows(
        "SELECT e.member_id AS member_id, e.kind AS kind, COUNT(*) AS total,"
        " SUM(CASE WHEN e.week = {p} THEN 1 ELSE 0 END) AS wk"
        f" FROM entry e {W_ALL} GROUP BY e.member_id, e.kind",
        week,
        *base,
    ):
        if (s := out.get(r["member_id"])) is not None:
            s.kind_total[r["kind"]] = int(r["total"])
            s.kind_week[r["kind"]] = int(r["wk"] or 0)

    for r in await _rows(
        f"SELECT e.member_id AS member_id, {{dates}} AS days FROM entry e {W_ALL}"
        " GROUP BY e.member_id",
        *base,
    ):
        if (s := out.get(r["member_id"])) is not None:
            s.active_days = as_dates(r["days"])

    # One row per member and ticked item: how many it counts (a countable item's quantities,
    # null meaning 1) and whether it was ticked in ``week``.
    for r in await _rows(
        "SELECT e.member_id AS member_id, e.item_id AS item,"
        " SUM(COALESCE(e.quantity, 1)) AS n,"
        " MAX(CASE WHEN e.week = {p} THEN 1 ELSE 0 END) AS wk"
        f" FROM entry e {W_DONE} GROUP BY e.member_id, e.item_id",
        week,
        *base,
    ):
        if (s := out.get(r["member_id"])) is not None and r["item"] is not None:
            s.done_items.add(r["item"])
            s.item_counts[r["item"]] = int(r["n"] or 0)
            if r["wk"]:
                s.done_this_week.add(r["item"])

    for r in await _rows(
        "SELECT e.member_id AS member_id, e.mock_kind AS k, e.rating AS r, e.week AS w,"
        f" COUNT(*) AS n FROM entry e {W_MOCK}"
        " GROUP BY e.member_id, e.mock_kind, e.rating, e.week",
        *base,
    ):
        if (s := out.get(r["member_id"])) is not None:
            s.mocks.append((r["k"], r["r"], int(r["w"]), int(r["n"])))

    for r in await _rows(
        "SELECT e.member_id AS member_id, MIN(e.percentile) AS best,"
        " MIN(CASE WHEN e.week = {p} THEN e.percentile END) AS week_best,"
        " MAX(e.mature_total) AS mature, SUM(COALESCE(e.new_cards, 0)) AS added"
        f" FROM entry e {W_CONTEST_ANKI} GROUP BY e.member_id",
        week,
        *base,
    ):
        if (s := out.get(r["member_id"])) is not None:
            s.best_percentile = as_float(r["best"])
            s.week_best_percentile = as_float(r["week_best"])
            s.anki_mature = None if r["mature"] is None else int(r["mature"])
            s.anki_added = int(r["added"] or 0)

    for r in await _rows(
        "SELECT e.member_id AS member_id, e.kind AS kind, e.text AS text, e.lesson AS lesson"
        " FROM entry e WHERE e.member_id IN (__MEMBERS__) AND e.week = {p}"
        " AND e.kind IN ('oops', 'win') ORDER BY e.id",
        *base,
    ):
        if (s := out.get(r["member_id"])) is not None:
            if r["kind"] == "oops":
                s.week_oops = (r["text"] or "", r["lesson"] or "")
            else:
                s.week_win = r["text"]

    if needs.minutes:
        for r in await _rows(
            "SELECT e.member_id AS member_id, e.minutes AS m, COUNT(*) AS n FROM entry e"
            f" {W_MINUTES}"
            " GROUP BY e.member_id, e.minutes",
            *base,
        ):
            if (s := out.get(r["member_id"])) is not None:
                s.minutes_hist[int(r["m"])] = int(r["n"])

    if needs.anki_days:
        for r in await _rows(
            f"SELECT e.member_id AS member_id, {{dates}} AS days FROM entry e {W_ANKI_DAYS}"
            " GROUP BY e.member_id",
            *base,
        ):
            if (s := out.get(r["member_id"])) is not None:
                s.anki_days = as_dates(r["days"])

    # Study sessions. Blocks done: per member and slot, this week's count and the days (a
    # done block is activity for the streak).
    for r in await _rows(
        "SELECT e.member_id AS member_id, e.slot AS slot,"
        " SUM(CASE WHEN e.week = {p} THEN 1 ELSE 0 END) AS wk, {dates} AS days"
        " FROM block_attendance e WHERE e.member_id IN (__MEMBERS__) AND e.week <= {p}"
        " AND e.status = 'done' GROUP BY e.member_id, e.slot",
        week,
        *base,
    ):
        if (s := out.get(r["member_id"])) is not None:
            if r["wk"]:
                s.blocks_week[str(r["slot"])] = int(r["wk"])
            days = as_dates(r["days"])
            if days and not set(days) <= set(s.active_days):
                s.active_days = sorted(set(s.active_days) | set(days))
    # Study-room time per week (self-deafened time left out when the cohort says so).
    for r in await _rows(
        "SELECT e.member_id AS member_id, e.week AS w, SUM(e.seconds - CASE WHEN"
        " rs.ignore_deafened THEN e.deaf_seconds ELSE 0 END) AS secs FROM voice_day e"
        " LEFT JOIN room_settings rs ON rs.cohort_id = {p}"
        " WHERE e.member_id IN (__MEMBERS__) AND e.week <= {p} GROUP BY e.member_id, e.week",
        cohort.id,
        *base,
    ):
        if (s := out.get(r["member_id"])) is not None and r["secs"]:
            s.study_seconds[int(r["w"])] = max(0, int(r["secs"]))
    return out
