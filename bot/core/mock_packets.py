"""What the interviewer gets: a problem (or prompt) for the interviewee, hints and the rubric.

* **DS&A** — a catalogue problem of the interviewee's current pattern or an earlier one,
  never one they logged as solved. "Current pattern" follows the roadmap's order: a problem
  belongs to the first week whose tasks name it, and the current week's problems come first,
  then last week's, and so on back to week 1 (so the mock practises what they are learning
  now). Within a week: mediums first (the interview's usual level), then easies, then hards.
  Problems already given to them in an earlier peer mock come after every fresh one; premium
  problems are never picked (the interviewer may not be able to open them). When every
  eligible problem is solved there is no problem: the packet says to pick an unseen one of
  the current pattern.
* **System design** — a prompt from the roadmap's phase 4/5 material: the most recent one
  whose week has been reached, then earlier ones, then the later ones; never one they had.
* **Behavioral** — the next question they haven't had, with the STAR checklist.

Pure: the curriculum, the interviewee's solved problems and past prompts are passed in.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from curriculum.loader import Curriculum
from curriculum.mock_schema import BehavioralPrompt, DesignPrompt, ProblemCoaching, Rubric
from curriculum.problem_schema import Problem

DIFFICULTY_ORDER = {"medium": 0, "easy": 1, "hard": 2}


def problem_week(curriculum: Curriculum, number: int) -> int | None:
    """The first week whose tasks name the problem (its place in the pattern order)."""
    weeks = curriculum.problem_weeks.get(number)
    return min(weeks) if weeks else None


def current_week(curriculum: Curriculum, week: int | None) -> int:
    """The week whose material counts as "current": 1 before the start, the last after."""
    return min(max(week or 1, 1), curriculum.week_count)


def eligible_problems(
    curriculum: Curriculum, week: int | None, solved: Collection[int]
) -> list[Problem]:
    """Catalogue problems of the current pattern or earlier, unsolved and not premium,
    in the order they are offered (current week first, mediums first, by number)."""
    now = current_week(curriculum, week)
    out = []
    for problem in curriculum.problems.values():
        first = problem_week(curriculum, problem.number)
        if first is None or first > now or problem.premium or problem.number in solved:
            continue
        out.append((-first, DIFFICULTY_ORDER.get(problem.difficulty.value, 3), problem.number))
    return [curriculum.problems[n] for _, _, n in sorted(out)]


def choose_problem(
    curriculum: Curriculum,
    week: int | None,
    solved: Collection[int],
    given: Collection[int] = (),
) -> Problem | None:
    """The problem for a DS&A mock (``None``: everything eligible is solved)."""
    ranked = eligible_problems(curriculum, week, solved)
    fresh = [p for p in ranked if p.number not in given]
    best = fresh or ranked
    return best[0] if best else None


def choose_design_prompt(
    curriculum: Curriculum, week: int | None, given: Collection[str] = ()
) -> DesignPrompt:
    now = current_week(curriculum, week)
    prompts = curriculum.mocks.design_prompts
    reached = sorted((p for p in prompts if p.week <= now), key=lambda p: -p.week)
    later = sorted((p for p in prompts if p.week > now), key=lambda p: p.week)
    ranked = [*reached, *later]
    fresh = [p for p in ranked if p.id not in given]
    return (fresh or ranked)[0]


def choose_behavioral_prompt(
    curriculum: Curriculum, given: Collection[str] = ()
) -> BehavioralPrompt:
    prompts = curriculum.mocks.behavioral_prompts
    fresh = [p for p in prompts if p.id not in given]
    return (fresh or list(prompts))[0]


@dataclass(frozen=True)
class Packet:
    """Everything the interviewer's DM says (rendered by :mod:`bot.mocks.render`)."""

    kind: str
    rubric: Rubric
    week: int  # the interviewee's current week (for "week 6 pattern")
    pattern: str | None  # the current week's pattern(s), for the fallback
    problem: Problem | None = None
    coaching: ProblemCoaching | None = None
    design: DesignPrompt | None = None
    behavioral: BehavioralPrompt | None = None

    @property
    def topic_id(self) -> str | None:
        """What to remember as given: a problem number or a prompt id."""
        if self.problem is not None:
            return str(self.problem.number)
        if self.design is not None:
            return self.design.id
        if self.behavioral is not None:
            return self.behavioral.id
        return None


def build_packet(
    curriculum: Curriculum,
    kind: str,
    week: int | None,
    solved: Collection[int],
    given: Collection[str] = (),
) -> Packet:
    """The packet for an interview of ``kind`` (``given``: topic ids they had before)."""
    if kind == "system_design":
        topic: str | None = choose_design_prompt(curriculum, week, given).id
    elif kind == "behavioral":
        topic = choose_behavioral_prompt(curriculum, given).id
    else:
        numbers = {int(g) for g in given if g.isdigit()}
        problem = choose_problem(curriculum, week, solved, numbers)
        topic = str(problem.number) if problem is not None else None
    return packet_for_topic(curriculum, kind, current_week(curriculum, week), topic)


def packet_for_topic(curriculum: Curriculum, kind: str, week: int, topic: str | None) -> Packet:
    """The packet again from its stored topic (a resend shows the same problem)."""
    now = current_week(curriculum, week)
    patterns = curriculum.weeks[now].patterns if now in curriculum.weeks else []
    rubric = curriculum.mocks.rubric(kind)
    pattern = ", ".join(patterns) or None
    if kind == "system_design":
        design = next((p for p in curriculum.mocks.design_prompts if p.id == topic), None)
        return Packet(kind, rubric, now, pattern, design=design)
    if kind == "behavioral":
        talk = next((p for p in curriculum.mocks.behavioral_prompts if p.id == topic), None)
        return Packet(kind, rubric, now, pattern, behavioral=talk)
    problem = curriculum.problems.get(int(topic)) if topic and topic.isdigit() else None
    coaching = curriculum.mocks.coaching(problem.number) if problem is not None else None
    return Packet(kind, rubric, now, pattern, problem=problem, coaching=coaching)
