"""A synthetic study group for ``coach demo``: four members and seeded, believable logs.

Everything is written through the same services as the slash commands (validation, the
Oops re-review ladder, deliverable de-duplication), day by day, so the demo database looks
like a real cohort's. Solves are the roadmap's catalogue problems, this week's first; the
practice beyond the catalogue is real LeetCode problems (:data:`PRACTICE`), stored as the
LeetCode import stores a linked account's accepted solves (with their titles).

Every random choice comes from a generator seeded by the seed, the member and the day (or
the item, or the review), never from one shared stream: the first weeks of a longer demo
are exactly a shorter demo's weeks, and the same seed always gives the same group.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from bot.core.calendar import CohortCalendar, InProgram, local_to_utc
from bot.leetcode.importer import SOURCE as IMPORTED
from bot.leetcode.importer import dedupe_key
from bot.models import Cohort, EntryKind, Member
from bot.services import logbook, membership, reviews
from bot.services.cohorts import cohort_calendar
from bot.services.export import log_card
from bot.services.progress import MemberContext, all_items, mark_done, member_context, record
from bot.services.setup import save_cohort, validate_setup
from curriculum.loader import Curriculum

GUILD_ID = 100_000_000_000_000_001
CHANNEL_ID = 100_000_000_000_000_002
ADMIN_ID = 100_000_000_000_000_003
START = date(2027, 1, 4)  # a Monday: week 1 starts that day
COHORT_ZONE = "Europe/Berlin"
COHORT_NAME = "Demo cohort"


@dataclass(frozen=True)
class Persona:
    name: str
    zone: str
    active: float  # chance of logging anything on a day
    solves: tuple[int, int]  # solves on an active day (min, max)
    speed: float  # minutes multiplier
    done_share: float  # share of the week's deliverables ticked off


PERSONAS = (
    Persona("Ada", "Europe/Berlin", 0.95, (1, 3), 0.8, 0.9),
    Persona("Ben", "America/New_York", 0.85, (1, 2), 1.0, 0.7),
    Persona("Chen", "Asia/Singapore", 0.6, (0, 2), 1.2, 0.4),
    Persona("Dara", "Europe/London", 0.75, (1, 2), 1.1, 0.6),
)

SOLVE_NOTES = (
    "Two-pass first, then the one-pass version.",
    "Drew the pointers on paper before coding — much faster.",
    "Needed the hint about sorting first.",
    "Clean on the first try.",
    "Off-by-one at the window edge, fixed after a dry run.",
    "Rewrote it with a dict of lists.",
)
OOPS = (
    ("Forgot the empty-input case", "Check n == 0 before touching the array"),
    ("Mutated the list while iterating over it", "Iterate over a copy or collect changes"),
    ("Used a list where a set was needed: O(n²)", "Membership tests → set"),
    ("Mixed up left/right pointer updates", "Write the loop invariant down first"),
    ("Integer division rounded the wrong way", "Use // only for non-negative values"),
    ("Returned inside the loop by accident", "Trace one full iteration before running"),
    ("Stack not empty at the end — missed a case", "Check leftovers after the loop"),
)
LEDGER = (
    "Reviewed the Big-O table and redid two easies from memory.",
    "Read the chapter for this week and wrote a half-page summary.",
    "Timed myself: under 15 minutes for both easies today.",
    "Explained my solution out loud, as in an interview.",
    "Watched the walkthrough and noted the pattern's trigger words.",
    "Ported yesterday's solution to C++ — vectors feel natural now.",
    "Refactored my notes into the Oops List.",
)
WINS = (
    "First medium without hints!",
    "Kept the streak all week.",
    "Explained a solution to a friend and it clicked for both of us.",
    "Finally get why hash maps make this O(n).",
    "Solved three problems in one evening session.",
)
CARDS = (
    ("When does a sliding window apply?", "Contiguous range + a monotone condition."),
    ("Average cost of dict lookup?", "O(1): hash to a bucket, short probe."),
    ("Two pointers on a sorted array find…?", "Pairs with a target sum in O(n)."),
    ("Why a monotonic stack?", "Next greater/smaller element in one pass."),
    ("Prefix sums answer…?", "Any range sum in O(1) after O(n) set-up."),
)
CONTEST_BASE = 430
LAST_LOG = time(20, 50)  # cohort time on Sundays: everyone has logged before the recap

# Real LeetCode problems beyond the roadmap's catalogue: (number, title, difficulty, pattern),
# easy ones first. Members practise these once the week's catalogue problems are done.
PRACTICE: tuple[tuple[int, str, str, str], ...] = (
    (21, "Merge Two Sorted Lists", "easy", "Linked List"),
    (26, "Remove Duplicates from Sorted Array", "easy", "Two Pointers"),
    (27, "Remove Element", "easy", "Two Pointers"),
    (35, "Search Insert Position", "easy", "Binary Search"),
    (58, "Length of Last Word", "easy", "Array/String"),
    (66, "Plus One", "easy", "Array/String"),
    (67, "Add Binary", "easy", "Array/String"),
    (69, "Sqrt(x)", "easy", "Binary Search"),
    (70, "Climbing Stairs", "easy", "Dynamic Programming"),
    (88, "Merge Sorted Array", "easy", "Two Pointers"),
    (94, "Binary Tree Inorder Traversal", "easy", "Trees"),
    (100, "Same Tree", "easy", "Trees"),
    (101, "Symmetric Tree", "easy", "Trees"),
    (104, "Maximum Depth of Binary Tree", "easy", "Trees"),
    (110, "Balanced Binary Tree", "easy", "Trees"),
    (111, "Minimum Depth of Binary Tree", "easy", "Trees"),
    (112, "Path Sum", "easy", "Trees"),
    (118, "Pascal's Triangle", "easy", "Dynamic Programming"),
    (121, "Best Time to Buy and Sell Stock", "easy", "Sliding Window"),
    (136, "Single Number", "easy", "Bit Manipulation"),
    (141, "Linked List Cycle", "easy", "Linked List"),
    (160, "Intersection of Two Linked Lists", "easy", "Linked List"),
    (169, "Majority Element", "easy", "Arrays & Hashing"),
    (202, "Happy Number", "easy", "Arrays & Hashing"),
    (206, "Reverse Linked List", "easy", "Linked List"),
    (226, "Invert Binary Tree", "easy", "Trees"),
    (234, "Palindrome Linked List", "easy", "Linked List"),
    (268, "Missing Number", "easy", "Bit Manipulation"),
    (278, "First Bad Version", "easy", "Binary Search"),
    (338, "Counting Bits", "easy", "Bit Manipulation"),
    (349, "Intersection of Two Arrays", "easy", "Arrays & Hashing"),
    (383, "Ransom Note", "easy", "Arrays & Hashing"),
    (387, "First Unique Character in a String", "easy", "Arrays & Hashing"),
    (392, "Is Subsequence", "easy", "Two Pointers"),
    (448, "Find All Numbers Disappeared in an Array", "easy", "Arrays & Hashing"),
    (543, "Diameter of Binary Tree", "easy", "Trees"),
    (572, "Subtree of Another Tree", "easy", "Trees"),
    (617, "Merge Two Binary Trees", "easy", "Trees"),
    (703, "Kth Largest Element in a Stream", "easy", "Heaps + Priority Queue"),
    (746, "Min Cost Climbing Stairs", "easy", "Dynamic Programming"),
    (876, "Middle of the Linked List", "easy", "Linked List"),
    (977, "Squares of a Sorted Array", "easy", "Two Pointers"),
    (1046, "Last Stone Weight", "easy", "Heaps + Priority Queue"),
    (2, "Add Two Numbers", "medium", "Linked List"),
    (5, "Longest Palindromic Substring", "medium", "Two Pointers"),
    (17, "Letter Combinations of a Phone Number", "medium", "Backtracking"),
    (19, "Remove Nth Node From End of List", "medium", "Linked List"),
    (22, "Generate Parentheses", "medium", "Backtracking"),
    (33, "Search in Rotated Sorted Array", "medium", "Binary Search"),
    (34, "Find First and Last Position of Element in Sorted Array", "medium", "Binary Search"),
    (39, "Combination Sum", "medium", "Backtracking"),
    (48, "Rotate Image", "medium", "Matrix"),
    (54, "Spiral Matrix", "medium", "Matrix"),
    (55, "Jump Game", "medium", "Greedy"),
    (62, "Unique Paths", "medium", "Dynamic Programming"),
    (73, "Set Matrix Zeroes", "medium", "Matrix"),
    (74, "Search a 2D Matrix", "medium", "Binary Search"),
    (75, "Sort Colors", "medium", "Two Pointers"),
    (79, "Word Search", "medium", "Backtracking"),
    (91, "Decode Ways", "medium", "Dynamic Programming"),
    (102, "Binary Tree Level Order Traversal", "medium", "Trees"),
    (105, "Construct Binary Tree from Preorder and Inorder Traversal", "medium", "Trees"),
    (138, "Copy List with Random Pointer", "medium", "Linked List"),
    (139, "Word Break", "medium", "Dynamic Programming"),
    (143, "Reorder List", "medium", "Linked List"),
    (146, "LRU Cache", "medium", "Linked List"),
    (152, "Maximum Product Subarray", "medium", "Dynamic Programming"),
    (162, "Find Peak Element", "medium", "Binary Search"),
    (198, "House Robber", "medium", "Dynamic Programming"),
    (199, "Binary Tree Right Side View", "medium", "Trees"),
    (207, "Course Schedule", "medium", "Graphs"),
    (210, "Course Schedule II", "medium", "Graphs"),
    (211, "Design Add and Search Words Data Structure", "medium", "Tries"),
    (213, "House Robber II", "medium", "Dynamic Programming"),
    (235, "Lowest Common Ancestor of a Binary Search Tree", "medium", "Trees"),
    (236, "Lowest Common Ancestor of a Binary Tree", "medium", "Trees"),
    (287, "Find the Duplicate Number", "medium", "Linked List"),
    (300, "Longest Increasing Subsequence", "medium", "Dynamic Programming"),
    (322, "Coin Change", "medium", "Dynamic Programming"),
    (416, "Partition Equal Subset Sum", "medium", "Dynamic Programming"),
    (438, "Find All Anagrams in a String", "medium", "Sliding Window"),
    (567, "Permutation in String", "medium", "Sliding Window"),
    (621, "Task Scheduler", "medium", "Heaps + Priority Queue"),
    (647, "Palindromic Substrings", "medium", "Dynamic Programming"),
    (684, "Redundant Connection", "medium", "Graphs"),
    (743, "Network Delay Time", "medium", "Graphs"),
    (763, "Partition Labels", "medium", "Greedy"),
    (875, "Koko Eating Bananas", "medium", "Binary Search"),
    (981, "Time Based Key-Value Store", "medium", "Binary Search"),
    (1143, "Longest Common Subsequence", "medium", "Dynamic Programming"),
    (1448, "Count Good Nodes in Binary Tree", "medium", "Trees"),
    (4, "Median of Two Sorted Arrays", "hard", "Binary Search"),
    (10, "Regular Expression Matching", "hard", "Dynamic Programming"),
    (23, "Merge k Sorted Lists", "hard", "Heaps + Priority Queue"),
    (41, "First Missing Positive", "hard", "Arrays & Hashing"),
    (42, "Trapping Rain Water", "hard", "Two Pointers"),
    (51, "N-Queens", "hard", "Backtracking"),
    (124, "Binary Tree Maximum Path Sum", "hard", "Trees"),
    (127, "Word Ladder", "hard", "Graphs"),
    (239, "Sliding Window Maximum", "hard", "Sliding Window"),
    (297, "Serialize and Deserialize Binary Tree", "hard", "Trees"),
)


def slug_of(title: str) -> str:
    """LeetCode's slug for a title: ``Pow(x, n)`` → ``powx-n``, ``Pascal's Triangle`` →
    ``pascals-triangle``."""
    return re.sub(r"[^0-9a-z]+", "-", re.sub(r"[()']", "", title.lower())).strip("-")


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
