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

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
FOOTER_MAX = 2048
AUTHOR_MAX = 256
MESSAGE_EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
FILES_PER_MESSAGE = 10
UPLOAD_LIMIT = 10 * 1024 * 1024  # bytes per request for a server without boosts
MAX_MESSAGES = 6  # a safety bound for one report; renderers bound their own sections first

COLOUR = discord.Colour.from_rgb(88, 101, 242)
BLANK = "\u200b"  # an invisible field name for continuation fields
CONT = " (cont.)"

# Spans a split must not cut through: mentions, channels, roles, timestamps, custom emoji,
# masked links, inline code, and short bold / underline / strike / spoiler spans.
_PROTECTED = re.compile(
    r"<(?:@[!&]?|#|t:|a?:)[^<>\s]{1,80}>"
    r"|\[[^\[\]\n]{0,256}\]\([^()\s]{1,512}\)"
    r"|`[^`\n]{1,200}`"
    r"|\*\*[^*\n]{1,200}\*\*"
    r"|__[^_\n]{1,200}__"
    r"|~~[^~\n]{1,200}~~"
    r"|\|\|[^|\n]{1,400}\|\|"
)
_JOINERS = {"\u200d", "\ufe0f", "\ufe0e", "\u20e3"}


def size(text: str) -> int:
    """Discord-safe length: UTF-16 code units (≥ the code points Discord counts)."""
    return len(text.encode("utf-16-le")) // 2


def _continues_grapheme(ch: str) -> bool:
    """Whether ``ch`` belongs to the grapheme before it (never start a piece with it)."""
    code = ord(ch)
    return (
        ch in _JOINERS
        or unicodedata.combining(ch) != 0
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tag sequences (flags)
        or 0x1F1E6 <= code <= 0x1F1FF  # regional indicators: keep pairs together (approx.)
    )


def _prefix_within(text: str, limit: int) -> int:
    """The longest prefix length of ``text`` whose size is at most ``limit`` (≥ 1)."""
    total = 0
    for i, ch in enumerate(text):
        total += 2 if ord(ch) > 0xFFFF else 1
        if total > limit:
            return max(i, 1)
    return len(text)


def _hard_cut(text: str, limit: int) -> int:
    """A cut position ≤ limit that does not split a grapheme (falls back to the limit)."""
    end = _prefix_within(text, limit)
    cut = end
    while 0 < cut < len(text) and (_continues_grapheme(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1
    return cut if cut > 0 else end


def split_line(line: str, limit: int) -> list[str]:
    """Split one line into pieces of at most ``limit``, between words, keeping tokens whole."""
    pieces: list[str] = []
    while size(line) > limit:
        window = _prefix_within(line, limit)
        spans = [(m.start(), m.end()) for m in _PROTECTED.finditer(line)]
        inside = [
            (a, b) for a, b in spans if b - a <= limit
        ]  # a span longer than a piece can't be kept whole anyway

        def protected(pos: int, spans: list[tuple[int, int]] = inside) -> bool:
            return any(a < pos < b for a, b in spans)

        cut = -1
        for pos in range(window, 0, -1):
            if pos < len(line) and line[pos] == " " and not protected(pos):
                cut = pos
                break
        if cut <= 0:
            starts = [a for a, _ in inside if 0 < a <= window]
            cut = max(starts) if starts else _hard_cut(line, limit)
        head, line = line[:cut].rstrip(" "), line[cut:].lstrip(" ")
        if head:
            pieces.append(head)
    if line:
        pieces.append(line)
    return pieces


def split_text(text: str, limit: int) -> list[str]:
    """Split at line breaks, keeping lines whole where they fit; each piece ≤ ``limit``."""
    pieces: list[str] = []
    current = ""
    for raw in text.split("\n"):
        for line in split_line(raw, limit) if size(raw) > limit else [raw]:
            candidate = f"{current}\n{line}" if current else line
            if current and size(candidate) > limit:
                pieces.append(current)
                current = line
            else:
                current = candidate
    if current.strip():
        pieces.append(current)
    return pieces or [""]


def shorten(text: str, limit: int) -> str:
    """At most ``limit``: unchanged when it fits, else one line cut between words + "…"."""
    if size(text) <= limit:
        return text
    text = " ".join(text.split("\n"))
    head = split_line(text, limit - 1)[0]
    return head.rstrip(" ,;:·—-") + "…"


def fit_text(text: str, limit: int = CONTENT_MAX) -> list[str]:
    """Plain text as one or more message contents."""
    return [p for p in split_text(text, limit) if p.strip()] or [BLANK]


# -- reports ------------------------------------------------------------------------------
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
class Attachment:
    name: str
    data: bytes


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
class OutMessage:
    """One message, ready to send: within every limit (see :func:`violations`)."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)
    view: discord.ui.View | None = None

    @property
    def titles(self) -> list[str | None]:
        return [e.title for e in self.embeds]

    def discord_files(self) -> list[discord.File]:
        import io

        return [discord.File(io.BytesIO(f.data), f.name) for f in self.files]


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


def _embed_size(e: discord.Embed) -> int:
    total = size(e.title or "") + size(e.description or "")
    total += sum(size(f.name or "") + size(f.value or "") for f in e.fields)
    total += size(e.footer.text or "") + size(e.author.name or "")
    return total


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
    message_size = sum(_embed_size(e) for e in kept[-1])
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


# -- checking -----------------------------------------------------------------------------
def violations(message: OutMessage, *, upload_limit: int = UPLOAD_LIMIT) -> list[str]:
    """Every Discord limit ``message`` breaks (empty when it is fine to send)."""
    out: list[str] = []
    content = message.content or ""
    if size(content) > CONTENT_MAX:
        out.append(f"content is {size(content)} > {CONTENT_MAX}")
    if not content.strip() and not message.embeds and not message.files:
        out.append("empty message")
    if len(message.embeds) > EMBEDS_PER_MESSAGE:
        out.append(f"{len(message.embeds)} embeds > {EMBEDS_PER_MESSAGE}")
    if message.view is not None:
        out += _view_violations(message.view)
    if len(message.files) > FILES_PER_MESSAGE:
        out.append(f"{len(message.files)} files > {FILES_PER_MESSAGE}")
    if sum(len(f.data) for f in message.files) > upload_limit:
        out.append("files over the upload limit")
    total = 0
    for i, e in enumerate(message.embeds):
        total += _embed_size(e)
        checks = [
            ("title", e.title or "", TITLE_MAX),
            ("description", e.description or "", DESCRIPTION_MAX),
            ("footer", e.footer.text or "", FOOTER_MAX),
            ("author", e.author.name or "", AUTHOR_MAX),
        ]
        for what, text, limit in checks:
            if size(text) > limit:
                out.append(f"embeds.{i}.{what} is {size(text)} > {limit}")
        if len(e.fields) > FIELDS_MAX:
            out.append(f"embeds.{i} has {len(e.fields)} fields > {FIELDS_MAX}")
        for j, f in enumerate(e.fields):
            if not (f.name or "").strip() or size(f.name or "") > FIELD_NAME_MAX:
                out.append(f"embeds.{i}.fields.{j}.name is empty or > {FIELD_NAME_MAX}")
            if not (f.value or "").strip() or size(f.value or "") > FIELD_VALUE_MAX:
                out.append(f"embeds.{i}.fields.{j}.value is empty or > {FIELD_VALUE_MAX}")
    if total > MESSAGE_EMBED_TOTAL:
        out.append(f"embeds total {total} > {MESSAGE_EMBED_TOTAL}")
    return out


SELECT_OPTIONS_MAX = 25
BUTTON_LABEL_MAX = 80
CUSTOM_ID_MAX = 100
ROWS_MAX = 5


def _view_violations(view: discord.ui.View) -> list[str]:
    out = []
    items = view.children
    if len(items) > ROWS_MAX * 5:
        out.append(f"{len(items)} components > {ROWS_MAX * 5}")
    for item in items:
        custom_id = getattr(item, "custom_id", None)
        if custom_id is not None and len(custom_id) > CUSTOM_ID_MAX:
            out.append(f"custom_id {custom_id[:20]}… is {len(custom_id)} > {CUSTOM_ID_MAX}")
        label = getattr(item, "label", None)
        if label is not None and len(label) > BUTTON_LABEL_MAX:
            out.append(f"label {label[:20]}… is {len(label)} > {BUTTON_LABEL_MAX}")
        options = getattr(item, "options", None)
        if options is not None and len(options) > SELECT_OPTIONS_MAX:
            out.append(f"select has {len(options)} options > {SELECT_OPTIONS_MAX}")
    return out


class DoesNotFit(ValueError):
    """A message would be rejected by Discord: a bug in a renderer, never sent."""


def ensure_fits(message: OutMessage) -> OutMessage:
    problems = violations(message)
    if problems:
        raise DoesNotFit("; ".join(problems))
    return message
