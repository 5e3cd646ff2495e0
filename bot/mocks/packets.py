"""Peer mock interviews: the interviewer's packet — a problem or prompt fitting the
interviewee's week and not yet given to them, chosen once per session and stored (the same
on every resend); its automatic DM is claimed once per session. The packets themselves are
pure (:mod:`bot.core.mock_packets`)."""

from __future__ import annotations

from datetime import datetime

from bot.core.calendar import local_date
from bot.core.mock_packets import Packet, build_packet, packet_for_topic
from bot.mocks.models import MockSession
from bot.models import Entry
from bot.services.cohorts import cohort_calendar, member_zone
from curriculum.loader import Curriculum


async def solved_numbers(member_id: int, curriculum: Curriculum) -> set[int]:
    """Catalogue problems the member logged as solved (by number or by slug)."""
    rows = await Entry.filter(member_id=member_id, kind="solve").values_list(
        "problem_number", "problem_slug"
    )
    by_slug = {p.slug: n for n, p in curriculum.problems.items()}
    out = set()
    for number, slug in rows:
        if number is not None:
            out.add(int(number))
        elif slug in by_slug:
            out.add(by_slug[slug])
    return out


async def given_topics(member_id: int) -> set[str]:
    rows = (
        await MockSession.filter(interviewee_id=member_id)
        .exclude(topic=None)
        .values_list("topic", flat=True)
    )
    return {str(t) for t in rows}


async def interviewee_week(session: MockSession, curriculum: Curriculum, now: datetime) -> int:
    cohort = session.pair.round.cohort
    calendar = await cohort_calendar(cohort, curriculum)
    zone = member_zone(session.interviewee, cohort)
    return calendar.counting_week(local_date(now, zone))


async def packet_for(session: MockSession, curriculum: Curriculum, now: datetime) -> Packet:
    """The session's packet: chosen once (then stored), the same on every resend."""
    if session.topic_week is not None:
        return packet_for_topic(curriculum, session.pair.kind, session.topic_week, session.topic)
    week = await interviewee_week(session, curriculum, now)
    packet = build_packet(
        curriculum,
        session.pair.kind,
        week,
        await solved_numbers(session.interviewee.id, curriculum),
        await given_topics(session.interviewee.id),
    )
    await MockSession.filter(id=session.id, topic_week=None).update(
        topic=packet.topic_id, topic_week=packet.week
    )
    fresh = await MockSession.get(id=session.id)
    session.topic, session.topic_week = fresh.topic, fresh.topic_week
    return packet_for_topic(curriculum, session.pair.kind, packet.week, fresh.topic)


async def claim_packet(session_id: int) -> bool:
    """The automatic packet DM, once per session."""
    return (
        await MockSession.filter(id=session_id, packet_status=None).update(packet_status="claimed")
        > 0
    )


async def mark_packet(session_id: int, status: str) -> None:
    await MockSession.filter(id=session_id).update(packet_status=status)
