"""Peer mock interviews: the weekly matching round and the pairs it makes.

A :class:`MockRound` row per cohort and local week, unique, is created before matching (the
claim): two matchers racing for the same week get one row and the loser skips. Pairs, both
sessions and everyone's place in line are written in one transaction, so a crash leaves
either nothing (the claim is retried after :data:`~bot.mocks.sessions.STALE_CLAIM`) or the
whole result. Matching itself is pure (:mod:`bot.core.mock_matching`). Each new pair is then
claimed for posting (its thread and cards) the same way, exactly once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from bot.core.calendar import local_date
from bot.core.mock_matching import Candidate, History, Matching, match
from bot.core.mock_windows import Interval, decode, encode, free_times
from bot.mocks.models import (
    MockPair,
    MockProfile,
    MockRound,
    MockSession,
    PairStatus,
    ProfileStatus,
    RoundStatus,
    SessionStatus,
)
from bot.mocks.profiles import parse_list
from bot.mocks.schedule import due_instant, match_time, week_monday
from bot.mocks.sessions import ACTIVE, STALE_CLAIM
from bot.models import Cohort, Member
from bot.services.cohorts import member_zone
from bot.services.sql import query

HORIZON = timedelta(days=7)  # sessions are arranged within the week after matching
LEAD = timedelta(hours=1)  # nothing is proposed sooner than this after matching
HISTORY_ROUNDS = 12  # past rounds the matching looks at (who met whom, how long ago)


# -- rounds --------------------------------------------------------------------------------
async def cohorts_with_opt_ins() -> list[Cohort]:
    """Cohorts (of guilds the bot is in) with at least one member opted in."""
    ids = await MockProfile.filter(status=ProfileStatus.ACTIVE, member__left_at=None).values_list(
        "member__cohort_id", flat=True
    )
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return []
    return await Cohort.filter(id__in=sorted(wanted), guild__left_at=None).select_related("guild")


async def due_weeks(cohorts: Sequence[Cohort], now: datetime) -> list[tuple[Cohort, date]]:
    """The cohorts whose matching of this local week is due and not yet claimed."""
    out = []
    for cohort in cohorts:
        when = await match_time(cohort)
        if not when.enabled:
            continue
        zone = ZoneInfo(cohort.timezone)
        monday = week_monday(local_date(now, zone))
        if due_instant(when, zone, monday) > now:
            continue
        row = await MockRound.get_or_none(cohort_id=cohort.id, week_start=monday)
        if row is None or (
            row.status == RoundStatus.CLAIMED and row.claimed_at < now - STALE_CLAIM
        ):
            out.append((cohort, monday))
    return out


async def claim_round(cohort: Cohort, week_start: date, now: datetime) -> MockRound | None:
    """The week's round for this caller, or ``None`` when another matcher has it."""
    try:
        return await MockRound.create(cohort_id=cohort.id, week_start=week_start, claimed_at=now)
    except IntegrityError:
        pass
    row = await MockRound.get_or_none(cohort_id=cohort.id, week_start=week_start)
    if row is None or row.status != RoundStatus.CLAIMED or row.claimed_at >= now - STALE_CLAIM:
        return None
    taken = await MockRound.filter(
        id=row.id, status=RoundStatus.CLAIMED, claimed_at=row.claimed_at
    ).update(claimed_at=now)
    return row if taken else None


@dataclass
class RoundResult:
    round: MockRound
    matching: Matching
    pairs: list[MockPair] = field(default_factory=list)
    sat_out: list[Member] = field(default_factory=list)  # left out after two no-shows
    waiting: list[Member] = field(default_factory=list)  # no partner: first in line next week


async def _progress(member_ids: Sequence[int]) -> dict[int, int]:
    if not member_ids:
        return {}
    marks = ", ".join(["{p}"] * len(member_ids))
    rows = await query(
        "SELECT member_id, COUNT(DISTINCT problem_key) AS n FROM entry"
        f" WHERE kind = 'solve' AND member_id IN ({marks}) GROUP BY member_id",
        *member_ids,
    )
    return {int(r["member_id"]): int(r["n"]) for r in rows}


async def _history(cohort: Cohort, before: date) -> History:
    rounds = (
        await MockRound.filter(cohort_id=cohort.id, week_start__lt=before)
        .order_by("-week_start")
        .limit(HISTORY_ROUNDS)
        .values_list("id", flat=True)
    )
    rounds_ago = {round_id: n for n, round_id in enumerate(rounds, start=1)}
    ago: dict[tuple[int, int], int] = {}
    for round_id, a, b in await MockPair.filter(round_id__in=list(rounds_ago)).values_list(
        "round_id", "member_a_id", "member_b_id"
    ):
        key, n = (min(a, b), max(a, b)), rounds_ago[round_id]
        ago[key] = min(n, ago.get(key, n))  # the most recent meeting
    counts: dict[int, Counter[str]] = {}
    for a, b, kind in await MockPair.filter(
        round__cohort_id=cohort.id, status=PairStatus.OPEN
    ).values_list("member_a_id", "member_b_id", "kind"):
        for m in (a, b):
            counts.setdefault(m, Counter())[kind] += 1
    return History(ago, counts)


async def run_matching(round_: MockRound, cohort: Cohort, now: datetime) -> RoundResult:
    """Match the cohort's opted-in members and write the result (pairs, sessions, line)."""
    profiles = await MockProfile.filter(
        status=ProfileStatus.ACTIVE, member__cohort_id=cohort.id, member__left_at=None
    ).select_related("member")
    sitting = [p for p in profiles if p.sit_out]
    eligible = [p for p in profiles if not p.sit_out]
    start, end = now + LEAD, now + HORIZON
    progress = await _progress([p.member.id for p in eligible])
    candidates = []
    for p in eligible:
        zone = member_zone(p.member, cohort)
        candidates.append(
            Candidate(
                member_id=p.member.id,
                kinds=frozenset(parse_list(p.kinds)),
                free=tuple(free_times(parse_list(p.windows), zone, start, end)),
                progress=progress.get(p.member.id, 0),
                waited=p.waited,
            )
        )
    history = await _history(cohort, round_.week_start)
    # ~2 s for 500 members: off the event loop, so the gateway keeps its heartbeat
    matching = await asyncio.to_thread(match, candidates, history)
    members = {p.member.id: p.member for p in profiles}
    result = RoundResult(round_, matching)
    async with in_transaction():
        sessions = []
        for pair in matching.pairs:
            row = await MockPair.create(
                round_id=round_.id,
                member_a_id=pair.first,
                member_b_id=pair.second,
                kind=pair.kind,
                overlap=encode(pair.overlap),
                created_at=now,
            )
            sessions += [
                MockSession(
                    pair_id=row.id,
                    number=number,
                    interviewer_id=er,
                    interviewee_id=ee,
                    created_at=now,
                )
                for number, (er, ee) in enumerate(
                    ((pair.first, pair.second), (pair.second, pair.first)), start=1
                )
            ]
            result.pairs.append(row)
        if sessions:
            await MockSession.bulk_create(sessions)
        paired = [m for p in matching.pairs for m in (p.first, p.second)]
        if paired:
            await MockProfile.filter(member_id__in=paired).update(waited=0)
        if matching.unmatched:
            await MockProfile.filter(member_id__in=list(matching.unmatched)).update(
                waited=F("waited") + 1
            )
        if sitting:
            await MockProfile.filter(id__in=[p.id for p in sitting]).update(
                sit_out=False, no_show_streak=0
            )
        await MockRound.filter(id=round_.id).update(
            status=RoundStatus.MATCHED, matched_at=now, pair_count=len(matching.pairs)
        )
    result.sat_out = [p.member for p in sitting]
    result.waiting = [members[m] for m in matching.unmatched]
    return result


async def mark_announced(round_id: int) -> bool:
    """Claim the round's channel announcement (True once)."""
    return await MockRound.filter(id=round_id, announced=False).update(announced=True) > 0


# -- pairs ---------------------------------------------------------------------------------
async def claim_pairs(
    now: datetime, owns: Callable[[int], bool] = lambda _: True, limit: int = 50
) -> list[MockPair]:
    """Pairs waiting to be posted (and posts whose sender vanished) in guilds ``owns``
    accepts, each won by one caller."""
    rows = (
        await MockPair.filter(
            Q(status=PairStatus.PENDING)
            | Q(status=PairStatus.POSTING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("id")
        .limit(limit)
        .select_related("round__cohort__guild")
    )
    won = []
    for row in rows:
        if not owns(row.round.cohort.guild.guild_id):
            continue
        if await MockPair.filter(id=row.id, status=row.status, claimed_at=row.claimed_at).update(
            status=PairStatus.POSTING, claimed_at=now
        ):
            won.append(row.id)
    if not won:
        return []
    return (
        await MockPair.filter(id__in=won)
        .select_related("round__cohort__guild", "member_a", "member_b")
        .order_by("id")
    )


async def set_thread(pair_id: int, thread_id: int) -> None:
    await MockPair.filter(id=pair_id).update(thread_id=thread_id)


async def mark_pair(pair_id: int, status: PairStatus) -> None:
    await MockPair.filter(id=pair_id).update(status=status.value)


async def cancel_pair(pair: MockPair, gone: Member, now: datetime) -> None:
    """A member left the server before the pairing went out: close it, the other member
    is first in line next week, the leaver stops being matched."""
    async with in_transaction():
        await MockPair.filter(id=pair.id).update(status=PairStatus.CANCELLED)
        await MockSession.filter(pair_id=pair.id, status__in=list(ACTIVE)).update(
            status=SessionStatus.EXPIRED, closed_at=now
        )
        await MockProfile.filter(member_id=gone.id).update(status=ProfileStatus.LEFT)
        other = pair.member_b_id if pair.member_a_id == gone.id else pair.member_a_id  # type: ignore[attr-defined]
        await MockProfile.filter(member_id=other).update(waited=1)


async def pair_sessions(pair_id: int) -> list[MockSession]:
    return (
        await MockSession.filter(pair_id=pair_id)
        .order_by("number")
        .select_related("interviewer", "interviewee", "pair")
    )


def overlap_of(pair: MockPair) -> list[Interval]:
    return decode(pair.overlap)
