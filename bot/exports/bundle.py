"""Fit export files into Discord's attachment limits, on disk, in bounded memory.

Discord takes at most ``max_files`` (10) attachments per message and at most the upload
limit in bytes per request (10 MiB for a server without boosts; the guild's and the
interaction's ``filesize_limit`` say more). :func:`pack` plans the messages:

1. files that fit one message as they are go out unchanged;
2. otherwise they go into one deflated zip, when that zip fits one message;
3. otherwise each file that fits is sent as is, each larger one zipped on its own
   (``studycoach-export.json.zip``), and a zip still above the limit is split into numbered
   parts (``….zip.001``, ``….zip.002``…) that concatenate back into the zip. The
   attachments are then spread over as many messages as needed, none over either limit.

Everything streams between files (nothing is read whole into memory) and the output is
deterministic: zip entries keep the given order and carry a fixed timestamp.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Discord's limits, as in bot.render.limits (which imports discord; this module stays pure);
# tests/exports/test_bundle.py keeps the two equal.
UPLOAD_LIMIT = 10 * 1024 * 1024  # bytes per request, a server without boosts
FILES_PER_MESSAGE = 10
MAX_MESSAGES = 10  # beyond this an export is too large to send through Discord
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ExportFile:
    """A file to attach: its name in Discord and where its bytes are."""

    name: str
    path: Path

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class Packed:
    """The messages to send (each a list of attachments) and a note for the user."""

    messages: list[list[ExportFile]]
    note: str | None = None
    changed: list[str] = field(default_factory=list)  # names that were zipped or split

    @property
    def files(self) -> list[ExportFile]:
        return [f for message in self.messages for f in message]


class ExportTooLarge(ValueError):
    """More messages than :data:`MAX_MESSAGES` would be needed."""

    def __init__(self, size: int, messages: int) -> None:
        super().__init__(f"{size} bytes would need {messages} messages")
        self.size = size
        self.messages = messages


def size_text(n: int) -> str:
    """``1.5 MB``, ``12 KB``, ``7 bytes`` (MB = 1024², as Discord counts its limit)."""
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


def zip_files(files: Sequence[ExportFile], target: Path, name: str | None = None) -> ExportFile:
    """A deterministic deflated zip of ``files`` at ``target`` (duplicate names numbered)."""
    names = _unique_names([f.name for f in files])
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for arcname, f in zip(names, files, strict=True):
            info = zipfile.ZipInfo(arcname, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with f.path.open("rb") as src, archive.open(info, "w", force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, _CHUNK)
    return ExportFile(name or target.name, target)


def split_file(file: ExportFile, limit: int, workdir: Path) -> list[ExportFile]:
    """``file`` cut into ``name.001``, ``name.002``, ... of at most ``limit`` bytes each."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    count = max(1, -(-file.size // limit))
    width = max(3, len(str(count)))
    parts: list[ExportFile] = []
    with file.path.open("rb") as src:
        for i in range(1, count + 1):
            name = f"{file.name}.{i:0{width}d}"
            path = workdir / name
            left = limit
            with path.open("wb") as dst:
                while left > 0 and (chunk := src.read(min(_CHUNK, left))):
                    dst.write(chunk)
                    left -= len(chunk)
            parts.append(ExportFile(name, path))
    return parts


def _messages(files: Sequence[ExportFile], limit: int, max_files: int) -> list[list[ExportFile]]:
    """In order (so a split file's parts arrive in sequence): each attachment joins the
    current message while it has room, else starts the next one."""
    messages: list[list[ExportFile]] = []
    total = 0
    for f in files:
        size = f.size
        if size > limit:
            raise ValueError(f"{f.name} is {size} bytes, over the {limit}-byte limit")
        if not messages or len(messages[-1]) >= max_files or total + size > limit:
            messages.append([])
            total = 0
        messages[-1].append(f)
        total += size
    return messages


def _join_note(zip_name: str, parts: Sequence[ExportFile]) -> str:
    return (
        f"`{zip_name}` is split into {len(parts)} parts (`{parts[0].name}` … "
        f"`{parts[-1].name}`): download them into one folder and join them with "
        f"`cat {zip_name}.* > {zip_name}` (Windows: `copy /b {zip_name}.* {zip_name}`), "
        "then unzip."
    )


def pack(
    files: Sequence[ExportFile],
    workdir: Path,
    *,
    limit: int = UPLOAD_LIMIT,
    max_files: int = FILES_PER_MESSAGE,
    max_messages: int = MAX_MESSAGES,
    zip_name: str = "export.zip",
) -> Packed:
    """Plan the messages for ``files`` (see the module docstring); zips go to ``workdir``."""
    if limit <= 0 or max_files <= 0:
        raise ValueError("limit and max_files must be positive")
    total = sum(f.size for f in files)
    if len(files) <= max_files and total <= limit:
        return Packed([list(files)] if files else [])
    why = (
        f"{len(files)} files are more than the {max_files} Discord takes per message"
        if len(files) > max_files
        else f"the files total {size_text(total)}, over the {size_text(limit)} Discord "
        "takes per message"
    )
    bundle = zip_files(files, workdir / zip_name)
    if bundle.size <= limit:
        note = f"Bundled into `{zip_name}` because {why}."
        return Packed([[bundle]], note, [f.name for f in files])
    bundle.path.unlink()

    attachments: list[ExportFile] = []
    notes: list[str] = []
    changed: list[str] = []
    for f in files:
        if f.size <= limit:
            attachments.append(f)
            continue
        changed.append(f.name)
        single = zip_files([f], workdir / f"{f.name}.zip")
        if single.size <= limit:
            attachments.append(single)
            notes.append(f"`{f.name}` ({size_text(f.size)}) comes zipped as `{single.name}`.")
            continue
        zipped = single.size
        parts = split_file(single, limit, workdir)
        single.path.unlink()
        attachments += parts
        notes.append(
            f"`{f.name}` is {size_text(f.size)} ({size_text(zipped)} zipped): "
            + _join_note(single.name, parts)
        )
    messages = _messages(attachments, limit, max_files)
    if len(messages) > max_messages:
        raise ExportTooLarge(sum(f.size for f in attachments), len(messages))
    if len(messages) > 1:
        notes.append(f"The files come in {len(messages)} messages.")
    return Packed(messages, " ".join(notes) or None, changed)
