"""/next through simcord: the ranked answer, **Solved it** → minutes → an entry logged exactly as
/solve logs it, **Skip**; /plan stored and followed by /next; the recap shows the plan."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot.coaching.models import CoachPlan
from bot.errors import UserFacingError
from bot.models import Cohort, Entry
from bot.scheduling.compose import PostComposer
from tests.helpers import bot_posts, expect_errors


def _labels(message: Any) -> list[str]:
    return [c["label"] for row in message.components for c in row["components"]]


async def test_next_then_solved_it_logs_the_top_problem(room: Any) -> None:
    guild, channel, alice, member = room

    shown = await alice.slash(channel, "next")

    assert shown.ephemeral
    text = shown.response.content
    assert text.startswith("**🧭 What to do next** · Wed 3 Feb, 19:00 · week 5")
    assert "**1.** ⏱️ **Block-B 19:00–20:30 — " in text
    assert "**2.** 🧩 **This week's roadmap (week 5)** — #217 Contains Duplicate" in text
    assert _labels(shown.response) == ["✅ Solved #217", "⏭ Skip"]

    asked = await alice.click(shown.response, label="✅ Solved #217")
    assert asked.modal is not None and asked.modal["title"] == "Solved #217"
    logged = await alice.submit_modal(asked, {"minutes": "18"})

    row = await Entry.get(member_id=member.id)
    assert (row.kind, row.problem_key, row.minutes, row.mode, row.local_date) == (
        "solve",
        "217",
        18,
        "unguided",
        date(2027, 2, 3),
    )
    assert logged.ephemeral and logged.response.content.startswith(f"Logged `#{row.id}` · 🧩")
    assert "Week 5: **1/12** new problems" in logged.response.content
    assert [m.content for m in bot_posts(channel)] == [
        "**alice** solved #217 Contains Duplicate · easy · 18 min — 1 this week"
    ]
    (again,) = logged.followups  # the refreshed list: the next problem is on top
    assert "#217" not in again.content.split("↳")[1]
    assert _labels(again)[0] == "✅ Solved #242"


async def test_skip_shows_the_next_suggestion(room: Any) -> None:
    guild, channel, alice, member = room
    shown = await alice.slash(channel, "next")

    skipped = await alice.click(shown.response, label="⏭ Skip")

    text = skipped.response.content
    assert "1 suggestion skipped" in text
    assert text.splitlines()[1].startswith("**2.** 🧩 **This week's roadmap (week 5)**")
    assert _labels(skipped.response) == ["✅ Solved #217", "⏭ Skip"]


async def test_bad_minutes_are_refused_and_nothing_is_logged(room: Any, simcord_env: Any) -> None:
    guild, channel, alice, member = room
    shown = await alice.slash(channel, "next")
    asked = await alice.click(shown.response, label="✅ Solved #217")

    refused = await alice.submit_modal(asked, {"minutes": "0"})

    assert refused.ephemeral and "`minutes` must be between 1 and 600" in refused.response.content
    # a Unicode digit that int() can't read gets the same plain answer, not an error
    asked = await alice.click(shown.response, label="✅ Solved #217")
    odd = await alice.submit_modal(asked, {"minutes": "²"})
    assert odd.ephemeral and "`minutes` must be a whole number" in odd.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await Entry.all().count() == 0


async def test_plan_is_stored_and_next_follows_it(room: Any, clock: Any) -> None:
    guild, channel, alice, member = room

    planned = await alice.slash(channel, "plan")

    text = "\n".join(
        [planned.response.embeds[0].description or ""]
        + [f.value for e in planned.response.embeds for f in e.fields]
    )
    stored = await CoachPlan.get(member_id=member.id)
    assert stored.week == 5 and stored.active and stored.unique_before == 0
    items = stored.items["items"]
    assert items and all(it["day"] >= "2027-02-03" for it in items)
    assert "**0/" in text and "Wed 3 Feb" in text
    first = items[0]["key"]

    shown = await alice.slash(channel, "next")
    assert "🗓️ **Your catch-up plan for today**" in shown.response.content
    asked = await alice.click(shown.response, label=f"✅ Solved #{first}")
    await alice.submit_modal(asked, {"minutes": "20"})

    again = await alice.slash(channel, "plan")
    body = "\n".join(f.value for e in again.response.embeds for f in e.fields)
    assert f"✅ Block-B: #{first}" in body or f"✅ Block-A: #{first}" in body
    assert f"**1/{len(items)}** done" in (again.response.embeds[0].description or "")
    assert await CoachPlan.filter(member_id=member.id).count() == 1  # shown, not rebuilt


async def test_a_member_behind_plans_follows_and_the_recap_shows_the_gap_shrinking(
    room: Any, clock: Any, curriculum: Any
) -> None:
    """Done when: /plan gives a doable week, /next walks through it, the recap shows it."""
    guild, channel, alice, member = room
    member.display_name = "alice"
    await member.save()
    await alice.slash(channel, "plan")
    stored = await CoachPlan.get(member_id=member.id)
    planned = len(stored.items["items"])
    gap = stored.pace_target - stored.unique_before
    assert (gap, stored.pace_target) == (24, 24)

    for _ in range(3):  # three problems of the plan, each from the top of /next
        shown = await alice.slash(channel, "next")
        (solved,) = [label for label in _labels(shown.response) if label.startswith("✅")]
        asked = await alice.click(shown.response, label=solved)
        await alice.submit_modal(asked, {"minutes": "20"})

    clock.set(datetime(2027, 2, 7, 19, 0, tzinfo=UTC))  # Sunday 20:00 in Berlin: the recap
    composed = await PostComposer(curriculum).recap(await Cohort.get(), 5, clock())
    text = "\n".join(f.value for m in composed.messages for e in m.embeds for f in e.fields)
    assert (
        f"🗓️ Catch-up plans: 1 member, 3 of {planned} planned problems done; "
        f"their gap to the roadmap {gap} → {gap - 3}"
    ) in text
    assert (
        "**alice** · weakest " in text and f"plan 3/{planned} done · gap {gap} → {gap - 3}" in text
    )


def test_the_buttons_fit_discords_limits() -> None:
    from bot.render.fit import OutMessage, violations
    from bot.ui.coach import next_view

    longest = next_view(2**64 - 1, 999, ("a" * 40, "unguided"), True)
    assert longest is not None and len(longest.children) == 2
    assert violations(OutMessage(content="x", view=longest)) == []
    # a key too long for the custom id gets no Solved button (Skip stays)
    view = next_view(1, 0, ("a" * 41, "unguided"), True)
    assert view is not None and [c.item.label for c in view.children] == ["⏭ Skip"]  # type: ignore[attr-defined]
    assert next_view(1, 0, None, False) is None


def test_the_hint_names_only_the_buttons_shown(curriculum: Any) -> None:
    from zoneinfo import ZoneInfo

    from bot.core.coach import Action, ActionKind
    from bot.render.coach import next_text

    now, zone = datetime(2027, 2, 3, 18, tzinfo=UTC), ZoneInfo("Europe/Berlin")
    actions = [Action(ActionKind.ROADMAP, "This week's roadmap", "2 open", problems=("217",))]

    def hint(top: str | None, more: bool) -> str:
        text = next_text(actions, curriculum, now=now, zone=zone, week=5, top=top, more=more)
        last = text.splitlines()[-1]
        return last if last.startswith("-# ") else ""

    assert hint("217", True) == (
        "-# **Solved it** logs #217 Contains Duplicate (asks the minutes) · "
        "**Skip** shows the next suggestion"
    )
    assert hint("217", False) == "-# **Solved it** logs #217 Contains Duplicate (asks the minutes)"
    assert hint(None, True) == "-# **Skip** shows the next suggestion"
    assert hint(None, False) == ""
