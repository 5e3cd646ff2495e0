"""What peer mock messages say. User text (display names, notes) is escaped with ``safe``;
messages are sent with mentions limited to the two members of a pair."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core import entries as rules
from bot.core.mock_packets import Packet
from bot.core.mock_windows import Interval, local_span
from bot.core.text import plural
from bot.mocks.models import MockSession, SessionStatus
from bot.mocks.sessions import HistoryView
from bot.models import Member
from bot.render.entries import safe
from bot.render.fit import Report, Section
from curriculum.mock_schema import MockMaterial

KIND_LABELS = rules.MOCK_KINDS
MAX_SPANS = 6  # overlapping windows listed per member


def ts(moment: datetime, style: str = "F") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def name(member: Member, limit: int = 40) -> str:
    return safe(member.display_name or "a cohort mate", limit)


def zone_name(zone: ZoneInfo) -> str:
    """``New York`` for America/New_York (short, for labels)."""
    return str(zone.key).rsplit("/", 1)[-1].replace("_", " ")


def time_label(start: datetime, zones: Sequence[ZoneInfo]) -> str:
    """``Tue 9 Feb · 19:00 Berlin / 13:00 New York`` (a select option, ≤ 100 characters)."""
    seen: list[str] = []
    parts = []
    for zone in zones:
        if zone.key in seen:
            continue
        seen.append(zone.key)
        local = start.astimezone(zone)
        parts.append(f"{local:%H:%M} {zone_name(zone)}")
    first = start.astimezone(zones[0])
    return f"{first:%a} {first.day} {first:%b} · {' / '.join(parts)}"[:100]


def spans_text(overlap: Sequence[Interval], zone: ZoneInfo) -> str:
    shown = [local_span(iv, zone) for iv in overlap[:MAX_SPANS]]
    more = len(overlap) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def intro_text(
    a: Member,
    b: Member,
    zones: tuple[ZoneInfo, ZoneInfo],
    kind: str,
    overlap: Sequence[Interval],
    *,
    mention: bool,
    note: str | None = None,
) -> str:
    """The pair's first message: who, what, when you are both free (in each one's zone)."""
    who_a = f"<@{a.user_id}>" if mention else f"**{name(a)}**"
    who_b = f"<@{b.user_id}>" if mention else f"**{name(b)}**"
    lines = [
        f"🎤 **Peer mock interviews this week** — {who_a} and {who_b}, you're paired for "
        f"**{KIND_LABELS.get(kind, kind)}**: two sessions, each of you interviews once.",
        "",
        "**When you're both free** (from the windows you picked):",
        f"• {name(a)} ({zones[0].key}): {spans_text(overlap, zones[0])}",
        f"• {name(b)} ({zones[1].key}): {spans_text(overlap, zones[1])}",
        "",
        "Pick a time for each session below; the other one confirms it. The interviewer gets "
        "a packet by DM (problem, hints, rubric) and presses **Give feedback** afterwards — "
        "it counts as a `/mock` for the one interviewed. Both of you get a reminder 15 minutes "
        "before. A session with no time after a week closes by itself.",
    ]
    if note:
        lines += ["", note]
    return "\n".join(lines)


STATUS_LINES = {
    SessionStatus.DONE: "🏁 Done — feedback given.",
    SessionStatus.NO_SHOW: "🚫 Closed — a no-show was reported.",
    SessionStatus.EXPIRED: "Closed — no result within a week.",
}


def session_card(session: MockSession, *, event: bool = False) -> str:
    """A session's card: who interviews whom and where it stands."""
    er, ee = session.interviewer, session.interviewee
    kind = KIND_LABELS.get(session.pair.kind, session.pair.kind)
    head = (
        f"**Session {session.number} of 2 · {kind}** — 🎤 **{name(er)}** interviews **{name(ee)}**"
    )
    status = SessionStatus(session.status)
    if status is SessionStatus.OPEN:
        body = "⏳ No time yet — either of you picks one below (times that suit you both)."
    elif status is SessionStatus.PROPOSED and session.proposed_at is not None:
        by = er if session.proposed_by == er.id else ee
        other = ee if by is er else er
        body = (
            f"🕒 **{name(by)}** proposed {ts(session.proposed_at)} ({ts(session.proposed_at, 'R')})"
            f" — **{name(other)}**, press **Confirm**, or pick another time."
        )
    elif status is SessionStatus.CONFIRMED and session.starts_at is not None:
        where = " It's in the server's events too." if event else ""
        body = (
            f"✅ Confirmed for {ts(session.starts_at)} ({ts(session.starts_at, 'R')}).{where} "
            f"📬 **{name(er)}** has the packet by DM (press **My packet** to get it again) and "
            "presses **Give feedback** after the session."
        )
    else:
        body = STATUS_LINES.get(status, "")
    return f"{head}\n{body}"


# -- the interviewer's packet --------------------------------------------------------------
def _rubric_lines(packet: Packet, material: MockMaterial) -> list[str]:
    scale = material.scale
    lines = [f"**{d.name}** — {d.looks_for}" for d in packet.rubric.dimensions]
    anchors = " · ".join(f"{n} {text}" for n, text in sorted(scale.anchors.items()))
    return [*lines, f"Scores: {anchors}"]


def packet_report(
    packet: Packet,
    material: MockMaterial,
    interviewee: Member,
    starts_at: datetime | None,
    number: int,
) -> Report:
    """The interviewer's DM: what to ask, hints if stuck, a follow-up, the rubric."""
    who = name(interviewee)
    when = f" on {ts(starts_at)}" if starts_at else ""
    kind = KIND_LABELS.get(packet.kind, packet.kind)
    intro = (
        f"You interview **{who}**{when} (session {number} of 2, {packet.rubric.minutes} min + "
        "15 min feedback). Keep this to yourself — it's their surprise."
    )
    sections: list[Section] = []
    if packet.problem is not None:
        p = packet.problem
        sections.append(
            Section(
                "Problem",
                [
                    f"**[#{p.number} {p.title}]({p.url})** · {p.difficulty.value.capitalize()} · "
                    f"{p.pattern}",
                    f"From {who}'s roadmap so far (week {packet.week}); they haven't logged it.",
                ],
            )
        )
        if packet.coaching is not None:
            sections.append(
                Section(
                    "Hints if they're stuck",
                    [f"{i}. {h}" for i, h in enumerate(packet.coaching.hints, start=1)],
                )
            )
            sections.append(Section("Follow-up question", [packet.coaching.follow_up]))
    elif packet.design is not None:
        d = packet.design
        sections.append(Section(f"Prompt: {d.title}", [d.prompt, f"_{d.source}_"]))
        sections.append(
            Section("Hints if they're stuck", [f"{i}. {h}" for i, h in enumerate(d.hints, 1)])
        )
        sections.append(Section("Follow-up question", [d.follow_up]))
    elif packet.behavioral is not None:
        b = packet.behavioral
        sections.append(Section("Question", [b.question, f"_{b.source}_"]))
        sections.append(Section("Follow-up question", [b.follow_up]))
    else:
        pattern = packet.pattern or "their current pattern"
        sections.append(
            Section(
                "Problem",
                [
                    f"{who} has solved every roadmap problem up to week {packet.week} 🎉 — pick a "
                    f"LeetCode medium of **{pattern}** they haven't seen.",
                ],
            )
        )
    if packet.kind != "dsa":
        sections.append(
            Section("STAR checklist", [f"☐ {item}" for item in material.star_checklist])
        )
    sections.append(Section(f"Rubric · {packet.rubric.title}", _rubric_lines(packet, material)))
    sections.append(
        Section("Verdict", [f"**{v.label}** — {v.guidance}" for v in material.verdicts])
    )
    return Report(
        title=f"📬 Your interviewer packet · {kind}",
        description=intro,
        sections=sections,
        footer="After the session: Give feedback in your pair's thread (or DM).",
    )


# -- feedback ------------------------------------------------------------------------------
def scores_text(session: MockSession, material: MockMaterial) -> list[str]:
    rubric = material.rubric(session.pair.kind)
    scores = [int(s) for s in (session.scores or "").split(",") if s]
    return [
        f"{d.name}: **{s}**/{material.scale.max}"
        for d, s in zip(rubric.dimensions, scores, strict=False)
    ]


def feedback_report(session: MockSession, notes: str, material: MockMaterial) -> Report:
    """The interviewee's DM with the feedback (user text escaped and bounded)."""
    verdict = rules.RATINGS.get(session.verdict or "", session.verdict or "?")
    kind = KIND_LABELS.get(session.pair.kind, session.pair.kind)
    sections = [
        Section("Verdict", [f"**{verdict}**"]),
        Section("Scores", scores_text(session, material)),
        Section("Notes", [safe(notes, 900)]),
    ]
    if session.mistakes:
        sections.append(Section("Mistakes to work on", [safe(session.mistakes, 900)]))
    if session.advice:
        sections.append(Section("Advice", [safe(session.advice, 900)]))
    footer = "Logged as a /mock (platform: Peer) — it counts toward your milestones."
    if session.mistakes:
        footer += " Add the mistakes to your Oops List with the button."
    return Report(
        title=f"🎤 Feedback from {name(session.interviewer, 60)} · {kind}",
        sections=sections,
        footer=footer,
    )


def reminder_text(session: MockSession, for_interviewer: bool) -> str:
    assert session.starts_at is not None
    partner = session.interviewee if for_interviewer else session.interviewer
    role = (
        "You're the interviewer — your packet is in your DMs (**My packet** sends it again)."
        if for_interviewer
        else "You're interviewed this time — warm up with a quick problem of your pattern."
    )
    return (
        f"⏰ Your peer mock with **{name(partner)}** starts {ts(session.starts_at, 'R')} "
        f"({ts(session.starts_at, 't')}). {role}"
    )


def history_lines(sessions: Sequence[MockSession], member: Member) -> list[str]:
    lines = []
    for s in sessions:
        kind = KIND_LABELS.get(s.pair.kind, s.pair.kind)
        gave = s.interviewer.id == member.id
        other = s.interviewee if gave else s.interviewer
        role = (
            f"you interviewed **{name(other, 30)}**"
            if gave
            else (f"**{name(other, 30)}** interviewed you")
        )
        when = f"{s.starts_at:%d %b}" if s.starts_at else f"{s.created_at:%d %b}"
        status = SessionStatus(s.status)
        if status is SessionStatus.DONE:
            result = rules.RATINGS.get(s.verdict or "", "?")
        elif status is SessionStatus.NO_SHOW:
            result = "no-show"
        else:
            result = "closed"
        lines.append(f"{when} · {kind} · {role} · {result}")
    return lines


def verdict_trend(verdicts: Sequence[str], limit: int = 8) -> str:
    shown = [rules.RATINGS.get(v, v) for v in verdicts[-limit:]]
    earlier = len(verdicts) - len(shown)
    head = f"({plural(earlier, 'earlier one')}) " if earlier > 0 else ""
    return head + " → ".join(shown) if shown else "no feedback received yet"


def history_report(seen: HistoryView, member: Member) -> Report:
    """``/mocks history``: the counts, the verdict trend and the last sessions (bounded by
    :func:`bot.mocks.sessions.history_of`)."""
    summary = [
        f"Given: **{seen.given}** · received: **{seen.received}**"
        + (f" · no-shows reported: {seen.no_shows}" if seen.no_shows else ""),
        f"Verdicts received: {verdict_trend(seen.verdicts)}",
    ]
    recent = history_lines(seen.recent, member)
    return Report(
        title="🎤 Your peer mocks",
        sections=[
            Section("Summary", summary),
            Section("Recent sessions", recent or ["None yet — `/mocks join` to take part."]),
        ],
        footer="Feedback you received is also in /log (kind: mock), and counts toward /milestones.",
    )


def card_list_text(count: int) -> str:
    if count == 0:
        return "**Open sessions:** none right now."
    return f"**Open sessions:** {count} — below, with their controls (the same as in your thread)."
