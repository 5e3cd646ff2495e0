"""Failures meant for the person who runs the bot: one line that says what failed and what to
do, and the command line's exit code for each kind.

=====  ==========================================================
exit   meaning
=====  ==========================================================
1      a check failed (``coach curriculum check``, ``coach doctor``) or an unexpected error
2      bad settings or usage (a missing token, a malformed URL, an unwritable directory)
3      the database can't be reached or opened (or didn't answer in time)
4      Discord can't be reached, or it rejected the token
=====  ==========================================================
"""

from __future__ import annotations

import sqlite3

import asyncpg
from tortoise.exceptions import BaseORMException


class Failure(Exception):
    """An operator-facing failure; ``str()`` is the whole message."""

    exit_code = 1


class ConfigError(Failure):
    exit_code = 2


class DatabaseUnavailable(Failure):
    exit_code = 3


class DiscordUnavailable(Failure):
    exit_code = 4


class TokenRejected(DiscordUnavailable):
    """Discord answered 401 to the token: retrying cannot help."""


# Database trouble of any backend (the same set the command tree answers "couldn't save" to).
STORAGE_ERRORS: tuple[type[BaseException], ...] = (
    BaseORMException,
    OSError,
    sqlite3.Error,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.InternalClientError,
)


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, STORAGE_ERRORS)
