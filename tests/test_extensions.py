"""Every extension imports and loads; command names are unique and documented."""

from __future__ import annotations

import importlib
from typing import Any

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


async def test_the_synced_commands_fit_discords_limits(
    settings: Settings, curriculum: Curriculum, clock: FixedClock
) -> None:
    """What ``tree.sync`` sends: Discord rejects the whole upload (400) when one command
    breaks a limit — names, descriptions, options, choices and the 4,000 characters a
    command may total."""
    import re

    bot = CoachBot(settings, curriculum, clock=clock, start_scheduler=False)
    for name in extension_names():
        await bot.load_extension(name)
    name_ok = re.compile(r"^[-_\w]{1,32}$")
    payloads = [c.to_dict(bot.tree) for c in bot.tree.get_commands()]
    seen: list[str] = []
    assert 0 < len(payloads) <= 100

    def check(node: dict[str, Any], path: str) -> int:
        """Checks one command or option; returns the characters Discord counts."""
        name, description = node["name"], node.get("description", "")
        assert name_ok.fullmatch(name) and name == name.lower(), path
        assert 1 <= len(description) <= 100, (path, description)
        seen.append(path)
        options = node.get("options") or []
        assert len(options) <= 25, path
        names = [o["name"] for o in options]
        assert len(names) == len(set(names)), path
        required = [o.get("required", False) for o in options]
        assert required == sorted(required, reverse=True), f"{path}: required options first"
        total = len(name) + len(description)
        for choice in node.get("choices") or []:
            assert 1 <= len(choice["name"]) <= 100, path
            assert len(str(choice["value"])) <= 100, path
            total += len(choice["name"]) + len(str(choice["value"]))
        assert len(node.get("choices") or []) <= 25, path
        for option in options:
            total += check(option, f"{path}/{option['name']}")
        return total

    for payload in payloads:
        if payload.get("type", 1) != 1:  # context menus: a name only
            assert 1 <= len(payload["name"]) <= 32
            continue
        assert check(payload, payload["name"]) <= 4000, payload["name"]
    assert "coach/roles/reward" in seen and "solve/problem" in seen  # options were checked
    await bot.close()
