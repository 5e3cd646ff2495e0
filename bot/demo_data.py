"""A synthetic study group for ``coach demo``: four members and seeded, believable logs.

Everything is written through the same services as the slash commands (validation, the
Oops re-review ladder, deliverable de-duplication), day by day, so the demo database looks
like a real cohort's. The random generator is seeded: the same seed gives the same group.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from bot.core.calendar import CohortCalendar, InProgram, local_to_utc
from bot.models import Cohort, EntryKind, Member
from bot.services import logbook, membership, reviews
from bot.services.cohorts import cohort_calendar
from bot.services.export import log_card
from bot.services.progress import MemberContext, all_items, mark_done, member_context
from bot.services.setup import save_cohort, validate_setup
from curriculum.loader import Curriculum

GUILD_ID = 100_000_000_000_000_001
CHANNEL_ID = 100_000_000_000_000_002
ADMIN_ID = 100_000_000_000_000_003
START = date(2027, 1, 4)  # a Monday: week 1 starts that day
COHORT_ZONE = "Europe/Berlin"
COHORT_NAME = "Demo cohort"


@dataclass(frozen=True)
class Persona:
    name: str
    zone: str
    active: float  # chance of logging anything on a day
    solves: tuple[int, int]  # solves on an active day (min, max)
    speed: float  # minutes multiplier
    done_share: float  # share of the week's deliverables ticked off


PERSONAS = (
    Persona("Ada", "Europe/Berlin", 0.95, (1, 3), 0.8, 0.9),
    Persona("Ben", "America/New_York", 0.85, (1, 2), 1.0, 0.7),
    Persona("Chen", "Asia/Singapore", 0.6, (0, 2), 1.2, 0.4),
    Persona("Dara", "Europe/London", 0.75, (1, 2), 1.1, 0.6),
)

SOLVE_NOTES = (
    "Two-pass first, then the one-pass version.",
    "Drew the pointers on paper before coding — much faster.",
    "Needed the hint about sorting first.",
    "Clean on the first try.",
    "Off-by-one at the window edge, fixed after a dry run.",
    "Rewrote it with a dict of lists.",
)
OOPS = (
    ("Forgot the empty-input case", "Check n == 0 before touching the array"),
    ("Mutated the list while iterating over it", "Iterate over a copy or collect changes"),
    ("Used a list where a set was needed: O(n²)", "Membership tests → set"),
    ("Mixed up left/right pointer updates", "Write the loop invariant down first"),
    ("Integer division rounded the wrong way", "Use // only for non-negative values"),
    ("Returned inside the loop by accident", "Trace one full iteration before running"),
    ("Stack not empty at the end — missed a case", "Check leftovers after the loop"),
)
LEDGER = (
    "Reviewed the Big-O table and redid two easies from memory.",
    "Read the chapter for this week and wrote a half-page summary.",
    "Timed myself: under 15 minutes for both easies today.",
    "Explained my solution out loud, as in an interview.",
    "Watched the walkthrough and noted the pattern's trigger words.",
    "Ported yesterday's solution to C++ — vectors feel natural now.",
    "Refactored my notes into the Oops List.",
)
WINS = (
    "First medium without hints!",
    "Kept the streak all week.",
    "Explained a solution to a friend and it clicked for both of us.",
    "Finally get why hash maps make this O(n).",
    "Solved three problems in one evening session.",
)
CARDS = (
    ("When does a sliding window apply?", "Contiguous range + a monotone condition."),
    ("Average cost of dict lookup?", "O(1): hash to a bucket, short probe."),
    ("Two pointers on a sorted array find…?", "Pairs with a target sum in O(n)."),
    ("Why a monotonic stack?", "Next greater/smaller element in one pass."),
    ("Prefix sums answer…?", "Any range sum in O(1) after O(n) set-up."),
)
CONTEST_BASE = 430


@dataclass
class Simulation:
    """Per-member state while the days are written."""

    persona: Persona
    member: Member
    ctx: MemberContext
    solved: dict[int, str | None]  # problem → difficulty given (None: from the catalogue)
    mature: int = 0


def _week_problems(curriculum: Curriculum) -> dict[int, list[int]]:
    weeks: dict[int, list[int]] = defaultdict(list)
    for number, found in sorted(curriculum.problem_weeks.items()):
        for week in found:
            weeks[week].append(number)
    return weeks


class GroupWriter:
    def __init__(self, curriculum: Curriculum, seed: int) -> None:
        self.curriculum = curriculum
        self.rng = random.Random(seed)
        self.week_problems = _week_problems(curriculum)
        self.items = all_items(curriculum)

    async def create(self, now: datetime) -> tuple[Cohort, list[Simulation]]:
        settings = validate_setup(
            name=COHORT_NAME,
            channel_id=CHANNEL_ID,
            timezone=COHORT_ZONE,
            start=START.isoformat(),
            block_a="07:00",
            block_b="19:00",
            weekend="10:00",
            recap_day="sun",
            recap_time="20:00",
            role_id=None,
        )
        cohort, _ = await save_cohort(GUILD_ID, settings, user_id=ADMIN_ID, now=now)
        sims = []
        for i, persona in enumerate(PERSONAS, start=1):
            user_id = GUILD_ID + 100 + i
            joined = await membership.join(
                GUILD_ID, user_id, persona.name, COHORT_NAME, persona.zone, now
            )
            ctx = await member_context(GUILD_ID, user_id, self.curriculum, now)
            sims.append(Simulation(persona, joined.member, ctx, {}))
        return cohort, sims

    async def write(self, cohort: Cohort, sims: list[Simulation], until: datetime) -> int:
        """Log every day from the start to ``until``; returns the number of entries."""
        calendar = await cohort_calendar(cohort, self.curriculum)
        last = calendar.counting_week(until.astimezone(calendar.zone).date())
        plans = {s.member.id: self._done_plan(calendar, s, last) for s in sims}
        count = 0
        day = calendar.program_start
        while day <= until.astimezone(calendar.zone).date():
            pos = calendar.position(day)
            if isinstance(pos, InProgram):
                for sim in sims:
                    count += await self._day(sim, day, pos, until, plans[sim.member.id])
            await self._answer_reviews(sims, min(local_to_utc(day, time(23), calendar.zone), until))
            day += timedelta(days=1)
        return count

    def _done_plan(
        self, calendar: CohortCalendar, sim: Simulation, last: int
    ) -> dict[date, list[str]]:
        plan: dict[date, list[str]] = defaultdict(list)
        for item_id, item in self.items.items():
            if item.week <= last and self.rng.random() < sim.persona.done_share:
                weekday = self.rng.choice(("wed", "thu", "fri", "sat", "sun"))
                plan[calendar.date_of(item.week, weekday)].append(item_id)
        return plan

    async def _day(
        self,
        sim: Simulation,
        day: date,
        pos: InProgram,
        until: datetime,
        plan: dict[date, list[str]],
    ) -> int:
        rng, p = self.rng, sim.persona
        if rng.random() > p.active and not plan.get(day):
            return 0
        moment = local_to_utc(
            day, time(rng.randint(7, 20), rng.choice((5, 20, 35, 50))), sim.ctx.zone
        )
        if moment > until:
            return 0
        ctx = replace(sim.ctx, now=moment, today=day)
        n = 0
        solved_today = []
        for _ in range(rng.randint(*p.solves)):
            number = await self._solve(sim, ctx, pos.week)
            solved_today.append(number)
            n += 1
        if rng.random() < 0.3:
            what, lesson = rng.choice(OOPS)
            problem = str(solved_today[-1]) if solved_today else None
            await logbook.log_oops(ctx, self.curriculum, what, lesson, problem)
            n += 1
        if rng.random() < 0.7:
            await logbook.log_text(ctx, EntryKind.LEDGER, rng.choice(LEDGER))
            n += 1
        if rng.random() < 0.6:
            sim.mature += rng.randint(1, 6)
            await logbook.log_anki(ctx, rng.randint(15, 90), rng.randint(0, 8), sim.mature)
            n += 1
        if rng.random() < 0.15:
            await log_card(ctx, *rng.choice(CARDS))
            n += 1
        for item_id in plan.get(day, []):
            n += await mark_done(ctx, self.items[item_id]) is not None
        n += await self._weekly(ctx, pos)
        return n

    async def _solve(self, sim: Simulation, ctx: MemberContext, week: int) -> int:
        rng = self.rng
        fresh = [n for n in self.week_problems.get(week, []) if n not in sim.solved]
        mode = rng.choice(("guided", "unguided")) if week <= 4 else "unguided"
        if week > 6 and rng.random() < 0.3:
            mode = "timed"
        difficulty: str | None = None
        if sim.solved and rng.random() < 0.08:
            number, mode = rng.choice(sorted(sim.solved)), "revisit"
            difficulty = sim.solved[number]
        elif fresh:
            number = fresh[0]
        else:
            number = rng.randint(1000, 2999)
            while number in self.curriculum.problems or number in sim.solved:
                number += 1
            difficulty = rng.choices(("easy", "medium", "hard"), (5, 4 + week // 3, 1 + week // 4))[
                0
            ]
        known = self.curriculum.problems.get(number)
        level = known.difficulty.value if known else difficulty or "medium"
        base = {"easy": (8, 20), "medium": (18, 45), "hard": (35, 75)}[level]
        minutes = max(1, round(rng.randint(*base) * sim.persona.speed))
        notes = rng.choice(SOLVE_NOTES) if rng.random() < 0.3 else None
        language = "cpp" if rng.random() < 0.15 else "python"
        data = logbook.SolveInput(str(number), minutes, difficulty, language, mode, None, notes)
        await logbook.log_solve(ctx, self.curriculum, data)
        sim.solved.setdefault(number, difficulty)
        return number

    async def _weekly(self, ctx: MemberContext, pos: InProgram) -> int:
        rng, n = self.rng, 0
        if pos.weekday == "sat" and pos.week >= 3 and rng.random() < 0.5:
            kind = "system_design" if pos.week >= 12 and rng.random() < 0.5 else "dsa"
            rating = rng.choices(
                ("strong_hire", "hire", "lean_hire", "lean_no_hire"), (1, 3, 3, 2)
            )[0]
            platform = rng.choice(("pramp", "peer", "interviewing_io"))
            await logbook.log_mock(ctx, kind, rating, platform, "Talk through edge cases sooner.")
            n += 1
        if pos.weekday == "sun" and pos.week >= 3 and rng.random() < 0.5:
            percentile = round(max(5.0, rng.uniform(30, 75) - 2 * pos.week), 1)
            name = f"Weekly Contest {CONTEST_BASE + pos.week}"
            await logbook.log_contest(
                ctx, percentile, name, rng.randint(2000, 20000), rng.randint(1, 3)
            )
            n += 1
        if pos.weekday in ("sat", "sun") and rng.random() < 0.45:
            await logbook.log_text(ctx, EntryKind.WIN, rng.choice(WINS))
            n += 1
        return n

    async def _answer_reviews(self, sims: list[Simulation], now: datetime) -> None:
        """Deliver due Oops re-reviews and answer most of them (some "Still shaky")."""
        users = {s.member.id: s.member.user_id for s in sims}
        for review in await reviews.claim_due(now):
            await reviews.mark_sent(review, now, "dm", 0)
            if self.rng.random() < 0.85:
                user_id = users[review.member.id]
                await reviews.answer(review.id, user_id, self.rng.random() < 0.2, now)
