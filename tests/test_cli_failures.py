"""Every mistake a new host can make ends in one clear line, the right exit code, no traceback
and no hang: each case runs ``coach`` as a real process with a time limit.

Exit codes: 2 bad settings or usage, 3 database, 4 Discord (see bot/failures.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import PG_URL
from tests.fake_discord import GOOD_TOKEN, FakeDiscord

COACH = Path(sys.executable).parent / "coach"
TIME_LIMIT = 30.0  # seconds; a database or Discord wait is bounded well below this
UNREACHABLE_API = "http://127.0.0.1:9/api/v10"  # nothing listens on the discard port


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """No settings from the outside world: only what the case sets."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "DATA_DIR": str(home / "data"),
    }
    env.update(extra)
    return env


async def coach(cwd: Path, *args: str, env: dict[str, str]) -> Result:
    proc = await asyncio.create_subprocess_exec(
        str(COACH),
        *args,
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), TIME_LIMIT)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        pytest.fail(f"coach {' '.join(args)} still running after {TIME_LIMIT:.0f} s (a hang)")
    assert proc.returncode is not None
    return Result(proc.returncode, out.decode(), err.decode())


def assert_one_line(result: Result, code: int, *needles: str) -> str:
    assert "Traceback" not in result.err + result.out, result.err
    assert result.code == code, (result.code, result.err)
    assert len(result.err_lines) == 1, result.err_lines
    line = result.err_lines[0]
    for needle in needles:
        assert needle in line, line
    return line


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


# -- settings and usage (2), the database (3) ------------------------------------------------
CASES = [
    ("no-token", ["run"], {}, 2, ["DISCORD_TOKEN is not set"]),
    ("blank-token", ["run"], {"DISCORD_TOKEN": "   "}, 2, ["DISCORD_TOKEN is not set"]),
    ("token-with-spaces", ["run"], {"DISCORD_TOKEN": "abc def"}, 2, ["DISCORD_TOKEN", "spaces"]),
    ("bad-log-level", ["db", "upgrade"], {"LOG_LEVEL": "LOUD"}, 2, ["LOG_LEVEL"]),
    ("in-memory", ["db", "upgrade"], {"DATABASE_URL": "sqlite://"}, 2, ["needs a file"]),
    ("bad-url", ["db", "upgrade"], {"DATABASE_URL": "mysql://x/y"}, 2, ["DATABASE_URL"]),
    ("unknown-option", ["--frobnicate"], {}, 2, ["unrecognized arguments", "coach --help"]),
    ("no-command", [], {}, 2, ["choose a command"]),
    ("db-alone", ["db"], {}, 2, ["coach db", "upgrade, purge, copy or backup"]),
    ("bad-date", ["preview", "--start", "2027-13-01", "--date", "2027-01-04"], {}, 2, ["date"]),
    (
        "far-future",
        ["preview", "--start", "9999-12-31", "--date", "9999-12-31"],
        {},
        2,
        ["out of range"],
    ),
    ("copy-to-garbage", ["db", "copy", "--to", "garbage"], {}, 2, ["--to", "sqlite://"]),
    (
        "copy-from-garbage",
        ["db", "copy", "--from", "garbage", "--to", "sqlite://{tmp}/b.db"],
        {},
        2,
        ["--from"],
    ),
    ("data-dir", ["db", "upgrade"], {"DATA_DIR": "/proc/coach-data"}, 2, ["DATA_DIR"]),
    ("demo-out", ["demo", "--out", "/proc/coach-demo"], {}, 2, ["--out", "/proc/coach-demo"]),
    (
        "missing-dir",
        ["db", "upgrade"],
        {"DATABASE_URL": "sqlite:///nonexistent/dir/x.db"},
        3,
        ["/nonexistent/dir does not exist"],
    ),
    (
        "purge-missing-dir",
        ["db", "purge"],
        {"DATABASE_URL": "sqlite:///nonexistent/dir/x.db"},
        3,
        ["does not exist"],
    ),
    ("a-directory", ["db", "upgrade"], {"DATABASE_URL": "sqlite://{tmp}"}, 3, ["a directory"]),
    ("proc", ["db", "upgrade"], {"DATABASE_URL": "sqlite:///proc/x.db"}, 3, ["/proc/x.db"]),
    (
        "copy-from-missing",
        ["db", "copy", "--from", "sqlite://{tmp}/missing.db", "--to", "sqlite://{tmp}/b.db"],
        {},
        3,
        ["no SQLite database", "missing.db"],
    ),
    (
        "pg-refused",
        ["db", "upgrade"],
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/test"},
        3,
        ["connection refused", "127.0.0.1:1"],
    ),
    ("sync-unreachable", ["sync"], {"DISCORD_TOKEN": "abc"}, 4, ["can't reach Discord"]),
]


@pytest.mark.parametrize(
    ("args", "env", "code", "needles"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
async def test_each_failure_is_one_clear_line(
    home: Path, args: list[str], env: dict[str, str], code: int, needles: list[str]
) -> None:
    extra = {k: v.format(tmp=home) for k, v in env.items()}
    extra.setdefault("DISCORD_API_URL", UNREACHABLE_API)
    result = await coach(home, *[a.format(tmp=home) for a in args], env=clean_env(home, **extra))
    line = assert_one_line(result, code, *needles)
    assert "db_command" not in line and "curriculum_command" not in line


async def test_a_missing_copy_source_is_not_created(home: Path) -> None:
    source = home / "missing.db"
    args = ["db", "copy", "--from", f"sqlite://{source}", "--to", f"sqlite://{home}/b.db"]
    assert_one_line(await coach(home, *args, env=clean_env(home)), 3)
    assert not source.exists() and not (home / "b.db").exists()


async def test_a_file_that_is_no_database(home: Path) -> None:
    (home / "notes.db").write_bytes(b"this is not a database" * 100)
    env = clean_env(home, DATABASE_URL=f"sqlite://{home}/notes.db")
    assert_one_line(await coach(home, "db", "upgrade", env=env), 3, "not a database")


@pytest.fixture
def read_only_dir(home: Path) -> Iterator[Path]:
    """A directory nobody may write in — root included (the immutable attribute)."""
    directory = home / "ro"
    directory.mkdir()
    directory.chmod(0o555)
    immutable = os.geteuid() == 0  # permissions alone don't stop root
    if immutable:
        subprocess.run(["chattr", "+i", str(directory)], check=True)
    yield directory
    if immutable:
        subprocess.run(["chattr", "-i", str(directory)], check=True)
    directory.chmod(0o755)


async def test_a_read_only_directory(home: Path, read_only_dir: Path) -> None:
    env = clean_env(home, DATABASE_URL=f"sqlite://{read_only_dir}/x.db")
    for command in (["db", "upgrade"], ["db", "purge"]):
        assert_one_line(await coach(home, *command, env=env), 3, "not writable")


def _pg(user: str | None = None, database: str | None = None) -> str:
    assert PG_URL is not None
    parts = urlsplit(PG_URL)
    netloc = f"{user or parts.username}@{parts.hostname}:{parts.port or 5432}"
    return f"postgres://{netloc}/{database or parts.path.lstrip('/')}"


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("user", "database", "needle"),
    [
        (None, "coach_no_such_db", "does not exist"),
        ("coach_no_such_role", None, "refused the login"),
    ],
    ids=["unknown-database", "unknown-role"],
)
async def test_postgres_refusals(
    home: Path, user: str | None, database: str | None, needle: str
) -> None:
    env = clean_env(home, DATABASE_URL=_pg(user, database))
    assert_one_line(await coach(home, "db", "upgrade", env=env), 3, needle)


# -- tracebacks on request, LOG_LEVEL and LOG_FORMAT -----------------------------------------
async def test_debug_shows_the_traceback(home: Path) -> None:
    env = clean_env(home, DATABASE_URL="sqlite:///nonexistent/dir/x.db")
    result = await coach(home, "db", "upgrade", "--debug", env=env)
    assert result.code == 3 and "Traceback" in result.err
    assert result.err_lines[-1].endswith("(create it, or fix DATABASE_URL)")
    env["LOG_LEVEL"] = "DEBUG"
    assert "Traceback" in (await coach(home, "db", "upgrade", env=env)).err


async def test_db_commands_honour_log_level_and_format(home: Path) -> None:
    url = f"sqlite://{home}/coach.db"
    quiet = await coach(home, "db", "upgrade", env=clean_env(home, DATABASE_URL=url))
    assert quiet.code == 0 and "applied" in quiet.out
    assert "INFO bot.db: applied" in quiet.err  # LOG_LEVEL defaults to INFO
    other = f"sqlite://{home}/other.db"
    env = clean_env(home, DATABASE_URL=other, LOG_LEVEL="WARNING")
    silent = await coach(home, "db", "upgrade", env=env)
    assert silent.code == 0 and silent.err == ""
    env = clean_env(home, DATABASE_URL=f"sqlite://{home}/third.db", LOG_FORMAT="json")
    structured = await coach(home, "db", "upgrade", env=env)
    records = [json.loads(line) for line in structured.err_lines]
    assert records and all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    assert any(r["logger"] == "bot.db" and "applied" in r["message"] for r in records)


async def test_version(home: Path) -> None:
    result = await coach(home, "--version", env=clean_env(home))
    assert result.code == 0 and result.out.startswith("coach (StudyCoach) ")


# -- a reader that goes away ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [["curriculum", "export"], ["preview", "--start", "2027-01-04", "--date", "2027-02-03"]],
    ids=["export", "preview"],
)
async def test_closed_pipe_ends_quietly(home: Path, args: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)  # like `| head` that already exited
    try:
        proc = await asyncio.create_subprocess_exec(
            str(COACH),
            *args,
            cwd=home,
            env=clean_env(home),
            stdout=write,
            stderr=asyncio.subprocess.PIPE,
        )
    finally:
        os.close(write)
    _, err = await asyncio.wait_for(proc.communicate(), TIME_LIMIT)
    assert err.decode() == "" and proc.returncode == 141


# -- Discord -----------------------------------------------------------------------------------
@pytest.fixture
async def discord_api() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.close()


@pytest.mark.parametrize("command", ["run", "sync"])
async def test_a_rejected_token(home: Path, discord_api: FakeDiscord, command: str) -> None:
    env = clean_env(home, DISCORD_TOKEN="wrong.token", DISCORD_API_URL=discord_api.api_url)
    line = assert_one_line(await coach(home, command, env=env), 4)
    assert line.startswith("Discord rejected the token (401)")
    assert "wrong.token" not in line


async def test_run_keeps_retrying_while_discord_is_unreachable(home: Path) -> None:
    """Like a service: it says it can't reach Discord, waits and retries; SIGTERM stops it."""
    env = clean_env(home, DISCORD_TOKEN="abc", DISCORD_API_URL=UNREACHABLE_API)
    proc = await asyncio.create_subprocess_exec(
        str(COACH), "run", cwd=home, env=env, stderr=asyncio.subprocess.PIPE
    )
    assert proc.stderr is not None
    try:
        line = await asyncio.wait_for(proc.stderr.readline(), TIME_LIMIT)
        assert b"can't reach Discord (connection refused by 127.0.0.1:9); retrying in 5 s" in line
        await asyncio.sleep(0.5)
        assert proc.returncode is None  # still running, waiting to retry
        proc.send_signal(signal.SIGTERM)
        rest = await asyncio.wait_for(proc.stderr.read(), TIME_LIMIT)
        code = await asyncio.wait_for(proc.wait(), TIME_LIMIT)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert code == 0 and b"Traceback" not in rest


async def test_sync_then_doctor_all_green(home: Path, discord_api: FakeDiscord) -> None:
    """A new host's path: sync the commands, then `coach doctor` finds nothing to fix."""
    env = clean_env(home, DISCORD_TOKEN=GOOD_TOKEN, DISCORD_API_URL=discord_api.api_url)
    synced = await coach(home, "sync", env=env)
    assert synced.code == 0, synced.err
    assert discord_api.commands["global"]
    doctor = await coach(home, "doctor", env=env)
    assert doctor.code == 0, doctor.out
    assert "All " in doctor.out and "checks passed" in doctor.out
    assert "accepted: StudyCoach" in doctor.out and "hash matches the last sync" in doctor.out
    assert "Traceback" not in doctor.err
    # A token that is refused now: the doctor says so and exits 1.
    env["DISCORD_TOKEN"] = "stale.token"
    refused = await coach(home, "doctor", env=env)
    assert refused.code == 1 and "Discord rejected the token (401)" in refused.out


async def test_a_database_failure_after_login(home: Path, discord_api: FakeDiscord) -> None:
    env = clean_env(
        home,
        DISCORD_TOKEN=GOOD_TOKEN,
        DISCORD_API_URL=discord_api.api_url,
        DATABASE_URL="sqlite:///nonexistent/dir/x.db",
    )
    for command in ("sync", "run"):
        assert_one_line(await coach(home, command, env=env), 3, "does not exist")


async def test_a_metrics_port_in_use(home: Path, discord_api: FakeDiscord) -> None:
    taken = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = taken.sockets[0].getsockname()[1]
    env = clean_env(
        home,
        DISCORD_TOKEN=GOOD_TOKEN,
        DISCORD_API_URL=discord_api.api_url,
        METRICS_PORT=str(port),
        LOG_LEVEL="WARNING",  # `coach run` logs as a service; only the failure is asked for
    )
    try:
        line = assert_one_line(await coach(home, "run", env=env), 2, "METRICS_PORT")
    finally:
        taken.close()
        await taken.wait_closed()
    assert f"127.0.0.1:{port}" in line
