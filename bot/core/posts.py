"""What a cohort is told on a given day: the posts, as plain data (no Discord types).

Renderers (``bot.render``) turn these into embeds or text. A day's posts are keyed by slot:

* ``kickoff`` — the program's first day, before anything else;
* ``block_a`` / ``block_b`` — weekday 90-minute blocks; Monday's Block-A opens the week
  (and the phase, in a phase's first week); Block-A carries the daily micro-routine from
  the routine's first week on. A weekend day the roadmap writes as two blocks (week 16)
  posts them too (at the times :meth:`bot.core.schedule.PostTimes.local_time` gives);
* ``session`` — the weekend 3-hour session;
* ``finale`` — the program's last day, after the session.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.calendar import InProgram
from bot.core.text import span
from curriculum.loader import Curriculum
from curriculum.schema import WEEKDAY_NAMES
from curriculum.week_schema import Block, Session, Task, TaskKind

SLOT_ORDER: tuple[str, ...] = ("kickoff", "block_a", "block_b", "session", "recap", "finale")
SLOT_LABELS: dict[str, str] = {
    "kickoff": "Kick-off",
    "block_a": "Block-A",
    "block_b": "Block-B",
    "session": "Weekend session",
    "recap": "Weekly recap",
    "finale": "Finale",
}
KIND_ICONS: dict[TaskKind, str] = {
    TaskKind.SETUP: "🛠️",
    TaskKind.READ: "📖",
    TaskKind.WATCH: "🎬",
    TaskKind.IMPLEMENT: "⌨️",
    TaskKind.GUIDED_SOLVE: "🧭",
    TaskKind.UNGUIDED_SOLVE: "🧠",
    TaskKind.TIMED_SOLVE: "⏱️",
    TaskKind.CPP_PORT: "➕",
    TaskKind.ANKI: "🗂️",
    TaskKind.DIAGRAM: "🗺️",
    TaskKind.WRITE: "✍️",
    TaskKind.PUBLISH: "📣",
    TaskKind.REVIEW: "🔍",
    TaskKind.QUIZ: "❓",
    TaskKind.CONTEST: "🏆",
    TaskKind.RETRO: "🔁",
    TaskKind.MOCK: "🎤",
    TaskKind.BUILD: "🏗️",
    TaskKind.BENCHMARK: "📊",
    TaskKind.NOTEBOOK: "📒",
    TaskKind.OUTREACH: "🤝",
    TaskKind.REST: "🌴",
}


@dataclass(frozen=True)
class ProblemRef:
    number: int
    title: str
    difficulty: str
    url: str


@dataclass(frozen=True)
class LinkRef:
    title: str
    url: str


@dataclass(frozen=True)
class TaskView:
    text: str
    kind: TaskKind
    minutes: int | None
    problems: tuple[ProblemRef, ...]
    links: tuple[LinkRef, ...]
    ledger: str | None
    checkpoint: str | None

    @property
    def icon(self) -> str:
        return KIND_ICONS.get(self.kind, "•")


@dataclass(frozen=True)
class Section:
    """An introductory section (week or phase opening, routine, kick-off text)."""

    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PlannedPost:
    slot: str
    week: int
    weekday: str
    phase: int
    title: str  # "Week 6 · Two Pointers & Sliding Window — Wed · Block-B (90 min)"
    intro: tuple[Section, ...] = ()
    tasks: tuple[TaskView, ...] = ()


def slots_for(pos: InProgram, curriculum: Curriculum) -> list[str]:
    """The slots posted on a program day, in order (recap is scheduled separately)."""
    day = curriculum.day(pos.week, pos.weekday)
    slots: list[str] = []
    if pos.week == 1 and pos.day_index == 0:
        slots.append("kickoff")
    if day.session is not None:
        slots.append("session")
    else:
        slots += [s for s in ("block_a", "block_b") if getattr(day, s) is not None]
    if pos.week == curriculum.week_count and pos.weekday == "sun":
        slots.append("finale")
    return slots


def _task_view(task: Task, curriculum: Curriculum) -> TaskView:
    problems = tuple(
        ProblemRef(p.number, p.title, p.difficulty.value, p.url)
        for p in (curriculum.problems[n] for n in task.problems)
    )
    links = tuple(LinkRef(link.title or str(link.url), str(link.url)) for link in task.links)
    return TaskView(
        text=task.text,
        kind=task.kind,
        minutes=task.minutes,
        problems=problems,
        links=links,
        ledger=task.ledger,
        checkpoint=task.checkpoint,
    )


def week_heading(curriculum: Curriculum, week: int) -> str:
    return f"Week {week} · {curriculum.week(week).title}"


def week_targets(curriculum: Curriculum, week: int) -> list[str]:
    lines = [
        f"🎯 {t.text} ({t.source})" for t in curriculum.targets.solve_targets if t.week == week
    ]
    for milestone in curriculum.milestones_for_week(week):
        lines.append(f"🏁 {milestone.title}: " + "; ".join(c.label for c in milestone.criteria))
    return lines


def week_opening(curriculum: Curriculum, week: int) -> Section:
    w = curriculum.week(week)
    lines: list[str] = []
    if w.patterns:
        lines.append("Patterns: " + ", ".join(w.patterns))
    if w.ml_topic:
        resource = f" ({w.ml_resource})" if w.ml_resource else ""
        lines.append(f"ML topic: {w.ml_topic}{resource}")
    lines += list(w.goals)
    lines += [f"☐ {item}" for item in w.checklist]
    lines += [f"Deliverable: {item}" for item in w.key_deliverables]
    lines += week_targets(curriculum, week)
    return Section(f"📅 This week: {week_heading(curriculum, week)}", tuple(lines))


def phase_opening(curriculum: Curriculum, phase_number: int) -> Section:
    phase = curriculum.phase(phase_number)
    focus = f" · {phase.focus}" if phase.focus else ""
    lines = [f"{span(*phase.weeks).capitalize()}{focus}"]
    for rhythm in curriculum.program.rhythms:
        if rhythm.weeks[0] == phase.weeks[0]:
            lines.append(f"{rhythm.title}:")
            lines += [f"{WEEKDAY_NAMES[d]} — {text}" for d, text in rhythm.days.items()]
            lines += list(rhythm.rules)
    return Section(f"🚩 Phase {phase.number} begins: {phase.title}", tuple(lines))


def micro_routine(curriculum: Curriculum) -> Section | None:
    routine = curriculum.program.micro_routine
    if routine is None:
        return None
    lines = [f"{s.minutes} min — {s.action}" for s in routine.steps]
    if routine.note:
        lines.append(routine.note)
    return Section("🕒 Daily micro-routine", tuple(lines))


def plan_post(pos: InProgram, slot: str, curriculum: Curriculum) -> PlannedPost:
    """The content of one slot on one program day."""
    week = curriculum.week(pos.week)
    day = curriculum.day(pos.week, pos.weekday)
    phase = week.phase
    day_name = WEEKDAY_NAMES[pos.weekday]
    heading = week_heading(curriculum, pos.week)
    if slot == "kickoff":
        program = curriculum.program
        return PlannedPost(
            slot,
            pos.week,
            pos.weekday,
            phase,
            f"🚀 {program.title} starts today",
            intro=(
                Section(
                    "The plan",
                    (
                        program.goal,
                        program.commitment,
                        *(
                            f"{p.name} · {span(*p.weeks)}" + (f" · {p.focus}" if p.focus else "")
                            for p in program.phases
                        ),
                    ),
                ),
            ),
        )
    if slot == "finale":
        return PlannedPost(
            slot,
            pos.week,
            pos.weekday,
            phase,
            f"🎉 Week {pos.week} done — the {curriculum.week_count}-week program is complete",
            intro=(
                Section(
                    "Final Program Checklist",
                    tuple(
                        f"☐ {row.section}: {row.target}"
                        for row in curriculum.program.final_checklist
                    ),
                ),
                Section("Sustain & grow", tuple(curriculum.program.epilogue)),
            ),
        )
    block: Block | Session | None = getattr(day, slot, None)
    if block is None:
        raise KeyError(f"week {pos.week} {pos.weekday} has no {slot}")
    label = SLOT_LABELS[slot]
    minutes = block.minutes
    duration = f"{minutes // 60} h" if minutes % 60 == 0 and minutes >= 120 else f"{minutes} min"
    title = f"{heading} — {day_name} · {label} ({duration})"
    intro: list[Section] = []
    content_slots = [s for s in slots_for(pos, curriculum) if s not in ("kickoff", "finale")]
    first_of_day = bool(content_slots) and slot == content_slots[0]
    if pos.weekday == "mon" and first_of_day:
        if curriculum.phase(phase).weeks[0] == pos.week:
            intro.append(phase_opening(curriculum, phase))
        intro.append(week_opening(curriculum, pos.week))
    routine = curriculum.program.micro_routine
    if slot == "block_a" and routine is not None and pos.week >= routine.from_week:
        section = micro_routine(curriculum)
        if section is not None:
            intro.append(section)
    tasks = tuple(_task_view(t, curriculum) for t in block.tasks)
    return PlannedPost(slot, pos.week, pos.weekday, phase, title, tuple(intro), tasks)


def plan_day(pos: InProgram, curriculum: Curriculum) -> list[PlannedPost]:
    return [plan_post(pos, slot, curriculum) for slot in slots_for(pos, curriculum)]
