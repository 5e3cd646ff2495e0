"""The member's Oops List and Key Insight cards as an Anki deck (``.apkg``, via genanki).

* Oops entries: front = problem (if any) + what went wrong, back = the lesson.
* ``card`` entries: front = the entry's notes, back = its lesson.

Ids are stable so importing a newer export updates the notes instead of duplicating them:
the model id is a constant (never change it or its fields), the deck id is derived from
the guild and user, and each note's GUID from ``guid_for("studycoach", guild, user, entry)``.
Field text is HTML-escaped; line breaks become ``<br>``.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import genanki

from bot.exports.data import EntryRow, MemberExport

MODEL_ID = 1_650_318_407
MODEL_NAME = "StudyCoach Front/Back"
NO_LESSON = "(no lesson written yet)"
_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black;
  background-color: white; }
.problem { color: #666; font-size: 16px; }"""


def _model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Back}}',
            }
        ],
        css=_CSS,
    )


def deck_id(guild_id: int, user_id: int) -> int:
    """A stable deck id in genanki's recommended range [2**30, 2**31)."""
    digest = hashlib.sha256(f"studycoach:{guild_id}:{user_id}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def note_guid(guild_id: int, user_id: int, entry_id: int) -> str:
    return str(genanki.guid_for("studycoach", guild_id, user_id, entry_id))


def field_html(text: str) -> str:
    """User text as safe HTML: escaped, line breaks kept."""
    return "<br>".join(html.escape(line) for line in text.strip().splitlines())


def _tag(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_-]+", "-", text.strip()).strip("-").lower()


def card_fields(entry: EntryRow) -> tuple[str, str] | None:
    """(front, back) HTML of an ``oops`` or ``card`` entry, or None if it makes no card."""
    back = field_html(entry.lesson or "") or html.escape(NO_LESSON)
    if entry.kind == "oops":
        front = field_html(entry.notes or "")
        if entry.problem_label:
            problem = f'<div class="problem">{html.escape(entry.problem_label)}</div>'
            front = problem + front
        return (front, back) if front else None
    if entry.kind == "card":
        front = field_html(entry.notes or "")
        return (front, back) if front else None
    return None


def _tags(entry: EntryRow) -> list[str]:
    tags = ["studycoach", "oops" if entry.kind == "oops" else "key-insight"]
    if entry.pattern and _tag(entry.pattern):
        tags.append(_tag(entry.pattern))
    if entry.week is not None:
        tags.append(f"week-{entry.week:02d}")
    return tags


def build_deck(export: MemberExport) -> genanki.Deck:
    """The genanki deck (exposed for tests and callers that want more than bytes)."""
    name = f"StudyCoach — {export.display_name} — Oops & Key Insights"
    deck = genanki.Deck(deck_id(export.guild_id, export.user_id), name)
    model = _model()
    for entry in export.entries_of("oops", "card"):
        pair = card_fields(entry)
        if pair is None:
            continue
        deck.add_note(
            genanki.Note(
                model=model,
                fields=list(pair),
                guid=note_guid(export.guild_id, export.user_id, entry.id),
                tags=_tags(entry),
            )
        )
    return deck


def anki_deck(export: MemberExport) -> bytes:
    """The ``.apkg`` bytes (a zip with ``collection.anki2`` and an empty ``media`` map).

    Written like ``genanki.Package.write_to_file`` but inside a temporary directory that is
    removed afterwards (genanki leaves its temporary database behind), with the export's
    ``generated_at`` as the timestamp instead of the wall clock.
    """
    timestamp = export.generated_at.timestamp()
    package = genanki.Package(build_deck(export))
    with tempfile.TemporaryDirectory(prefix="studycoach-anki-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(db_path, "collection.anki2")
            archive.writestr("media", "{}")
    return buffer.getvalue()
