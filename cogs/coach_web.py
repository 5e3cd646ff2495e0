"""/coach web — a cohort's progress page in the browser (added to the /coach group).

Thin: the link is made by :mod:`bot.web.links`; the page is served by :mod:`bot.web.app`
when ``WEB_PORT`` is set. ``/progress link`` (a member's own page) is in ``cogs.coach_plans``.
"""

from __future__ import annotations

from typing import Any

from discord import app_commands
from discord.interactions import Interaction

from bot.app import CoachBot
from bot.render.entries import safe
from bot.render.replies import send_text
from bot.services.setup import resolve_cohort
from bot.settings import Settings
from bot.web.links import issue_cohort_link, pages_on, revoke_cohort_link
from cogs._common import coach_group, cohort_choices


@app_commands.command(name="web")
@app_commands.checks.has_permissions(manage_guild=True)
@app_commands.describe(
    cohort="Which cohort (needed only when the server has several)",
    off="Turn the cohort's page off: its link stops working and no new one is made",
)
async def web(
    interaction: Interaction[Any],
    cohort: app_commands.Range[str, 1, 64] | None = None,
    off: bool = False,
) -> None:
    """A new link to the cohort's progress page, or turn it off (the old link stops working)."""
    assert interaction.guild_id is not None
    settings: Settings = interaction.client.settings
    found = await resolve_cohort(interaction.guild_id, cohort)
    name = safe(found.name, 64)
    if off:
        gone = await revoke_cohort_link(found)
        text = (
            f"🌐 The progress page of **{name}** is off: its link no longer works."
            if gone
            else f"🌐 **{name}** has no progress page link — nothing to turn off."
        )
        await send_text(interaction, text)
        return
    pages_on(settings)
    link = await issue_cohort_link(found, interaction.user.id, interaction.client.clock())
    lines = [
        f"🌐 Progress page of **{name}**: <{settings.web_url(link.path)}>",
        "Anyone with this link sees the group's season: the calendar, unique problems against "
        "the roadmap, patterns, the milestone board and this week's blocks. It never shows "
        "notes, Oops or ledger lines, and leaves out members who turned sharing off "
        "(`/prefs share_progress`). Share it only with the group.",
    ]
    if link.replaced:
        lines.append("The previous link no longer works.")
    lines.append("Run `/coach web` again for a new link, or with `off:True` to turn it off.")
    if settings.web_base_url is None:
        lines.append("⚠️ `WEB_BASE_URL` isn't set: this address may only work on the bot's host.")
    await send_text(interaction, "\n".join(lines))


web.autocomplete("cohort")(cohort_choices)


async def setup(bot: CoachBot) -> None:
    coach_group(bot).add_command(web)


async def teardown(bot: CoachBot) -> None:
    coach_group(bot).remove_command("web")
