"""Markdown building blocks for user text: escaping, and list items of several lines.

User text is escaped so it cannot open headings, lists, links, HTML or break a GFM table;
its inline code spans (`like this`) stay code. A text of several lines stays one list
item, its lines joined by CommonMark hard line breaks. Used by the Learning Ledger
(:mod:`bot.exports.markdown`) and the demo's Markdown report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_INLINE_SPECIAL = re.compile(r"([\\*_\[\]<>|~])")
# Block markers at a line start: heading, quote, list item, setext underline, ordered item.
_LINE_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s|$)|[-=]+\s*$)")
_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")
_BACKTICKS = re.compile(r"`+")


def _code_spans(text: str) -> list[tuple[bool, str]]:
    """``text`` cut into (is a code span, piece), pairing backtick runs as CommonMark does."""
    out: list[tuple[bool, str]] = []
    pos = 0
    runs = list(_BACKTICKS.finditer(text))
    i = 0
    while i < len(runs):
        opening = runs[i]
        closer = next(
            (j for j in range(i + 1, len(runs)) if len(runs[j].group()) == len(opening.group())),
            None,
        )
        if closer is None:  # an unmatched run is literal text (and needs no escape)
            i += 1
            continue
        if opening.start() > pos:
            out.append((False, text[pos : opening.start()]))
        out.append((True, text[opening.start() : runs[closer].end()]))
        pos = runs[closer].end()
        i = closer + 1
    if pos < len(text):
        out.append((False, text[pos:]))
    return out


def escape_inline(text: str) -> str:
    """Escape what Markdown would interpret inside a line (pipes included); code spans stay
    code, their content untouched (escapes would show literally inside them)."""
    parts = []
    for code, piece in _code_spans(text):
        parts.append(piece.replace("|", "\\|") if code else _INLINE_SPECIAL.sub(r"\\\1", piece))
    return "".join(parts)


def escape_lines(text: str) -> list[str]:
    """Escaped lines of a (possibly multi-line) user text, block markers neutralised."""
    out = []
    for line in text.strip().splitlines():
        escaped = escape_inline(line.strip())
        escaped = _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped, count=1)
        out.append(_ORDERED.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped, count=1))
    return [line for line in out if line] or [""]


def escape_cell(text: str | None) -> str:
    """A table cell: inline escaping, line breaks as ``<br>``, empty as an em dash."""
    if text is None or not text.strip():
        return "—"
    return "<br>".join(escape_inline(line.strip()) for line in text.strip().splitlines())


def list_item(prefix: str, lines: Sequence[str], indent: str = "") -> list[str]:
    """One list item; further lines of the same text follow after a hard line break."""
    first, *rest = lines
    out = [f"{indent}- {prefix}{first}"]
    for line in rest:
        out[-1] += "\\"  # CommonMark hard line break: the next line stays in this item
        out.append(f"{indent}  {line}")
    return out


def user_item(prefix: str, text: str, indent: str = "") -> list[str]:
    """One list item of a user text, escaped."""
    return list_item(prefix, escape_lines(text), indent)
