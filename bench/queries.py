"""Count the SQL statements Tortoise sends: ``with count_queries() as counted: ...``.

While a counter is active, the ``execute_query`` / ``execute_query_dict`` / ``execute_many`` /
``execute_insert`` methods of every Tortoise client class (plain connections and transaction
wrappers, SQLite and PostgreSQL) are wrapped at class level; a call made from inside another
counted call (a wrapper delegating to its parent class) is counted once. Counters nest: each
active counter sees every statement. Statements from any task of the process are counted, so
measure one thing at a time. Leaving the last counter restores the original methods.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

METHODS = ("execute_query", "execute_query_dict", "execute_many", "execute_insert")


@dataclass
class QueryCount:
    """What one ``count_queries()`` block saw."""

    keep: int = 200  # how many statements to remember (the count is always exact)
    total: int = 0
    by_method: Counter[str] = field(default_factory=Counter)
    statements: list[str] = field(default_factory=list)

    def add(self, method: str, query: str) -> None:
        self.total += 1
        self.by_method[method] += 1
        if len(self.statements) < self.keep:
            self.statements.append(query)


_active: list[QueryCount] = []
_originals: dict[tuple[type, str], Any] = {}
_depth: ContextVar[int] = ContextVar("bench_query_depth", default=0)


def _client_classes() -> list[type]:
    """Every loaded Tortoise client class (importing the project's two backends first)."""
    import tortoise.backends.asyncpg.client
    import tortoise.backends.sqlite.client  # noqa: F401

    seen: list[type] = []
    todo: list[type] = [BaseDBAsyncClient]
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.append(cls)
            todo += cls.__subclasses__()
    return seen


def _wrap(method: str, original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def counted(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        depth = _depth.get()
        if depth == 0:
            for counter in _active:
                counter.add(method, query)
        token = _depth.set(depth + 1)
        try:
            return await original(self, query, *args, **kwargs)
        finally:
            _depth.reset(token)

    return counted


def _install() -> None:
    for cls in _client_classes():
        for method in METHODS:
            original = cls.__dict__.get(method)
            if original is None or getattr(original, "__isabstractmethod__", False):
                continue
            _originals[(cls, method)] = original
            setattr(cls, method, _wrap(method, original))


def _uninstall() -> None:
    for (cls, method), original in _originals.items():
        setattr(cls, method, original)
    _originals.clear()


@contextmanager
def count_queries(keep: int = 200) -> Iterator[QueryCount]:
    """Count the statements sent while the block runs (usable around ``await``)."""
    counter = QueryCount(keep=keep)
    if not _active:
        _install()
    _active.append(counter)
    try:
        yield counter
    finally:
        _active.remove(counter)
        if not _active:
            _uninstall()
