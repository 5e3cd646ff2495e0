"""A weekly recap as posted in Discord, reshaped to sit under a heading of the ledger.

The recap's own title is dropped, its headings are shifted so levels never skip, each
line of a multi-line paragraph (one line each in Discord) stays its own line, code a
Discord renderer escaped is code again, and fenced code is kept as is. See
:func:`recap_lines`; the Learning Ledger (:mod:`bot.exports.markdown`) is its user.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADING = re.compile(r"^(#{1,6})(\s+|$)")
_LIST_ITEM = re.compile(r"^\s*(?:[-+*]|\d{1,9}[.)])(?:\s|$)")
_ESCAPED_CODE = re.compile(r"\\`((?:[^`\\\n]|\\[^`])+?)\\`")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _is_block(line: str) -> bool:
    """A line that is more than paragraph text: heading, list item, table row, quote…"""
    s = line.lstrip()
    return bool(_HEADING.match(s) or _LIST_ITEM.match(s) or s.startswith(("|", ">", "```", "~~~")))


def recap_lines(text: str, level: int = 4) -> list[str]:
    """A recap as posted, made to sit under a ``### Week N`` heading of the ledger.

    Its own title (a first heading) is dropped: the ledger's heading names the week. Other
    headings start at ``level`` and never skip a level. Each line of a paragraph is its own
    line in Discord, so a paragraph of several lines becomes its first line and a list of
    the others (a milestone's verdict, then its criteria). Fenced code is kept as is.
    """
    lines = text.strip().splitlines()
    if lines and _HEADING.match(lines[0]):
        lines = lines[1:]
    fenced = _fenced(lines)
    depths = sorted(
        {
            len(m.group(1))
            for line, inside in zip(lines, fenced, strict=True)
            if not inside and (m := _HEADING.match(line))
        }
    )
    remap = {d: min(level + i, 6) for i, d in enumerate(depths)}
    out: list[str] = []
    paragraph = 0  # plain lines in the current paragraph
    for raw, inside in zip(lines, fenced, strict=True):
        if inside:
            out.append(raw)
            paragraph = 0
            continue
        line = _unescape_code(raw)
        stripped = line.lstrip()
        if not stripped:
            paragraph = 0
            out.append("")
            continue
        heading = _HEADING.match(line)
        if heading:
            if out and out[-1]:
                out.append("")
            out += ["#" * remap[len(heading.group(1))] + line[len(heading.group(1)) :], ""]
            paragraph = 0
            continue
        if _is_block(line):
            paragraph = 0
            out.append(line)
            continue
        paragraph += 1
        if paragraph == 1:
            if out and out[-1] and _LIST_ITEM.match(out[-1]):
                out.append("")  # a paragraph after a list: not a lazy continuation
            out.append(line)
        else:
            if paragraph == 2:
                out.append("")
            out.append(f"- {stripped}")
    while out and not out[-1]:
        out.pop()
    return _squeeze(out)


def _unescape_code(line: str) -> str:
    """Code that a Discord renderer escaped (``\\`a\\_b\\```) made code again (```a_b```):
    an escaped backtick shows literally, and escapes inside code would too."""
    return _ESCAPED_CODE.sub(lambda m: "`" + _ESCAPE.sub(r"\1", m.group(1)) + "`", line)


def _fenced(lines: Sequence[str]) -> list[bool]:
    """For each line: is it part of a fenced code block (the fences included)?"""
    out: list[bool] = []
    fence: str | None = None
    for line in lines:
        stripped = line.lstrip()
        if fence is None and stripped[:3] in ("```", "~~~"):
            fence = stripped[:3]
            out.append(True)
        elif fence is not None:
            out.append(True)
            if stripped.startswith(fence):
                fence = None
        else:
            out.append(False)
    return out


def _squeeze(lines: list[str]) -> list[str]:
    """No two blank lines in a row, none at the start."""
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return out
