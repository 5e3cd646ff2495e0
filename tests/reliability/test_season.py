"""A whole season: a cohort runs all 16 weeks (and a pause) on the injected clock.

Thirty members with believable, seeded histories — diligent, steady, lapsing and returning,
quitting — log solves, Oops, mocks, contests, Anki and deliverables. The real post pipeline
and Discord sender (through simcord) send every day's posts, every recap with its chart,
every nudge and every Oops re-review at their instants. At the end: every scheduled post
and recap went out exactly once, every due review was delivered once, nudges followed the
lapses, and Discord rejected no request of the bot. A 300-member variant is ``slow``.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import discord
import pytest

from bot.core.calendar import CohortCalendar, local_to_utc
from bot.core.clock import FixedClock
from bot.core.schedule import DueSlot, slots_between
from bot.models import Cohort, CohortPause, Entry, Member, OopsReview, Post
from bot.scheduling.reviews import ReviewRunner
from bot.scheduling.runner import PostScheduler
from bot.services.cohorts import cohort_calendar, post_times
from bot.services.logbook import log_oops
from bot.services.progress import member_context
from curriculum.loader import Curriculum
from tests.conftest import on_both_backends
from tests.helpers import bot_posts, join, make_cohort

START = date(2027, 1, 4)  # a Monday: week 1
PAUSE = (date(2027, 3, 8), date(2027, 3, 14))  # one holiday week after week 9
ZONE = "Europe/Berlin"  # the season crosses the spring DST change (28 Mar 2027)


@dataclass(frozen=True)
class Persona:
    name: str
    active: float  # chance to log on a program day
    solves: tuple[int, int]  # new problems on an active day
    lapse: tuple[int, int] | None = None  # weeks without any log (inclusive)
    quits_after: int | None = None


PERSONAS = (
    Persona("diligent", 0.97, (1, 3)),
    Persona("steady", 0.8, (1, 2)),
    Persona("lapsing", 0.85, (1, 2), lapse=(6, 8)),
    Persona("sporadic", 0.45, (0, 2)),
    Persona("quitter", 0.9, (1, 2), quits_after=3),
)


class Rejections:
    """Every request of the bot that Discord (simcord) answered with an error."""

    def __init__(self, bot: discord.Client) -> None:
        self.seen: list[str] = []
        http = bot.http
        original = http.request

        async def request(route: Any, **kwargs: Any) -> Any:
            try:
                return await original(route, **kwargs)
            except discord.HTTPException as exc:
                self.seen.append(f"{route.method} {route.path}: {exc.status} {exc.text}")
                raise

        http.request = request  # type: ignore[method-assign]


class Season:
    def __init__(self, env: Any, curriculum: Curriculum, clock: FixedClock, size: int) -> None:
        self.env = env
        self.curriculum = curriculum
        self.clock = clock
        self.size = size
        self.rng = random.Random(20270104 + size)
        self.catalogue = sorted(curriculum.problems)
        self.solved: dict[int, set[int]] = defaultdict(set)
        self.persona: dict[int, Persona] = {}
        self.members: list[Member] = []
        self.actors: dict[int, Any] = {}
        self.last_log: dict[int, date] = {}
        self.seen_dms: set[int] = set()
        self.answered = 0

    async def setup(self) -> tuple[Cohort, Any, CohortCalendar]:
        guild = self.env.create_guild()
        channel = guild.create_text_channel("study")
        role = guild.create_role("Study group", mentionable=True)
        schedule_from = datetime(2027, 1, 3, tzinfo=UTC)
        cohort = await make_cohort(
            guild.id, channel.id, schedule_from=schedule_from, role_id=role.id, timezone=ZONE
        )
        await CohortPause.create(cohort=cohort, start_date=PAUSE[0], end_date=PAUSE[1])
        self.clock.set(schedule_from)
        for i in range(self.size):
            actor = guild.add_member(self.env.create_user(f"member{i:03d}"))
            member = await join(cohort, actor.id)
            member.display_name = f"**Member {i}** 🧠 <@{actor.id}> _{'x' * 20}_"
            await member.save()
            self.members.append(member)
            self.actors[member.id] = actor
            self.persona[member.id] = PERSONAS[i % len(PERSONAS)]
        return cohort, channel, await cohort_calendar(cohort, self.curriculum)

    async def answer_some_reviews(self) -> None:
        """Some members press a button on the review DMs they got since the last run."""
        for actor in self.actors.values():
            dm = actor.user.dm_channel
            if dm is None:
                continue
            for message in dm.history():
                if message.id in self.seen_dms or "Oops re-review" not in message.content:
                    continue
                self.seen_dms.add(message.id)
                if self.rng.random() < 0.5:
                    label = "Still shaky" if self.rng.random() < 0.3 else "Reviewed ✅"
                    await actor.user.click(message, label=label)
                    self.answered += 1

    def logs_on(self, member: Member, day: date, week: int) -> bool:
        p = self.persona[member.id]
        if p.quits_after is not None and week > p.quits_after:
            return False
        if p.lapse is not None and p.lapse[0] <= week <= p.lapse[1]:
            return False
        return self.rng.random() < p.active

    def entries_for(self, member: Member, cohort: Cohort, day: date, week: int) -> list[Entry]:
        p = self.persona[member.id]
        at = self.clock()
        base = {"member_id": member.id, "cohort_id": cohort.id, "local_date": day, "week": week}
        out = []
        for _ in range(self.rng.randint(*p.solves)):
            unsolved = [n for n in self.catalogue if n not in self.solved[member.id]]
            number = unsolved[0] if unsolved else 3000 + len(self.solved[member.id])
            self.solved[member.id].add(number)
            problem = self.curriculum.problems.get(number)
            out.append(
                Entry(
                    **base,
                    kind="solve",
                    created_at=at,
                    problem_key=str(number),
                    problem_number=number,
                    problem_title=problem.title if problem else None,
                    difficulty=problem.difficulty.value if problem else "medium",
                    minutes=self.rng.randint(8, 45),
                    language="python",
                    mode="unguided",
                )
            )
        out.append(
            Entry(
                **base,
                kind="anki",
                created_at=at,
                reviewed=self.rng.randint(10, 60),
                new_cards=self.rng.randint(0, 5),
                mature_total=10 * week + self.rng.randint(0, 9),
            )
        )
        if self.rng.random() < 0.5:
            out.append(Entry(**base, kind="ledger", created_at=at, text=f"day {day} " + "📓" * 5))
        if day.weekday() == 6 and self.rng.random() < 0.6:
            out.append(
                Entry(**base, kind="contest", created_at=at, percentile=self.rng.uniform(5, 80))
            )
        if week >= 15 and self.rng.random() < 0.2:
            rating = self.rng.choice(["strong_hire", "hire", "lean_hire"])
            out.append(Entry(**base, kind="mock", created_at=at, mock_kind="dsa", rating=rating))
        if day.weekday() == 4:
            for d in self.curriculum.week(week).deliverables:
                if self.rng.random() < 0.7:
                    out.append(
                        Entry(
                            **base,
                            kind="done",
                            created_at=at,
                            item_id=d.id,
                            dedupe_key=f"done:{d.id}",
                        )
                    )
        return out


@on_both_backends
@pytest.mark.parametrize(
    "size", [pytest.param(30, id="30-members"), pytest.param(300, id="300", marks=pytest.mark.slow)]
)
async def test_a_whole_season_goes_out_exactly_once(
    simcord_env: Any, clock: FixedClock, curriculum: Curriculum, size: int, db_backend: str
) -> None:
    bot = simcord_env.bot
    rejected = Rejections(bot)
    season = Season(simcord_env, curriculum, clock, size)
    cohort, channel, calendar = await season.setup()
    times = post_times(cohort)
    begin = clock()
    end = local_to_utc(calendar.end_date + timedelta(days=1), time(0), calendar.zone)
    slots = slots_between(calendar, curriculum, times, begin, end)
    by_instant: dict[datetime, list[DueSlot]] = defaultdict(list)
    for slot in slots:
        by_instant[slot.due_at].append(slot)

    scheduler = PostScheduler(bot)
    reviews = ReviewRunner(bot)
    events: list[tuple[datetime, str, date]] = []
    day = calendar.program_start
    while day <= calendar.end_date:
        events.append((local_to_utc(day, time(9), calendar.zone), "reviews", day))
        events.append((local_to_utc(day, time(12, 30), calendar.zone), "logs", day))
        day += timedelta(days=1)
    events += [(at, "posts", at.date()) for at in by_instant]
    oops_count = 0
    for at, what, day in sorted(events):
        clock.set(at)
        if what == "posts":
            await scheduler.run_cohort(cohort.id)
        elif what == "reviews":
            await reviews.run_due()
            await season.answer_some_reviews()
        else:
            week = calendar.counting_week(day)
            if week < 1 or calendar.position(day).__class__.__name__ == "Paused":
                continue
            batch: list[Entry] = []
            for member in season.members:
                if not season.logs_on(member, day, week):
                    continue
                batch += season.entries_for(member, cohort, day, week)
                season.last_log[member.id] = day
                if season.rng.random() < 0.04:
                    ctx = await member_context(
                        channel.guild.id, season.actors[member.id].id, curriculum, clock()
                    )
                    await log_oops(ctx, curriculum, "**forgot** @everyone", "check bounds " * 20)
                    oops_count += 1
            await Entry.bulk_create(batch)

    # Every scheduled post and recap went out exactly once, in full.
    rows = await Post.filter(cohort_id=cohort.id).order_by("due_at")
    assert sorted((r.local_date, r.slot) for r in rows) == sorted(
        (s.local_date, s.slot) for s in slots
    )
    assert {r.status for r in rows} == {"sent"}, [(r.slot, r.error) for r in rows if r.error]
    recaps = [r for r in rows if r.slot == "recap"]
    assert len(recaps) == curriculum.week_count
    posted = bot_posts(channel)
    ids = [int(i) for r in rows for i in r.message_ids.split(",")]
    assert sorted(ids) == sorted(m.id for m in posted)  # nothing extra, nothing twice
    titles = [m.embeds[0].title for m in posted if m.embeds]
    assert len(titles) == len(set(titles))
    assert all(m.attachments for m in posted if "recap" in (m.embeds[0].title or ""))

    # Nudges: a member is mentioned only after two quiet days, once per lapse.
    mentioned: dict[int, list[date]] = defaultdict(list)
    user_to_member = {season.actors[m.id].id: m for m in season.members}
    post_day = {int(i): r.local_date for r in rows for i in r.message_ids.split(",")}
    for m in posted:
        for user in m.mentions:
            mentioned[user_to_member[user.id].id].append(post_day[m.id])
    lapsers = [m for m in season.members if season.persona[m.id].name in ("lapsing", "quitter")]
    assert lapsers and all(mentioned[m.id] for m in lapsers)
    for member_id, days in mentioned.items():
        logged = sorted(
            await Entry.filter(member_id=member_id).distinct().values_list("local_date", flat=True)
        )
        for earlier, later in itertools.pairwise(days):
            assert any(earlier <= d < later for d in logged), (member_id, earlier, later)

    # Every due Oops re-review was delivered exactly once (answered or waiting for a button).
    await reviews.run_due()
    assert oops_count > 0 and season.answered > 0
    # A "Still shaky" press supersedes the rest of its ladder; rows delivered before that
    # keep their sent_at, rows superseded before they were due were never sent.
    due_rows = await OopsReview.filter(due_at__lte=clock())
    due = sum(1 for r in due_rows if r.status != "superseded" or r.sent_at is not None)
    sent = await OopsReview.filter(sent_at__isnull=False).count()
    dms = sum(
        1
        for actor in season.actors.values()
        if actor.user.dm_channel is not None
        for message in actor.user.dm_channel.history()
        if "Oops re-review" in message.content
    )
    assert due == sent == dms

    assert rejected.seen == []
