"""Exceptions whose message is safe and meant for the user."""

from __future__ import annotations

from discord import app_commands


class UserFacingError(app_commands.AppCommandError):
    """Raised by services and cogs; the tree shows ``str(self)`` ephemerally, changes nothing."""


class NotAMember(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "You haven't joined a study cohort here yet. Use `/join` to join one "
            "(an admin creates cohorts with `/coach setup`)."
        )


class StorageError(UserFacingError):
    def __init__(self) -> None:
        super().__init__("Couldn't save that right now — nothing was changed. Please try again.")
