"""The one place that turns a rendered report into messages Discord accepts.

Every outgoing message (scheduled posts, recaps, replies, DMs) is built here, so each of
Discord's limits holds by construction:

* message content 2,000 characters; 10 embeds and 10 files per message, and the upload size
  limit per request;
* embed title 256, description 4,096, field name 256, field value 1,024, footer 2,048,
  author 256, 25 fields, and 6,000 characters over all embeds of one message.

Long sections are split at line breaks into more fields, embeds and messages; a line longer
than a field is split between words, never inside a mention, a link, inline code or a short
markdown span, and never inside a grapheme. A section with a line bound summarises its tail
("…and 37 more — `/recap` shows yours"). Sizes are counted in UTF-16 code units, which is
never less than the code points Discord counts, so emoji-heavy names cannot tip a message over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import discord

from bot.render.limits import (
    AUTHOR_MAX,
    BUTTON_LABEL_MAX,
    CONTENT_MAX,
    CUSTOM_ID_MAX,
    DESCRIPTION_MAX,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    FILES_PER_MESSAGE,
    FOOTER_MAX,
    MESSAGE_EMBED_TOTAL,
    ROWS_MAX,
    SELECT_OPTIONS_MAX,
    TITLE_MAX,
    UPLOAD_LIMIT,
    Attachment,
    DoesNotFit,
    OutMessage,
    embed_size,
    ensure_fits,
    size,
    violations,
)
from bot.render.split import BLANK, fit_text, shorten, split_line, split_text

__all__ = [  # the report model and the limits, from one import
    "AUTHOR_MAX",
    "BLANK",
    "BUTTON_LABEL_MAX",
    "CONTENT_MAX",
    "CUSTOM_ID_MAX",
    "DESCRIPTION_MAX",
    "EMBEDS_PER_MESSAGE",
    "FIELDS_MAX",
    "FIELD_NAME_MAX",
    "FIELD_VALUE_MAX",
    "FILES_PER_MESSAGE",
    "FOOTER_MAX",
    "MAX_MESSAGES",
    "MESSAGE_EMBED_TOTAL",
    "ROWS_MAX",
    "SELECT_OPTIONS_MAX",
    "TITLE_MAX",
    "UPLOAD_LIMIT",
    "Attachment",
    "DoesNotFit",
    "OutMessage",
    "Report",
    "Section",
    "ensure_fits",
    "fit",
    "fit_text",
    "shorten",
    "size",
    "split_line",
    "split_text",
    "text_messages",
    "violations",
]

MAX_MESSAGES = 6  # a safety bound for one report; renderers bound their own sections first
COLOUR = discord.Colour.from_rgb(88, 101, 242)
CONT = " (cont.)"


@dataclass(frozen=True)
class Section:
    """A titled list of lines; each line stays whole unless it alone exceeds a field.

    ``limit`` bounds how many lines are shown; the hidden rest is summarised with ``more``
    (``{n}`` is the hidden count), e.g. ``"…and {n} more — `/recap` shows yours"``.
    """

    name: str
    lines: Sequence[str]
    limit: int | None = None
    more: str = "…and {n} more"
    inline: bool = False

    def shown(self) -> list[str]:
        lines = [line for line in self.lines if line is not None]
        if self.limit is None or len(lines) <= self.limit:
            return lines
        hidden = len(lines) - self.limit
        return [*lines[: self.limit], self.more.format(n=hidden)]


@dataclass(frozen=True)
class Report:
    """Something the bot says: a title, sections, optional text before the embeds and files."""

    title: str
    sections: Sequence[Section] = ()
    description: str | None = None
    footer: str | None = None
    content: str | None = None  # message text (mentions go here; embeds never ping)
    files: Sequence[Attachment] = ()
    colour: discord.Colour = COLOUR
    max_messages: int = MAX_MESSAGES
    overflow: str = "…cut short to fit Discord"  # the last line when max_messages is hit
    view: discord.ui.View | None = None  # buttons/selects, under the last message


@dataclass
class _Field:
    name: str
    value: str
    inline: bool

    @property
    def cost(self) -> int:
        return size(self.name) + size(self.value)


def _fields(report: Report) -> list[_Field]:
    fields: list[_Field] = []
    for section in report.sections:
        name = shorten(section.name, FIELD_NAME_MAX - size(CONT)).strip() or BLANK
        body = "\n".join(section.shown()).strip("\n") or "—"
        for i, part in enumerate(split_text(body, FIELD_VALUE_MAX)):
            value = part if part.strip() else "—"
            fields.append(_Field(name if i == 0 else name + CONT, value, section.inline))
    return fields


def _pack(report: Report, fields: list[_Field]) -> list[list[discord.Embed]]:
    title = shorten(report.title, TITLE_MAX).strip() or BLANK
    cont_title = (shorten(report.title, TITLE_MAX - size(CONT)).strip() or BLANK) + CONT
    footer = shorten(report.footer, FOOTER_MAX) if report.footer else None
    reserve = size(footer or "")  # each message's last embed carries the footer
    descriptions = split_text(report.description, DESCRIPTION_MAX) if report.description else []
    messages: list[list[discord.Embed]] = []
    used = 0

    def new_message(first: bool) -> discord.Embed:
        nonlocal used
        embed = discord.Embed(title=title if first else cont_title, colour=report.colour)
        messages.append([embed])
        used = size(embed.title or "")
        return embed

    embed = new_message(True)
    for text in descriptions:
        if embed.description or used + size(text) + reserve > MESSAGE_EMBED_TOTAL:
            embed = new_message(False)
        embed.description = text
        used += size(text)
    for f in fields:
        if used + f.cost + reserve > MESSAGE_EMBED_TOTAL:
            embed = new_message(False)
        elif len(embed.fields) >= FIELDS_MAX:
            if len(messages[-1]) >= EMBEDS_PER_MESSAGE:
                embed = new_message(False)
            else:
                embed = discord.Embed(colour=report.colour)
                messages[-1].append(embed)
        embed.add_field(name=f.name, value=f.value, inline=f.inline)
        used += f.cost
    if footer:
        for msg in messages:
            msg[-1].set_footer(text=footer)
    return messages


def _bounded(report: Report, embeds: list[list[discord.Embed]]) -> list[list[discord.Embed]]:
    """At most ``report.max_messages`` messages: the last one ends with ``report.overflow``."""
    if len(embeds) <= report.max_messages:
        return embeds
    kept = embeds[: report.max_messages]
    last = kept[-1][-1]
    note = shorten(report.overflow, FIELD_VALUE_MAX)
    message_size = sum(embed_size(e) for e in kept[-1])
    while last.fields and (
        len(last.fields) >= FIELDS_MAX
        or message_size + size(BLANK) + size(note) > MESSAGE_EMBED_TOTAL
    ):
        removed = last.fields[-1]
        message_size -= size(removed.name or "") + size(removed.value or "")
        last.remove_field(len(last.fields) - 1)
    last.add_field(name=BLANK, value=note, inline=False)
    return kept


def _file_batches(files: Sequence[Attachment], limit: int) -> list[list[Attachment]]:
    batches: list[list[Attachment]] = []
    current: list[Attachment] = []
    total = 0
    for f in files:
        if len(f.data) > limit:
            raise ValueError(f"{f.name} is {len(f.data)} bytes, over the {limit}-byte upload limit")
        if current and (len(current) >= FILES_PER_MESSAGE or total + len(f.data) > limit):
            batches.append(current)
            current, total = [], 0
        current.append(f)
        total += len(f.data)
    if current:
        batches.append(current)
    return batches


def fit(report: Report, *, upload_limit: int = UPLOAD_LIMIT) -> list[OutMessage]:
    """The report as messages within every limit (content first, files on the first ones)."""
    contents = fit_text(report.content) if report.content else []
    embeds = _bounded(report, _pack(report, _fields(report)))
    batches = _file_batches(report.files, upload_limit)
    out: list[OutMessage] = []
    # Extra content pieces (rare: bounded renderers keep content short) go first, alone.
    for text in contents[:-1]:
        out.append(OutMessage(content=text))
    for i, group in enumerate(embeds):
        out.append(
            OutMessage(
                content=contents[-1] if contents and i == 0 else None,
                embeds=group,
                files=batches[i] if i < len(batches) else [],
            )
        )
    for extra in batches[len(embeds) :]:
        out.append(OutMessage(files=extra))
    if report.view is not None:
        out[-1].view = report.view
    return out


def text_messages(text: str) -> list[OutMessage]:
    """Plain text (a reply, a DM) as messages."""
    return [OutMessage(content=part) for part in fit_text(text)]
