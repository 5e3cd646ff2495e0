"""Every extension imports and loads; command names are unique and documented."""

from __future__ import annotations

import importlib

from bot.app import CoachBot, extension_names
from bot.core.clock import FixedClock
from bot.settings import Settings
from curriculum.loader import Curriculum


def test_every_extension_imports() -> None:
    names = extension_names()
    assert "cogs.today" in names
    for name in names:
        module = importlib.import_module(name)
        assert hasattr(module, "setup"), name


async def test_commands_unique_and_described(
    settings: Settings, curriculum: Curriculum, clock: FixedClock
) -> None:
    bot = CoachBot(settings, curriculum, clock=clock, start_scheduler=False)
    for name in extension_names():
        await bot.load_extension(name)
    names = [c.qualified_name for c in bot.tree.walk_commands()]
    assert len(names) == len(set(names))
    for command in bot.tree.walk_commands():
        assert command.description and command.description != "…", command.qualified_name
        for param in getattr(command, "parameters", []):
            assert param.description and param.description != "…", (
                command.qualified_name,
                param.name,
            )
    await bot.close()


def test_core_does_not_import_discord() -> None:
    import pathlib

    core = pathlib.Path(__file__).resolve().parents[1] / "bot" / "core"
    for path in core.glob("*.py"):
        text = path.read_text()
        assert "import discord" not in text and "from cogs" not in text, path.name
