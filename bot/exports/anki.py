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
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

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


def _deck(export: MemberExport) -> genanki.Deck:
    name = f"StudyCoach — {export.display_name} — Oops & Key Insights"
    return genanki.Deck(deck_id(export.guild_id, export.user_id), name)


def _note(model: genanki.Model, export: MemberExport, entry: EntryRow) -> genanki.Note | None:
    pair = card_fields(entry)
    if pair is None:
        return None
    return genanki.Note(
        model=model,
        fields=list(pair),
        guid=note_guid(export.guild_id, export.user_id, entry.id),
        tags=_tags(entry),
    )


class AnkiWriter:
    """Writes the ``.apkg`` as entries arrive: notes go straight into the collection file.

    Written like ``genanki.Package.write_to_file`` but inside ``workdir`` (genanki leaves
    its temporary database behind), with the export's ``generated_at`` as the timestamp
    instead of the wall clock, and without holding the notes in memory. Call :meth:`rows`
    with the entries (other kinds are skipped), then :meth:`finish` with the stream the
    package is written to. The result is a zip with ``collection.anki2`` and an empty
    ``media`` map.
    """

    def __init__(self, export: MemberExport, workdir: Path) -> None:
        self.export = export
        self.timestamp = export.generated_at.timestamp()
        self.model = _model()
        self.path = workdir / "collection.anki2"
        self.path.unlink(missing_ok=True)
        self._ids = itertools.count(int(self.timestamp * 1000))
        self._conn = sqlite3.connect(self.path, check_same_thread=False)  # batches: threads
        deck = _deck(export)
        deck.add_model(self.model)
        self.deck_id = deck.deck_id
        self._cursor = self._conn.cursor()
        genanki.Package(deck).write_to_db(self._cursor, self.timestamp, self._ids)
        self.notes = 0

    def rows(self, entries: Iterable[EntryRow]) -> None:
        for entry in entries:
            note = _note(self.model, self.export, entry)
            if note is not None:
                note.write_to_db(self._cursor, self.timestamp, self.deck_id, self._ids)
                self.notes += 1

    def finish(self, out: BinaryIO) -> None:
        try:
            self._conn.commit()
        finally:
            self._conn.close()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(self.path, "collection.anki2")
            archive.writestr("media", "{}")
        self.path.unlink()

    def close(self) -> None:
        """Give up (an error elsewhere): close the collection without writing a package."""
        self._conn.close()
        self.path.unlink(missing_ok=True)


def anki_deck(export: MemberExport) -> bytes:
    """The ``.apkg`` bytes of an in-memory export (see :class:`AnkiWriter`)."""
    with tempfile.TemporaryDirectory(prefix="studycoach-anki-") as tmp:
        writer = AnkiWriter(export, Path(tmp))
        writer.rows(export.entries_of("oops", "card"))
        buffer = io.BytesIO()
        writer.finish(buffer)
    return buffer.getvalue()
