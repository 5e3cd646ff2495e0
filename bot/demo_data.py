"""The synthetic study group of ``coach demo``: its cohort, four personas and what they write.

Fixed data only: the demo cohort's ids, start date and zone; the members (:class:`Persona`:
how often, how much and how fast each one studies); the texts they log (solve notes, Oops,
ledger lines, wins, Key Insights); and the practice beyond the roadmap's catalogue, real
LeetCode problems (:data:`PRACTICE`) with their slugs (:func:`slug_of`). The days are written
by :mod:`bot.demo_writer`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

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
