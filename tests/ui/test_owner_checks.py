"""Buttons that act for one member refuse everyone else, changing nothing.

Discord shows a private reply only to its owner, so a bystander can't normally press these;
the checks stand for a crafted interaction (a custom id is all a persistent button knows).
Each press here comes from someone else and must get the refusal — without the check, the
press would open the form, run the command or reach the database instead.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bot.ui.coach import NOT_YOURS, SkipButton, SolvedButton
from bot.ui.leetcode import VerifyButton
from bot.ui.views import Confirm, Pager

OWNER, OTHER = 1001, 2002
REFUSED = "These buttons belong to the person who ran the command."


class FakeResponse:
    """Records what a callback answered (a message, a form, an edit)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, dict[str, Any]]] = []
        self.modals: list[Any] = []
        self.edits: list[dict[str, Any]] = []
        self.deferred = False

    def is_done(self) -> bool:
        return bool(self.messages or self.modals or self.edits or self.deferred)

    async def send_message(self, content: str, **kwargs: Any) -> None:
        self.messages.append((content, kwargs))

    async def send_modal(self, modal: Any) -> None:
        self.modals.append(modal)

    async def edit_message(self, **kwargs: Any) -> None:
        self.edits.append(kwargs)

    async def defer(self, **kwargs: Any) -> None:
        self.deferred = True


def press_by(user_id: int) -> Any:
    # No client: a callback that gets past its check fails on it (answered as an error).
    return SimpleNamespace(
        user=SimpleNamespace(id=user_id), response=FakeResponse(), client=None, message=None
    )


def refusal(interaction: Any) -> str:
    response: FakeResponse = interaction.response
    assert response.modals == [] and response.edits == [] and not response.deferred
    ((text, kwargs),) = response.messages
    assert kwargs.get("ephemeral") is True
    return text


async def test_solved_it_on_next_is_only_for_its_owner() -> None:
    button = SolvedButton(OWNER, "unguided", "217")
    other = press_by(OTHER)
    await button.callback(other)
    assert refusal(other) == NOT_YOURS

    owner = press_by(OWNER)
    await button.callback(owner)
    assert len(owner.response.modals) == 1 and owner.response.messages == []  # the form


async def test_skip_on_next_is_only_for_its_owner() -> None:
    other = press_by(OTHER)
    await SkipButton(OWNER, 1).callback(other)
    assert refusal(other) == NOT_YOURS


async def test_leetcode_verify_is_only_for_its_owner() -> None:
    other = press_by(OTHER)
    await VerifyButton(OWNER, 7, "coach-ABC123").callback(other)
    assert refusal(other) == REFUSED


async def test_confirm_and_pages_answer_only_their_owner() -> None:
    confirmed: list[int] = []

    async def on_confirm() -> str:
        confirmed.append(1)
        return "done"

    async def fetch(page: int) -> tuple[str, int]:
        return f"page {page}", 3

    for view in (Confirm(OWNER, on_confirm, "Remove"), Pager(OWNER, fetch, 3)):
        other = press_by(OTHER)
        assert await view.interaction_check(other) is False  # type: ignore[arg-type]
        assert refusal(other) == REFUSED
        owner = press_by(OWNER)
        assert await view.interaction_check(owner) is True  # type: ignore[arg-type]
        assert owner.response.messages == []
        view.stop()
    assert confirmed == []
