"""What a member's export needs besides the entries, gathered once, up front.

Goals, the weekly recaps and milestone checks (through the same services as ``/recap`` and
``/milestones``: a fixed number of aggregate queries per program week so far) are read by
:func:`member_export` into a :class:`MemberBundle`; the entries themselves are streamed in
batches (:mod:`bot.services.export_entries`) while :mod:`bot.services.export_files` writes
the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.calendar import CohortCalendar, local_date, local_to_utc
from bot.core.schedule import PostTimes
from bot.core.stats import metric_text, need_text, verdict_text
from bot.errors import UserFacingError
from bot.exports.data import CriterionRow, MemberExport, MilestoneRow
from bot.models import Cohort, Entry, Member
from bot.render.member_recap import member_recap_text
from bot.services.cohorts import cohort_calendar, member_zone, post_times
from bot.services.recap import cohort_week_report
from bot.services.standings import member_milestones
from curriculum.loader import Curriculum


@dataclass(frozen=True)
class MemberBundle:
    """What a member's export needs besides the entries (they are read in batches)."""

    data: MemberExport  # entries left empty: see export_entries.member_entries
    calendar: CohortCalendar
    times: PostTimes
    zone: ZoneInfo
    today: date  # the member's local today: the calendar starts here
    cohort_id: int
    member_id: int
    entries: int  # how many entries the member has


async def exporting_member(guild_id: int, user_id: int) -> tuple[Member, Cohort]:
    """The caller's member row in this guild (also after ``/leave``) and their cohort."""
    member = (
        await Member.filter(guild__guild_id=guild_id, user_id=user_id)
        .select_related("cohort")
        .first()
    )
    if member is None:
        raise UserFacingError("There's nothing to export: you haven't logged anything here.")
    if member.cohort is None:
        raise UserFacingError("Your cohort no longer exists here — `/join` one to export.")
    return member, member.cohort


def program_goals(curriculum: Curriculum, upto: int) -> tuple[str, ...]:
    """The program goal, then each week's goals up to week ``upto`` (the title alone if none)."""
    out = [f"Program: {curriculum.program.goal}"]
    for n in sorted(curriculum.weeks):
        if n > upto:
            break
        week = curriculum.weeks[n]
        head = f"Week {n} · {week.title}"
        out += [f"{head}: {g}" for g in week.goals] or [head]
    return tuple(out)


def finished_weeks(calendar: CohortCalendar, times: PostTimes, now: datetime) -> list[int]:
    """Program weeks whose recap time has passed (the recaps the channel has seen)."""
    return [
        w
        for w in range(1, calendar.weeks + 1)
        if local_to_utc(calendar.date_of(w, times.recap_weekday), times.recap, calendar.zone) <= now
    ]


async def _recaps(
    member: Member, cohort: Cohort, weeks: list[int], curriculum: Curriculum, now: datetime
) -> tuple[str, ...]:
    texts = []
    for week in weeks:
        report = await cohort_week_report(cohort, week, curriculum, now, members=[member])
        texts.append(member_recap_text(report, report.members[0], curriculum.program))
    return tuple(texts)


async def _milestones(
    member: Member, cohort: Cohort, curriculum: Curriculum, now: datetime
) -> tuple[MilestoneRow, ...]:
    """Every milestone so far and the next one. One judged once its week's recap is out
    (passed or missed, as the recap said), the next one on the numbers so far."""
    rows = []
    for view in await member_milestones(member, cohort, curriculum, now):
        due = view.due
        criteria = tuple(
            CriterionRow(
                label=r.criterion.label,
                value=None if r.value is None else float(r.value),
                threshold=float(r.criterion.threshold),
                op=r.criterion.op,
                ok=r.ok,
                value_text=metric_text(r.value, r.criterion.metric),
                need_text=need_text(r.criterion),
            )
            for r in view.result.results
        )
        rows.append(
            MilestoneRow(
                view.milestone.title,
                view.milestone.week,
                criteria,
                verdict=verdict_text(view.result, due=due),
                due=due,
            )
        )
    return tuple(rows)


async def member_export(
    guild_id: int, member: Member, cohort: Cohort, curriculum: Curriculum, now: datetime
) -> MemberBundle:
    """What one member's export needs besides the entries, as of ``now`` (``guild_id``:
    Discord's id): goals, recaps and milestones, a fixed number of queries per week."""
    calendar = await cohort_calendar(cohort, curriculum)
    zone = member_zone(member, cohort)
    cohort_today = local_date(now, calendar.zone)
    current = min(calendar.current_week(cohort_today), calendar.weeks)
    times = post_times(cohort)
    finished = finished_weeks(calendar, times, now)
    data = MemberExport(
        guild_id=guild_id,
        user_id=member.user_id,
        display_name=member.display_name or f"member {member.user_id}",
        timezone=zone.key,
        cohort_name=cohort.name,
        goals=program_goals(curriculum, current),
        entries=(),
        recaps=await _recaps(member, cohort, finished, curriculum, now),
        milestones=await _milestones(member, cohort, curriculum, now),
        generated_at=now,
    )
    count = await Entry.filter(member_id=member.id).count()
    return MemberBundle(
        data, calendar, times, zone, local_date(now, zone), cohort.id, member.id, count
    )
