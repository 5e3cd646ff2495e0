"""Nudges and buddy alerts: who went two local days without a log, told once per lapse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tortoise.expressions import Q
from tortoise.functions import Max

from bot.core.calendar import local_date
from bot.models import Buddy, BuddyStatus, Cohort, Entry, Member
from bot.services.cohorts import member_zone
from bot.sessions.models import BlockAttendance

LAPSE_DAYS = 2  # full local days without any log


@dataclass(frozen=True)
class Lapse:
    member: Member
    last_active: date  # last logged day, or the day they joined


async def lapses(cohort: Cohort, day: date) -> list[Lapse]:
    """Members with no log and no block done on the ``LAPSE_DAYS`` days before ``day``
    (three queries, whatever the cohort's size)."""
    members = await Member.filter(cohort_id=cohort.id, left_at=None).order_by("id")
    if not members:
        return []
    rows = (
        await Entry.filter(member_id__in=[m.id for m in members])
        .group_by("member_id")
        .annotate(last=Max("local_date"))
        .values_list("member_id", "last")
    )
    last = {member_id: d for member_id, d in rows}
    # A block marked done (button or voice presence) is activity too.
    blocks = (
        await BlockAttendance.filter(member_id__in=[m.id for m in members], done_at__isnull=False)
        .group_by("member_id")
        .annotate(last=Max("local_date"))
        .values_list("member_id", "last")
    )
    for member_id, d in blocks:
        if d is not None and (last.get(member_id) is None or d > last[member_id]):
            last[member_id] = d
    out = []
    for m in members:
        joined = local_date(m.joined_at, member_zone(m, cohort))
        active = max(last.get(m.id) or joined, joined)
        if active <= day - timedelta(days=LAPSE_DAYS + 1):
            out.append(Lapse(m, active))
    return out


def due_nudges(cohort: Cohort, lapsed: list[Lapse]) -> list[Lapse]:
    """The lapsed members to mention (opted in, not yet nudged for this lapse).

    Longest-quiet first, so when a post can mention only some, those waiting longest go first.
    """
    if not cohort.nudges_enabled:
        return []
    due = [x for x in lapsed if x.member.nudges and x.member.nudged_for != x.last_active]
    return sorted(due, key=lambda x: (x.last_active, x.member.id))


async def mark_nudged(found: list[Lapse]) -> None:
    for lapse in found:
        await Member.filter(id=lapse.member.id).update(nudged_for=lapse.last_active)


async def active_buddies(member_ids: Sequence[int]) -> dict[int, Member]:
    """Each of these members' active buddy, for those who have one (one statement)."""
    wanted = set(member_ids)
    if not wanted:
        return {}
    pairs = await Buddy.filter(
        Q(requester_id__in=wanted) | Q(partner_id__in=wanted), status=BuddyStatus.ACTIVE
    ).select_related("requester", "partner")
    out: dict[int, Member] = {}
    for pair in pairs:
        for member, buddy in ((pair.requester, pair.partner), (pair.partner, pair.requester)):
            if member.id in wanted:
                out.setdefault(member.id, buddy)
    return out


async def claim_buddy_alert(lapse: Lapse) -> bool:
    """Claim the alert for this lapse (exactly once, even with two schedulers)."""
    changed = (
        await Member.filter(id=lapse.member.id)
        .filter(Q(buddy_alerted_for__isnull=True) | ~Q(buddy_alerted_for=lapse.last_active))
        .update(buddy_alerted_for=lapse.last_active)
    )
    return changed > 0
