"""Fitting files into Discord's limits: as they are, one zip, or zipped and split over
several messages, none of them over the per-request limit or ten files."""

from __future__ import annotations

import io
import random
import tempfile
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from bot.exports.bundle import ExportFile, ExportTooLarge, pack, split_file, zip_files


def _unzip(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return [(name, archive.read(name)) for name in archive.namelist()]


def _noise(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)  # incompressible


def _dir(parent: Path) -> Path:
    return Path(tempfile.mkdtemp(dir=parent))


def _files(tmp_path: Path, *items: tuple[str, bytes]) -> list[ExportFile]:
    out = []
    for name, data in items:
        path = _dir(tmp_path) / name
        path.write_bytes(data)
        out.append(ExportFile(name, path))
    return out


def _check_limits(messages: list[list[ExportFile]], limit: int, max_files: int = 10) -> None:
    for message in messages:
        assert 1 <= len(message) <= max_files
        assert sum(f.size for f in message) <= limit


def test_files_that_fit_go_as_they_are(tmp_path: Path) -> None:
    files = _files(tmp_path, ("ledger.md", b"# Ledger\n"), ("solves.csv", b"id\n1\n"))
    assert pack(files, tmp_path).messages == [files]
    assert pack(files, tmp_path).note is None
    assert pack([], tmp_path).messages == []
    exactly = _files(tmp_path, ("a", b"x" * 100))
    assert pack(exactly, tmp_path, limit=100).messages == [exactly]


def test_too_many_files_are_zipped(tmp_path: Path) -> None:
    files = _files(tmp_path, *((f"f{i}.txt", f"file {i}".encode()) for i in range(11)))
    packed = pack(files, tmp_path)
    assert [[f.name for f in m] for m in packed.messages] == [["export.zip"]]
    assert _unzip(packed.files[0].path.read_bytes()) == [
        (f"f{i}.txt", f"file {i}".encode()) for i in range(11)
    ]
    assert packed.note == (
        "Bundled into `export.zip` because 11 files are more than the 10 Discord takes per message."
    )


def test_too_big_files_are_zipped_when_the_zip_fits(tmp_path: Path) -> None:
    files = _files(tmp_path, ("ledger.md", b"a" * 6000), ("all.json", b"b" * 6000))
    packed = pack(files, tmp_path, limit=10_000, zip_name="ada-export.zip")
    assert [f.name for f in packed.files] == ["ada-export.zip"]
    _check_limits(packed.messages, 10_000)
    assert _unzip(packed.files[0].path.read_bytes()) == [
        ("ledger.md", b"a" * 6000),
        ("all.json", b"b" * 6000),
    ]
    assert packed.note is not None and "the files total 12 KB, over the 10 KB" in packed.note


def test_huge_files_are_zipped_alone_split_and_spread_over_messages(tmp_path: Path) -> None:
    big, small = _noise(25_000), b"small file\n"
    files = _files(tmp_path, ("deck.apkg", big), ("notes.md", small), ("b.csv", b"x" * 9000))
    packed = pack(files, tmp_path, limit=10_000, max_files=2)

    names = [[f.name for f in m] for m in packed.messages]
    assert names == [
        ["deck.apkg.zip.001"],
        ["deck.apkg.zip.002"],
        ["deck.apkg.zip.003", "notes.md"],
        ["b.csv"],
    ]
    _check_limits(packed.messages, 10_000, max_files=2)
    joined = b"".join(f.path.read_bytes() for f in packed.files if f.name.startswith("deck"))
    assert _unzip(joined) == [("deck.apkg", big)]
    assert packed.note is not None
    assert "`deck.apkg.zip` is split into 3 parts" in packed.note
    assert "cat deck.apkg.zip.* > deck.apkg.zip" in packed.note
    assert "copy /b deck.apkg.zip.* deck.apkg.zip" in packed.note
    assert packed.note.endswith("The files come in 4 messages.")
    assert packed.changed == ["deck.apkg"]


def test_more_messages_than_the_bound_are_refused(tmp_path: Path) -> None:
    files = _files(tmp_path, ("noise.bin", _noise(30_000)))
    with pytest.raises(ExportTooLarge) as raised:
        pack(files, tmp_path, limit=1000, max_messages=10)
    assert raised.value.messages > 10


def test_packing_is_deterministic(tmp_path: Path) -> None:
    files = _files(tmp_path, *((f"f{i}.bin", _noise(3000, seed=i)) for i in range(3)))
    files += _files(tmp_path, ("big.bin", _noise(9000)))  # zipped alone, then split
    first = pack(files, _dir(tmp_path), limit=4000)
    a = [f.path.read_bytes() for f in first.files]
    second = pack(files, _dir(tmp_path), limit=4000)
    assert [f.path.read_bytes() for f in second.files] == a
    assert [f.name for f in first.files] == [f.name for f in second.files]
    assert "big.bin.zip.003" in [f.name for f in first.files]


def test_duplicate_names_are_numbered_in_a_zip(tmp_path: Path) -> None:
    files = _files(tmp_path, ("a.csv", b"1"), ("a.csv", b"2"), ("a", b"3"), ("a", b"4"))
    archive = zip_files(files, tmp_path / "out.zip")
    assert [n for n, _ in _unzip(archive.path.read_bytes())] == ["a.csv", "a (2).csv", "a", "a (2)"]


def test_split_and_zip_stream_in_bounded_memory(tmp_path: Path) -> None:
    data = _noise(8 * 1024 * 1024)
    (tmp_path / "big.bin").write_bytes(data)
    big = ExportFile("big.bin", tmp_path / "big.bin")
    del data
    tracemalloc.start()
    try:
        archive = zip_files([big], tmp_path / "big.zip")
        parts = split_file(archive, 1024 * 1024, tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024  # chunks of 1 MiB, never the 8 MiB file
    assert [p.name for p in parts][:2] == ["big.zip.001", "big.zip.002"]
    assert all(p.size <= 1024 * 1024 for p in parts)
    assert b"".join(p.path.read_bytes() for p in parts) == archive.path.read_bytes()


def test_bad_limits() -> None:
    with pytest.raises(ValueError):
        pack([], Path("."), limit=0)
    with pytest.raises(ValueError):
        split_file(ExportFile("a", Path("a")), 0, Path("."))


def test_the_limits_are_discords_as_everywhere_else() -> None:
    from bot.exports import bundle
    from bot.render import limits

    assert (bundle.UPLOAD_LIMIT, bundle.FILES_PER_MESSAGE) == (
        limits.UPLOAD_LIMIT,
        limits.FILES_PER_MESSAGE,
    )
