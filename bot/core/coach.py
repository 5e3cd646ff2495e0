"""``/next``: the few things to do now, ranked, each with its reason (pure, clock injected).

:func:`next_actions` reads a member's :class:`~bot.core.history.History` (the cohort's calendar
and post times, their solves, ticked deliverables, logged days, due Oops reviews and catch-up
plan) and ranks:

1. the current block's task, when now is within a block's time or up to :data:`LEAD` before
   it, with the block's problems the member has not solved;
2. Oops reviews that are due;
3. today's (and overdue) items of the member's catch-up plan, then this week's roadmap
   problems not yet solved, then earlier weeks' (oldest first);
4. revisits of problems solved slowly or with help (mode ``guided``, or at least
   :data:`~bot.core.roadmap.SLOW_FACTOR` × the member's median minutes for that difficulty) at
   3, 7 and 21 days (:mod:`bot.core.revisits`);
5. this week's deliverables not ticked; an Anki review when nothing is logged today.

On a rest day of the member's plan only due reviews come before the rest; in a paused cohort
the pause comes first and the catch-up list follows; before the start only reviews and Anki.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.calendar import BeforeStart, CohortCalendar, Finished, InProgram, Paused, local_date
from bot.core.catchup import Plan, plan_progress
from bot.core.history import DueReview, History
from bot.core.posts import SLOT_LABELS
from bot.core.revisits import REVISIT_DAYS, Revisit, due_revisits
from bot.core.roadmap import block_of, block_problems, day_text, week_problems
from bot.core.schedule import PostTimes, slots_on
from bot.core.text import plural
from curriculum.loader import Curriculum

LEAD = timedelta(minutes=30)  # a block is "now" from this long before it starts
MAX_ACTIONS = 5


class ActionKind(StrEnum):
    BLOCK = "block"
    REVIEW = "review"
    PLAN = "plan"
    ROADMAP = "roadmap"
    REVISIT = "revisit"
    DELIVERABLE = "deliverable"
    ANKI = "anki"
    REST = "rest"  # a rest day of the member's plan
    PAUSED = "paused"  # the cohort is paused
    WAITING = "waiting"  # before week 1
    CLEAR = "clear"  # nothing due


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    title: str
    reason: str
    problems: tuple[str, ...] = ()  # problem keys to solve; the first is "the top problem"
    items: tuple[str, ...] = ()  # deliverable ids to tick
    mode: str = "unguided"  # how "Solved it" logs these problems


def problem_label(key: str, curriculum: Curriculum) -> str:
    """``#3 Longest Substring Without Repeating Characters`` (or the key as logged)."""
    if key.isdigit():
        known = curriculum.problems.get(int(key))
        return f"#{key} {known.title}" if known else f"#{key}"
    return key


# -- 1. the block running now ----------------------------------------------------------------
@dataclass(frozen=True)
class CurrentBlock:
    week: int
    weekday: str
    slot: str
    start: datetime
    end: datetime


def current_block(
    curriculum: Curriculum, calendar: CohortCalendar, times: PostTimes, now: datetime
) -> CurrentBlock | None:
    """The block whose time contains ``now`` (or starts within :data:`LEAD`), if any."""
    today = local_date(now, calendar.zone)
    for day in (today, today - timedelta(days=1)):  # a late block may run past midnight
        for due in slots_on(calendar, curriculum, times, day):
            block = block_of(curriculum, due.week, due.weekday, due.slot)
            if block is None or due.slot not in ("block_a", "block_b", "session"):
                continue
            end = due.due_at + timedelta(minutes=block.minutes)
            if due.due_at - LEAD <= now < end:
                return CurrentBlock(due.week, due.weekday, due.slot, due.due_at, end)
    return None


def _block_action(
    curriculum: Curriculum,
    found: CurrentBlock,
    calendar: CohortCalendar,
    solved: frozenset[str],
    now: datetime,
) -> Action:
    block = block_of(curriculum, found.week, found.weekday, found.slot)
    assert block is not None
    zone = calendar.zone
    start, end = found.start.astimezone(zone), found.end.astimezone(zone)
    when = f"{start:%H:%M}–{end:%H:%M}"
    problems = block_problems(curriculum, found.week, found.weekday, found.slot)
    open_ = tuple(str(p) for p in problems if str(p) not in solved)
    task = block.tasks[0].text
    title = f"{SLOT_LABELS[found.slot]} {when} — {task}"
    state = "starts soon" if found.start > now else "is on now"
    if problems and not open_:
        reason = f"{SLOT_LABELS[found.slot]} {state}; you've solved all its problems"
    elif problems:
        reason = (
            f"{SLOT_LABELS[found.slot]} {state}; {len(open_)} of its "
            f"{plural(len(problems), 'problem')} still open"
        )
    else:
        reason = f"{SLOT_LABELS[found.slot]} {state} ({plural(len(block.tasks), 'task')})"
    kinds = {t.kind.value for t in block.tasks if t.problems}
    mode = (
        "guided" if "guided_solve" in kinds else "timed" if "timed_solve" in kinds else "unguided"
    )
    return Action(ActionKind.BLOCK, title, reason, problems=open_, mode=mode)


# -- 2. Oops reviews -------------------------------------------------------------------------
def _review_action(reviews: Sequence[DueReview], zone: ZoneInfo) -> Action | None:
    if not reviews:
        return None
    oldest = min(r.due_at for r in reviews)
    n = len(reviews)
    title = f"Re-review {plural(n, 'Oops', 'Oops')}"
    reason = (
        f"due since {day_text(local_date(oldest, zone))} — press Reviewed ✅ or Still shaky "
        "on the review message"
    )
    return Action(ActionKind.REVIEW, title, reason)


# -- 3. plan and roadmap ---------------------------------------------------------------------
def _plan_action(plan: Plan, history: History, today: date) -> tuple[Action | None, set[str]]:
    """Today's and overdue plan items still open — or, once today's are done, the next
    day's, to get ahead; also every key the plan still schedules."""
    done, _ = plan_progress(plan, history.solves)
    open_items = [it for i, it in enumerate(plan.items) if i not in done]
    scheduled = {it.key for it in open_items if it.key is not None}
    due = [it for it in open_items if it.day <= today]
    ahead = not due and bool(open_items)
    if ahead:
        nxt = min(it.day for it in open_items)
        due = [it for it in open_items if it.day == nxt]
    if not due:
        return None, scheduled
    later = len(open_items) - len(due)
    keys = tuple(it.key for it in due if it.key is not None)
    extra = len(due) - len(keys)
    minutes = sum(it.minutes for it in due)
    if ahead:
        title = f"Get ahead on your catch-up plan: {day_text(due[0].day)}"
        parts = [f"today's plan is done ✅ — {plural(len(due), 'problem')}, about {minutes} min"]
    else:
        title = "Your catch-up plan for today"
        parts = [f"{plural(len(due), 'problem')} for today, about {minutes} min"]
        overdue = sum(1 for it in due if it.day < today)
        if overdue:
            parts.append(f"{overdue} carried over from earlier days")
    if later:
        parts.append(f"{later} more on later days")
    if extra:
        pattern = next((it.pattern for it in due if it.key is None and it.pattern), None)
        what = f" of {pattern}" if pattern else ""
        title += f" (+{extra} new problem{'s' if extra != 1 else ''}{what} of your choice)"
    return Action(ActionKind.PLAN, title, " · ".join(parts), problems=keys), scheduled


def _roadmap_actions(
    curriculum: Curriculum, week: int, solved: frozenset[str], skip: set[str], this_week: bool
) -> list[Action]:
    """This week's open roadmap problems (when ``this_week``), then earlier weeks' oldest first."""
    out = []
    seen = set(skip)  # a problem the roadmap names twice is listed once, where it comes first
    weeks = ([week] if this_week else []) + list(range(1, week if this_week else week + 1))
    for w in weeks:
        named = week_problems(curriculum, w)
        open_ = tuple(str(p) for p in named if str(p) not in solved and str(p) not in seen)
        seen |= set(open_)
        if not open_:
            continue
        left = sum(1 for p in named if str(p) not in solved)
        if w == week and this_week:
            title = f"This week's roadmap (week {w})"
            reason = f"{left} of its {plural(len(named), 'problem')} not solved yet"
        else:
            title = f"Catch up on week {w}"
            reason = f"{left} of its {plural(len(named), 'problem')} still unsolved"
        out.append(Action(ActionKind.ROADMAP, title, reason, problems=open_))
    return out


# -- 4. revisits -----------------------------------------------------------------------------
def _revisit_action(revisits: Sequence[Revisit], curriculum: Curriculum) -> Action | None:
    if not revisits:
        return None
    first = revisits[0]
    n = len(revisits)
    title = "Revisit " + (problem_label(first.key, curriculum) if n == 1 else plural(n, "problem"))
    day = REVISIT_DAYS[first.step - 1]
    reason = f"{problem_label(first.key, curriculum)} {first.why} — day-{day} revisit"
    if n > 1:
        reason += f" (and {n - 1} more)"
    keys = tuple(r.key for r in revisits)
    return Action(ActionKind.REVISIT, title, reason, problems=keys, mode="revisit")


# -- 5. deliverables and Anki ----------------------------------------------------------------
def _deliverable_action(curriculum: Curriculum, week: int, done: frozenset[str]) -> Action | None:
    if week not in curriculum.weeks:
        return None
    items = [d for d in curriculum.week(week).deliverables if d.id not in done]
    if not items:
        return None
    total = len(curriculum.week(week).deliverables)
    title = "Tick off: " + items[0].title + (f" (+{len(items) - 1} more)" if len(items) > 1 else "")
    reason = f"{len(items)} of this week's {total} deliverables not ticked — `/done` ticks one"
    return Action(ActionKind.DELIVERABLE, title, reason, items=tuple(d.id for d in items))


ANKI = Action(
    ActionKind.ANKI,
    "Anki review (10 min)",
    "nothing logged today yet — a review keeps your streak; log it with `/anki`",
)


# -- ranking ---------------------------------------------------------------------------------
def rank_actions(
    curriculum: Curriculum, history: History, now: datetime, zone: ZoneInfo
) -> list[Action]:
    """Every suggestion for ``now``, best first (unbounded; :func:`next_actions` pages)."""
    calendar = history.calendar
    today = local_date(now, zone)
    pos = calendar.position(today)
    solved = history.solved
    reviews = _review_action(history.due_reviews, zone)
    anki = ANKI if today not in history.active_days else None
    out: list[Action] = []
    if isinstance(pos, BeforeStart):
        out.append(
            Action(
                ActionKind.WAITING,
                f"Week 1 starts {day_text(pos.starts_on)}",
                f"in {plural(pos.days_until, 'day')} — until then, reviews and Anki keep you warm",
            )
        )
        return out + [a for a in (reviews, anki) if a is not None]
    if isinstance(pos, InProgram):
        week = pos.week
    elif isinstance(pos, Paused):
        week = calendar.counting_week(today)
        out.append(
            Action(
                ActionKind.PAUSED,
                f"Your cohort is paused until {day_text(pos.resumes_on - timedelta(days=1))}",
                f"posts resume {day_text(pos.resumes_on)} — a good time to catch up (optional)",
            )
        )
    else:
        assert isinstance(pos, Finished)
        week = calendar.weeks
    plan = history.plan if history.plan is not None and history.plan.week == week else None
    if plan is not None and today in plan.rest_days and isinstance(pos, InProgram):
        out += [reviews] if reviews else []
        nxt = min((d for d in {i.day for i in plan.items} if d > today), default=None)
        back = f" — back on {day_text(nxt)}" if nxt else ""
        out.append(
            Action(ActionKind.REST, "Rest day", f"your catch-up plan keeps today free{back}")
        )
        return out
    shown: set[str] = set()
    if isinstance(pos, InProgram):
        found = current_block(curriculum, calendar, history.times, now)
        if found is not None:
            block = _block_action(curriculum, found, calendar, solved, now)
            out.append(block)
            shown |= set(block.problems)
    if reviews:
        out.append(reviews)
    if plan is not None:
        action, scheduled = _plan_action(plan, history, today)
        if action is not None:
            action = _without(action, shown)
            out.append(action)
            shown |= set(action.problems)
        shown |= scheduled
    out += _roadmap_actions(
        curriculum, week, solved, shown, this_week=isinstance(pos, InProgram | Paused)
    )
    revisit = _revisit_action(
        [r for r in due_revisits(history.solves, today) if r.key not in shown], curriculum
    )
    if revisit:
        out.append(revisit)
    if not isinstance(pos, Finished):
        deliverables = _deliverable_action(curriculum, week, history.done_items)
        if deliverables:
            out.append(deliverables)
    if anki:
        out.append(anki)
    if not out:
        out.append(
            Action(
                ActionKind.CLEAR,
                "You're all caught up",
                "every roadmap problem so far is solved and nothing is due — "
                "try a contest or a harder problem of this week's pattern",
            )
        )
    return out


def _without(action: Action, keys: set[str]) -> Action:
    kept = tuple(k for k in action.problems if k not in keys)
    if kept == action.problems:
        return action
    return Action(action.kind, action.title, action.reason, kept, action.items, action.mode)


def next_actions(
    curriculum: Curriculum,
    history: History,
    now: datetime,
    zone: ZoneInfo,
    *,
    skip: int = 0,
    limit: int = MAX_ACTIONS,
) -> list[Action]:
    """At most ``limit`` suggestions, best first, after skipping the first ``skip``."""
    return rank_actions(curriculum, history, now, zone)[skip : skip + limit]


def top_problem(actions: Sequence[Action]) -> tuple[str, str] | None:
    """The problem "Solved it" logs: (key, mode) of the first action that names one."""
    for action in actions:
        if action.problems:
            return action.problems[0], action.mode
    return None
