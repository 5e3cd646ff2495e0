"""What a Discord message may hold, and a check of every limit.

Discord rejects a request whose message breaks any of these (``400 Invalid Form Body``).
:mod:`bot.render.fit` builds messages within them by construction; :func:`violations` is the
check that tests, and the senders before every request, apply. Sizes are counted in UTF-16 code
units, never less than the code points Discord counts.
"""

from __future__ import annotations

import io
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
SELECT_OPTIONS_MAX = 25
BUTTON_LABEL_MAX = 80
CUSTOM_ID_MAX = 100
ROWS_MAX = 5


def size(text: str) -> int:
    """Discord-safe length: UTF-16 code units (≥ the code points Discord counts)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes


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
        return [discord.File(io.BytesIO(f.data), f.name) for f in self.files]


def embed_size(e: discord.Embed) -> int:
    total = size(e.title or "") + size(e.description or "")
    total += sum(size(f.name or "") + size(f.value or "") for f in e.fields)
    total += size(e.footer.text or "") + size(e.author.name or "")
    return total


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
        total += embed_size(e)
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
