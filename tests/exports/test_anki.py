"""The .apkg deck: a zip with an Anki SQLite collection, stable ids, escaped fields."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import genanki

from bot.exports.anki import MODEL_ID, anki_deck, deck_id, note_guid
from bot.exports.data import EntryRow
from tests.exports import GUILD_ID, USER_ID, sample_entries, sample_export


def _collection(data: bytes, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        assert json.loads(archive.read("media")) == {}
        path = tmp_path / f"collection-{len(list(tmp_path.iterdir()))}.anki2"
        path.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(path)


def _notes(conn: sqlite3.Connection) -> list[tuple[str, list[str], str, int]]:
    rows = conn.execute("SELECT guid, flds, tags, mid FROM notes ORDER BY id").fetchall()
    return [(guid, flds.split("\x1f"), tags.strip(), mid) for guid, flds, tags, mid in rows]


def test_deck_has_oops_and_key_insight_notes(tmp_path: Path) -> None:
    conn = _collection(anki_deck(sample_export()), tmp_path)
    notes = _notes(conn)
    assert [n[1] for n in notes] == [
        [
            '<div class="problem">LC 1 · Two Sum</div>Used a | b as the key',
            "Escape | pipes<br>and keep &lt;tags&gt; &amp; text",
        ],
        ["Why is dict lookup O(1) &lt;average&gt;?", "Hashing &amp; buckets"],
        ["Forgot the empty input", "(no lesson written yet)"],
    ]
    assert [n[0] for n in notes] == [note_guid(GUILD_ID, USER_ID, i) for i in (4, 7, 8)]
    assert notes[0][0] == genanki.guid_for("studycoach", GUILD_ID, USER_ID, 4)
    assert notes[0][2].split() == ["studycoach", "oops", "arrays-hashing", "week-02"]
    assert notes[1][2].split()[:2] == ["studycoach", "key-insight"]
    assert {n[3] for n in notes} == {MODEL_ID}
    assert conn.execute("SELECT count(*) FROM cards").fetchone() == (3,)
    (decks,) = conn.execute("SELECT decks FROM col").fetchone()
    assert str(deck_id(GUILD_ID, USER_ID)) in json.loads(decks)


def test_ids_are_stable_across_exports(tmp_path: Path) -> None:
    first = _notes(_collection(anki_deck(sample_export()), tmp_path))
    later = sample_export(
        (
            *sample_entries(),
            EntryRow(
                20,
                "card",
                date(2027, 4, 1),
                datetime(2027, 4, 1, 9, tzinfo=UTC),
                notes="Two pointers need sorted input",
                lesson="Or a monotone property",
            ),
        )
    )
    second = _notes(_collection(anki_deck(replace(later, display_name="Renamed")), tmp_path))
    assert [n[0] for n in second[:3]] == [n[0] for n in first]
    assert second[3][0] == note_guid(GUILD_ID, USER_ID, 20)
    assert deck_id(GUILD_ID, USER_ID) == deck_id(GUILD_ID, USER_ID)
    assert deck_id(GUILD_ID, USER_ID) != deck_id(GUILD_ID, USER_ID + 1)
    assert 1 << 30 <= deck_id(GUILD_ID, USER_ID) < 1 << 31


def test_empty_deck_is_still_a_valid_package(tmp_path: Path) -> None:
    conn = _collection(anki_deck(sample_export(())), tmp_path)
    assert _notes(conn) == []
