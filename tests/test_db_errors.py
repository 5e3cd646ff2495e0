"""What a failed database connection says: one line naming the database (never its password)
and what to fix. The cases a local server can produce run as processes in
test_cli_failures.py; a failed name lookup is built here (a test sends no DNS queries)."""

from __future__ import annotations

import re
import socket
import sqlite3

import asyncpg
import pytest

from bot.db import database_errors, describe_url, explain
from bot.failures import DatabaseUnavailable

URL = "postgres://coach:s3cret@db.example.invalid:5433/studycoach"


def test_unresolvable_host() -> None:
    line = explain(socket.gaierror(socket.EAI_NONAME, "Name or service not known"), URL)
    assert line == (
        "can't resolve the database host 'db.example.invalid' (Name or service not known): "
        "check DATABASE_URL"
    )


def test_wrapped_causes_are_found_and_passwords_never_shown() -> None:
    cases = {
        "does not exist: create it (createdb studycoach)": asyncpg.InvalidCatalogNameError(
            'database "studycoach" does not exist'
        ),
        "refused the login": asyncpg.InvalidPasswordError("password authentication failed"),
        "did not answer within 10 s": TimeoutError(),
        "(connection refused)": ConnectionRefusedError(111, "Connect call failed"),
    }
    for needle, cause in cases.items():
        wrapper = RuntimeError("Can't establish connection")
        wrapper.__cause__ = cause
        line = explain(wrapper, URL, "--to")
        assert needle in line and "s3cret" not in line and "--to" in line, line


def test_database_errors_become_one_failure() -> None:
    expected = re.escape("the SQLite database /x.db: disk I/O error (check DATABASE_URL)")
    with pytest.raises(DatabaseUnavailable, match=expected), database_errors("sqlite:///x.db"):
        raise sqlite3.OperationalError("disk I/O error")
    assert describe_url(URL) == "PostgreSQL database 'studycoach' at db.example.invalid:5433"
