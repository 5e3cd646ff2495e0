"""What the loader and the checker report about the data: one :class:`Issue` per problem.

Its own module so that :mod:`curriculum.loader` (which runs the checks) and
:mod:`curriculum.checker` / :mod:`curriculum.target_checks` (which produce issues) do not
import each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem found in the data: ``file: path: message``."""

    file: str
    path: str
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}: " if self.path else f"{self.file}: "
        return f"{where}{self.message}"


class CurriculumError(Exception):
    """Raised when the data cannot be loaded; ``issues`` lists every error found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))
