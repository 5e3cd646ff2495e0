"""Splitting text for Discord: at line breaks, then between words, never inside a mention,
a link, inline code, a short markdown span or a grapheme."""

from __future__ import annotations

import re
import unicodedata

from bot.render.limits import CONTENT_MAX, size

BLANK = "\u200b"  # an invisible name or text where Discord needs something

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
