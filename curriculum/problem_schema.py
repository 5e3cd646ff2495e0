"""Pydantic models of ``problems.yaml``: the LeetCode problem catalogue."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from curriculum.schema import Strict

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Problem(Strict):
    number: Annotated[int, Field(ge=1, le=4000)]
    title: Annotated[str, Field(min_length=1, max_length=120)]
    difficulty: Difficulty
    slug: Slug
    pattern: str
    premium: bool = False

    @property
    def url(self) -> str:
        return f"https://leetcode.com/problems/{self.slug}/"


class ProblemCatalogue(Strict):
    problems: list[Problem]
