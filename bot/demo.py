"""``coach demo``: try the bot offline — no Discord, no token.

Builds a throw-away SQLite database in a temporary directory, fills it with a synthetic
study group of four (:mod:`bot.demo_data`), then writes what the bot would show:

* ``day-<date>-posts.md`` — every post of a sample day (Monday of the last simulated week);
* ``week-NN-recap.md`` + ``week-NN-recap.png`` — the weekly recap post and its chart;
* ``milestones.md`` — each member's milestone checks (``/milestones``);
* ``export-<name>/`` — one member's full ``/export`` (ledger, CSV, JSON, Anki, calendar);
* ``progress.html`` — the cohort's progress page (``/coach web``) as one static file;
* ``index.md`` — a list of the above.

The simulated "now" is the Sunday evening of the last week, after its recap; nothing reads
the wall clock, so the same ``--seed`` writes the same files, and the first weeks of a
longer demo are a shorter demo's weeks. Files an earlier demo wrote into the output folder
are removed first (only those: :func:`clear_old_output`), so a shorter run leaves no
stale weeks behind. The command itself (its options checked, what was written listed) is
:func:`bot.cli.cmd_demo`.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import discord

from bot.core.calendar import CohortCalendar, InProgram, local_to_utc
from bot.core.posts import SLOT_LABELS, plan_day
from bot.core.schedule import PostTimes
from bot.db import close_db, init_db
from bot.demo_data import COHORT_ZONE, GUILD_ID, START
from bot.demo_writer import GroupWriter, Simulation
from bot.exports.markdown_text import escape_inline
from bot.render.milestones import milestone_lines
from bot.render.text import render_post
from bot.scheduling.compose import PostComposer
from bot.services.cohorts import cohort_calendar, post_times
from bot.services.export import member_export
from bot.services.export_files import FILE_NAMES, Part, write_member_files
from bot.services.standings import member_milestones
from bot.web.cohort_view import cohort_page
from bot.web.data import cohort_numbers
from bot.web.render import render_cohort
from curriculum.loader import Curriculum

_LIST_ITEM = re.compile(r"^(\d+\.|[-*+])\s")
INDEX_TITLE = "# StudyCoach demo"
MILESTONES_TITLE = "# Milestones"
_OLD_FILE = re.compile(
    r"day-\d{4}-\d{2}-\d{2}-posts\.md|week-\d{2}-recap\.(?:md|png)|progress\.html"
)


def demo_now(calendar: CohortCalendar, weeks: int) -> datetime:
    """Sunday 21:00 (cohort time) of the last simulated week: just after its recap."""
    return local_to_utc(calendar.date_of(weeks, "sun"), time(21, 0), calendar.zone)


def embeds_markdown(messages: Sequence[Sequence[discord.Embed]]) -> str:
    """Embeds as Markdown: title → ``##``, field → ``###`` with its lines as list items."""
    out: list[str] = []
    for embeds in messages:
        for embed in embeds:
            if embed.title:
                out += [f"## {embed.title}", ""]
            if embed.description:
                out += [embed.description, ""]
            for fld in embed.fields:
                out += [f"### {fld.name}", ""]
                for line in str(fld.value).splitlines():
                    if line.strip():
                        out.append(line if _LIST_ITEM.match(line) else f"- {line}")
                out.append("")
            if embed.footer.text:
                out += [f"_{embed.footer.text}_", ""]
    return "\n".join(out).rstrip() + "\n"


def day_posts_markdown(
    curriculum: Curriculum, calendar: CohortCalendar, cohort_name: str, day: date, times: PostTimes
) -> str:
    """Each of the day's posts (``plan_day``) as ``render_post`` text in a fenced block."""
    pos = calendar.position(day)
    if not isinstance(pos, InProgram):
        raise ValueError(f"{day} is not a program day")
    out = [
        f"# {cohort_name} · {day:%A %Y-%m-%d} · week {pos.week}",
        "",
        f"_Every post the cohort's channel gets that day ({calendar.zone.key})._",
        "",
    ]
    for post in plan_day(pos, curriculum):
        at = f"{times.local_time(post.slot, post.weekday):%H:%M}"
        out += [f"## {SLOT_LABELS[post.slot]} · {at}", "", "```text", render_post(post), "```", ""]
    return "\n".join(out).rstrip() + "\n"


async def milestones_markdown(
    sims: Sequence[Simulation], curriculum: Curriculum, now: datetime
) -> str:
    out = [
        MILESTONES_TITLE,
        "",
        "_Judged when their week's recap goes out; the next one on today's numbers._",
        "",
    ]
    for sim in sims:
        out += [f"## {escape_inline(sim.persona.name)}", ""]
        views = await member_milestones(sim.member, sim.ctx.cohort, curriculum, now)
        for view in views:
            due = view.due
            head, *criteria = milestone_lines(view.result, due=due)
            head = head.replace("**", "")  # a heading is bold already
            out += [f"### {head}", "", *(f"- {c}" for c in criteria), ""]
        if not views:
            out += ["_No milestones yet._", ""]
    return "\n".join(out).rstrip() + "\n"


def _first_line(path: Path) -> str:
    try:
        with path.open(encoding="utf-8") as f:
            return f.readline().rstrip("\n")
    except (OSError, UnicodeDecodeError):
        return ""


def clear_old_output(out: Path) -> list[Path]:
    """Remove what an earlier demo wrote into ``out`` — and nothing else.

    Only names the demo writes: the day posts, weekly recaps and charts, an
    ``export-*/`` folder's export files (the folder too once empty), and ``index.md`` /
    ``milestones.md`` when they start with the demo's own heading.
    """
    removed: list[Path] = []
    if not out.is_dir():
        return removed
    for path in sorted(out.iterdir()):
        if (
            (path.is_file() and _OLD_FILE.fullmatch(path.name))
            or (path.is_file() and path.name == "index.md" and _first_line(path) == INDEX_TITLE)
            or (path.name == "milestones.md" and _first_line(path) == MILESTONES_TITLE)
        ):
            removed.append(path)
        elif path.is_dir() and path.name.startswith("export-"):
            removed += [path / n for n in FILE_NAMES.values() if (path / n).is_file()]
    for path in removed:
        path.unlink()
    for folder in {p.parent for p in removed if p.parent != out}:
        if not any(folder.iterdir()):
            folder.rmdir()
    return removed


def _write(out: Path, name: str, data: bytes | str, written: list[Path]) -> None:
    path = out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    written.append(path)


async def build_demo(curriculum: Curriculum, weeks: int, out: Path, seed: int) -> list[Path]:
    """Fill the (already initialised) database and write the files; returns their paths."""
    writer = GroupWriter(curriculum, seed)
    created = local_to_utc(START - timedelta(days=7), time(9), ZoneInfo(COHORT_ZONE))
    cohort, sims = await writer.create(created)
    calendar = await cohort_calendar(cohort, curriculum)
    now = demo_now(calendar, weeks)
    await writer.write(cohort, sims, now)
    times = post_times(cohort)
    written: list[Path] = []

    sample = calendar.date_of(weeks, "mon")
    posts = day_posts_markdown(curriculum, calendar, cohort.name, sample, times)
    _write(out, f"day-{sample.isoformat()}-posts.md", posts, written)

    composed = await PostComposer(curriculum).recap(cohort, weeks, now)
    recap_embeds = [m.embeds for m in composed.messages]
    _write(out, f"week-{weeks:02d}-recap.md", embeds_markdown(recap_embeds), written)
    for f in composed.files:
        _write(out, f.name, f.data, written)

    milestones = await milestones_markdown(sims, curriculum, now)
    _write(out, "milestones.md", milestones, written)

    page = cohort_page(await cohort_numbers(cohort, curriculum, now), curriculum, now)
    _write(out, "progress.html", render_cohort(page, css_href=None), written)

    star = sims[0]
    bundle = await member_export(GUILD_ID, star.member, cohort, curriculum, now)
    folder = out / f"export-{star.persona.name.lower()}"
    folder.mkdir(parents=True, exist_ok=True)
    files = await write_member_files(bundle, curriculum, Part.ALL, folder)
    written += [f.path for f in files]

    index = [INDEX_TITLE, "", f"Week {weeks} of {cohort.name}, seed {seed}.", ""]
    index += [
        f"- [{p.relative_to(out).as_posix()}]({p.relative_to(out).as_posix()})" for p in written
    ]
    _write(out, "index.md", "\n".join(index) + "\n", written)
    return written


async def run_demo(curriculum: Curriculum, weeks: int, out: Path, seed: int) -> list[Path]:
    """A throw-away SQLite database in a temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="studycoach-demo-") as tmp:
        await init_db(f"sqlite://{Path(tmp) / 'demo.sqlite3'}")
        try:
            return await build_demo(curriculum, weeks, out, seed)
        finally:
            await close_db()
