"""Writes the synthetic study group of ``coach demo`` (:mod:`bot.demo_data`) day by day.

Everything is written through the same services as the slash commands (validation, the
Oops re-review ladder, deliverable de-duplication), day by day, so the demo database looks
like a real cohort's. Solves are the roadmap's catalogue problems, this week's first; the
practice beyond the catalogue is real LeetCode problems (:data:`bot.demo_data.PRACTICE`),
stored as the LeetCode import stores a linked account's accepted solves (with their titles).

Every random choice comes from a generator seeded by the seed, the member and the day (or
the item, or the review), never from one shared stream: the first weeks of a longer demo
are exactly a shorter demo's weeks, and the same seed always gives the same group.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from bot.core.calendar import CohortCalendar, InProgram, local_to_utc
from bot.demo_data import (
    ADMIN_ID,
    CARDS,
    CHANNEL_ID,
    COHORT_NAME,
    COHORT_ZONE,
    CONTEST_BASE,
    GUILD_ID,
    LEDGER,
    OOPS,
    PERSONAS,
    PRACTICE,
    SOLVE_NOTES,
    START,
    WINS,
    Persona,
    slug_of,
)
from bot.leetcode.importer import SOURCE as IMPORTED
from bot.leetcode.importer import dedupe_key
from bot.models import Cohort, EntryKind, Member
from bot.services import logbook, membership, reviews
from bot.services.cards import log_card
from bot.services.cohorts import cohort_calendar
from bot.services.progress import MemberContext, all_items, mark_done, member_context, record
from bot.services.setup import save_cohort, validate_setup
from curriculum.loader import Curriculum

LAST_LOG = time(20, 50)  # cohort time on Sundays: everyone has logged before the recap


@dataclass
class Simulation:
    """Per-member state while the days are written."""

    persona: Persona
    member: Member
    ctx: MemberContext
    solved: dict[int, str | None]  # catalogue problem → difficulty given (None: known)
    practised: set[int] = field(default_factory=set)  # PRACTICE problems imported
    cards: set[int] = field(default_factory=set)  # CARDS already added
    oopses: set[tuple[int, str]] = field(default_factory=set)  # (problem, what) logged
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
        self.seed = seed
        self.week_problems = _week_problems(curriculum)
        first_week = {n: min(w) for n, w in curriculum.problem_weeks.items()}
        # the catalogue in the order the roadmap brings its problems up
        self.catalogue = sorted(curriculum.problems, key=lambda n: (first_week.get(n, 99), n))
        self.items = all_items(curriculum)

    def rng(self, *key: object) -> random.Random:
        """A generator for one decision: the seed plus what it is about (never shared)."""
        return random.Random(":".join(str(k) for k in (self.seed, *key)))

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
        plans = {s.member.id: self._done_plan(calendar, s) for s in sims}
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

    def _done_plan(self, calendar: CohortCalendar, sim: Simulation) -> dict[date, list[str]]:
        """Which deliverables the member ticks off, and when (every week of the program)."""
        plan: dict[date, list[str]] = defaultdict(list)
        for item_id, item in self.items.items():
            rng = self.rng("done", sim.persona.name, item_id)
            if rng.random() < sim.persona.done_share:
                weekday = rng.choice(("wed", "thu", "fri", "sat", "sun"))
                plan[calendar.date_of(item.week, weekday)].append(item_id)
        return plan

    def _moment(self, rng: random.Random, sim: Simulation, day: date, pos: InProgram) -> datetime:
        """When the member logs that day, in their zone; on Sundays before the recap."""
        local = time(rng.randint(7, 20), rng.choice((5, 20, 35, 50)))
        moment = local_to_utc(day, local, sim.ctx.zone)
        if pos.weekday == "sun":
            moment = min(moment, local_to_utc(day, LAST_LOG, sim.ctx.calendar.zone))
        return moment

    async def _day(
        self,
        sim: Simulation,
        day: date,
        pos: InProgram,
        until: datetime,
        plan: dict[date, list[str]],
    ) -> int:
        p = sim.persona
        rng = self.rng("day", p.name, day.isoformat())
        if rng.random() > p.active and not plan.get(day):
            return 0
        moment = self._moment(rng, sim, day, pos)
        if moment > until:
            return 0
        ctx = replace(sim.ctx, now=moment, today=day)
        n = 0
        solved_today: list[int] = []
        for _ in range(rng.randint(*p.solves)):
            number = await self._solve(rng, sim, ctx, pos.week)
            if number is not None:
                solved_today.append(number)
            n += 1
        if rng.random() < 0.3:
            n += await self._oops(rng, sim, ctx, solved_today)
        if rng.random() < 0.7:
            await logbook.log_text(ctx, EntryKind.LEDGER, rng.choice(LEDGER))
            n += 1
        if rng.random() < 0.6:
            sim.mature += rng.randint(1, 6)
            await logbook.log_anki(ctx, rng.randint(15, 90), rng.randint(0, 8), sim.mature)
            n += 1
        unused = [i for i in range(len(CARDS)) if i not in sim.cards]
        if unused and rng.random() < 0.15:  # each Key Insight once: no duplicate Anki cards
            card = rng.choice(unused)
            sim.cards.add(card)
            await log_card(ctx, *CARDS[card])
            n += 1
        for item_id in plan.get(day, []):
            n += await mark_done(ctx, self.items[item_id]) is not None
        n += await self._weekly(rng, ctx, pos)
        return n

    async def _oops(
        self, rng: random.Random, sim: Simulation, ctx: MemberContext, today: list[int]
    ) -> int:
        """An Oops on a catalogue problem solved today (or lately), never the same twice."""
        recent = [n for n in reversed(today) if n in self.curriculum.problems]
        recent += [n for n in reversed(list(sim.solved)) if n not in recent]
        what, lesson = rng.choice(OOPS)
        problem = next((n for n in recent if (n, what) not in sim.oopses), None)
        if problem is None:
            return 0
        sim.oopses.add((problem, what))
        await logbook.log_oops(ctx, self.curriculum, what, lesson, str(problem))
        return 1

    async def _solve(
        self, rng: random.Random, sim: Simulation, ctx: MemberContext, week: int
    ) -> int | None:
        """One solve: this week's catalogue problems first, then earlier weeks', then real
        practice problems (imported from LeetCode), then the later catalogue; now and then
        a revisit. Returns the catalogue number solved (None for a practice problem)."""
        mode = rng.choice(("guided", "unguided")) if week <= 4 else "unguided"
        if week > 6 and rng.random() < 0.3:
            mode = "timed"
        this_week = [n for n in self.week_problems.get(week, []) if n not in sim.solved]
        earlier = [
            n for w in range(1, week) for n in self.week_problems.get(w, []) if n not in sim.solved
        ]
        number: int | None = None
        if sim.solved and rng.random() < 0.08:
            number, mode = rng.choice(sorted(sim.solved)), "revisit"
        elif this_week or earlier:
            number = (this_week or earlier)[0]
        else:
            practice = next((x for x in PRACTICE if x[0] not in sim.practised), None)
            if practice is not None:
                await self._practice(rng, sim, ctx, practice)
                return None
            later = [n for n in self.catalogue if n not in sim.solved]
            if later:
                number = later[0]
            else:
                number, mode = rng.choice(sorted(sim.solved)), "revisit"
        known = self.curriculum.problems[number]
        base = {"easy": (8, 20), "medium": (18, 45), "hard": (35, 75)}[known.difficulty.value]
        minutes = max(1, round(rng.randint(*base) * sim.persona.speed))
        notes = rng.choice(SOLVE_NOTES) if rng.random() < 0.3 else None
        language = "cpp" if rng.random() < 0.15 else "python"
        data = logbook.SolveInput(str(number), minutes, None, language, mode, None, notes)
        await logbook.log_solve(ctx, self.curriculum, data)
        sim.solved.setdefault(number, None)
        return number

    async def _practice(
        self,
        rng: random.Random,
        sim: Simulation,
        ctx: MemberContext,
        problem: tuple[int, str, str, str],
    ) -> None:
        """A practice problem as the LeetCode import stores an accepted submission."""
        number, title, difficulty, pattern = problem
        sim.practised.add(number)
        await record(
            ctx,
            EntryKind.SOLVE,
            ctx.today,
            source=IMPORTED,
            dedupe_key=dedupe_key("leetcode.com", f"demo-{sim.member.user_id}-{number}"),
            problem_key=str(number),
            problem_number=number,
            problem_slug=slug_of(title),
            problem_title=title,
            difficulty=difficulty,
            language="cpp" if rng.random() < 0.15 else "python",
            pattern=pattern,
        )

    async def _weekly(self, rng: random.Random, ctx: MemberContext, pos: InProgram) -> int:
        n = 0
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
            rng = self.rng("review", review.entry_id, review.round, review.step)  # type: ignore[attr-defined]
            if rng.random() < 0.85:
                user_id = users[review.member.id]
                await reviews.answer(review.id, user_id, rng.random() < 0.2, now)
