"""Fitting files into Discord's limits: pass through, zip, or split into parts."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from bot.exports.bundle import bundle_files, split_bytes, zip_files


def _unzip(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return [(name, archive.read(name)) for name in archive.namelist()]


def _noise(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)  # incompressible


def test_small_files_pass_through_unchanged() -> None:
    files = [("ledger.md", b"# Ledger\n"), ("solves.csv", b"id\n1\n")]
    assert bundle_files(files) == (files, None)
    assert bundle_files([]) == ([], None)
    exactly = [("a.bin", b"x" * 100)]
    assert bundle_files(exactly, limit=100) == (exactly, None)


def test_too_many_files_are_zipped() -> None:
    files = [(f"f{i}.txt", f"file {i}".encode()) for i in range(11)]
    out, note = bundle_files(files)
    assert [name for name, _ in out] == ["export.zip"]
    assert _unzip(out[0][1]) == files
    assert note is not None and "11 files" in note and "export.zip" in note


def test_too_big_files_are_zipped_when_the_zip_fits() -> None:
    files = [("ledger.md", b"a" * 6000), ("all.json", b"b" * 6000)]
    out, note = bundle_files(files, limit=10_000, zip_name="ada-export.zip")
    assert [name for name, _ in out] == ["ada-export.zip"]
    assert len(out[0][1]) <= 10_000
    assert _unzip(out[0][1]) == files
    assert note is not None and "over Discord's" in note


def test_huge_exports_are_split_into_parts_that_join_back() -> None:
    files = [("deck.apkg", _noise(25_000)), ("deck.apkg", _noise(9_000, seed=8))]
    out, note = bundle_files(files, limit=10_000, max_files=2)
    names = [name for name, _ in out]
    assert names == ["export.zip.001", "export.zip.002", "export.zip.003", "export.zip.004"]
    assert all(len(data) <= 10_000 for _, data in out)
    joined = b"".join(data for _, data in sorted(out))
    assert _unzip(joined) == [("deck.apkg", files[0][1]), ("deck (2).apkg", files[1][1])]
    assert note is not None
    assert "cat export.zip.* > export.zip" in note and "4 parts" in note
    assert "2 messages" in note


def test_bundling_is_deterministic() -> None:
    files = [(f"f{i}.bin", _noise(3000, seed=i)) for i in range(5)]
    assert bundle_files(files, limit=4000) == bundle_files(files, limit=4000)
    assert zip_files(files) == zip_files(list(files))


def test_split_helpers_and_bad_limits() -> None:
    assert split_bytes(b"abcdefg", "x.zip", 3) == [
        ("x.zip.001", b"abc"),
        ("x.zip.002", b"def"),
        ("x.zip.003", b"g"),
    ]
    with pytest.raises(ValueError):
        bundle_files([("a", b"a")], limit=0)
