"""Fit export files into Discord's attachment limits.

Files pass through unchanged when there are at most ``max_files`` of them and they total
at most ``limit`` bytes. Otherwise they go into one deflated zip; a zip still above
``limit`` is split into numbered parts (``export.zip.001``, ...) of at most ``limit``
bytes each, which concatenate back into the zip. The output is deterministic: zip entries
keep the given order and carry a fixed timestamp. Parts may outnumber ``max_files``; the
caller then sends them in several messages of ``max_files`` attachments.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

DISCORD_LIMIT = 8 * 1024 * 1024
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _unique_names(names: Sequence[str]) -> list[str]:
    """Names made unique for a zip: ``a.csv``, ``a (2).csv``, ..."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            stem, dot, ext = name.rpartition(".")
            candidate = f"{stem} ({n}).{ext}" if dot and stem else f"{name} ({n})"
        seen.add(candidate)
        out.append(candidate)
    return out


def zip_files(files: Sequence[tuple[str, bytes]]) -> bytes:
    """A deterministic deflated zip of ``files`` (duplicate names get a number)."""
    buffer = io.BytesIO()
    names = _unique_names([name for name, _ in files])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (_, data) in zip(names, files, strict=True):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def split_bytes(data: bytes, name: str, limit: int) -> list[tuple[str, bytes]]:
    """``data`` cut into ``name.001``, ``name.002``, ... of at most ``limit`` bytes."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    chunks = [data[i : i + limit] for i in range(0, len(data), limit)] or [b""]
    width = max(3, len(str(len(chunks))))
    return [(f"{name}.{i:0{width}d}", chunk) for i, chunk in enumerate(chunks, start=1)]


def bundle_files(
    files: Sequence[tuple[str, bytes]],
    limit: int = DISCORD_LIMIT,
    max_files: int = 10,
    zip_name: str = "export.zip",
) -> tuple[list[tuple[str, bytes]], str | None]:
    """The attachments to send and a note for the user when they were zipped or split."""
    if limit <= 0 or max_files <= 0:
        raise ValueError("limit and max_files must be positive")
    total = sum(len(data) for _, data in files)
    if len(files) <= max_files and total <= limit:
        return [(name, data) for name, data in files], None
    archive = zip_files(files)
    why = (
        f"{len(files)} files are more than the {max_files} Discord allows per message"
        if len(files) > max_files
        else f"the files total {_size(total)}, over Discord's {_size(limit)} limit"
    )
    if len(archive) <= limit:
        return [(zip_name, archive)], f"Bundled into `{zip_name}` because {why}."
    parts = split_bytes(archive, zip_name, limit)
    first, last = parts[0][0], parts[-1][0]
    note = (
        f"Bundled into `{zip_name}` because {why}; the zip is {_size(len(archive))}, so it "
        f"is split into {len(parts)} parts (`{first}` … `{last}`). Download all of them "
        f"into one folder and join them: `cat {zip_name}.* > {zip_name}` "
        f"(Windows: `copy /b {'+'.join(n for n, _ in parts)} {zip_name}`), then unzip."
    )
    if len(parts) > max_files:
        note += f" The parts come in {-(-len(parts) // max_files)} messages."
    return parts, note
