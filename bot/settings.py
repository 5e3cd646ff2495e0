"""The one settings class, read from the environment and ``.env``."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.failures import ConfigError

DEFAULT_DATA_DIR = Path("data")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["text", "json"]
DISCORD_API = "https://discord.com/api/v10"
WEB_BASE = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")


class Settings(BaseSettings):
    """StudyCoach configuration. Every field maps to an environment variable of the same name."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    discord_token: SecretStr | None = Field(
        default=None, description="Bot token from the Discord developer portal."
    )
    data_dir: Path = Field(
        default=DEFAULT_DATA_DIR, description="Directory for the SQLite file and other state."
    )
    database_url: str | None = Field(
        default=None,
        description="sqlite:///path/to/file.db or postgres://user:pass@host:5432/db "
        "(default: a SQLite file in DATA_DIR).",
    )
    log_level: LogLevel = "INFO"
    log_format: LogFormat = Field(
        default="text", description="text (one readable line per record) or json (one object)."
    )
    dev_guild_id: int | None = Field(
        default=None, description="Guild to sync commands to instantly while developing."
    )
    catchup_grace_hours: float = Field(
        default=6.0,
        ge=0,
        le=72,
        description="Missed posts younger than this are sent late after downtime; older ones "
        "are summarised in one catch-up message.",
    )
    default_timezone: str = Field(default="UTC", description="Zone for members without one.")
    shard_count: int | None = Field(
        default=None,
        ge=1,
        le=4096,
        description="Run as an AutoShardedBot with this many shards in total (several processes "
        "share the work with SHARD_IDS).",
    )
    shard_ids: list[int] | None = Field(
        default=None,
        description="The shards this process runs, e.g. [0,1] (needs SHARD_COUNT). Each process "
        "schedules only the guilds of its shards.",
    )
    log_rate_limit: int = Field(
        default=20, ge=1, le=1000, description="Logging commands a member may run per minute."
    )
    leetcode_base_url: str = Field(
        default="https://leetcode.com",
        pattern=r"^https?://\S+$",
        description="Base URL of leetcode.com (its GraphQL endpoint is BASE/graphql/).",
    )
    leetcode_cn_base_url: str = Field(
        default="https://leetcode.cn",
        pattern=r"^https?://\S+$",
        description="Base URL of leetcode.cn (its GraphQL endpoint is BASE/graphql/).",
    )
    leetcode_polling: bool = Field(
        default=True,
        description="Poll linked LeetCode accounts for new accepted solves (false: never poll; "
        "/leetcode sync still works).",
    )
    metrics_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="Serve /healthz and Prometheus /metrics on this port (off when unset).",
    )
    metrics_host: str = Field(
        default="127.0.0.1",
        min_length=1,
        description="Address the metrics port listens on (0.0.0.0 in a container).",
    )
    backup_dir: Path | None = Field(
        default=None,
        description="Back the SQLite database up here once a day (off when unset).",
    )
    backup_keep: int = Field(
        default=7, ge=1, le=3650, description="How many daily backups BACKUP_DIR keeps."
    )
    discord_api_url: str = Field(
        default=DISCORD_API,
        pattern=r"^https?://\S+$",
        description="Discord's REST API base (a local Discord-compatible server in tests).",
    )
    web_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="Serve the progress pages (/coach web, /progress link) on this port (off "
        "when unset).",
    )
    web_host: str = Field(
        default="127.0.0.1",
        min_length=1,
        description="Address the progress pages listen on (0.0.0.0 to serve them directly or in "
        "a container; behind a reverse proxy keep 127.0.0.1).",
    )
    web_base_url: str | None = Field(
        default=None,
        description="The address people open, which the links start with, e.g. "
        "https://coach.example.org (default http://localhost:WEB_PORT).",
    )
    web_rate_limit: int = Field(
        default=60,
        ge=1,
        le=10_000,
        description="Progress-page requests one IP address may make per minute.",
    )

    @field_validator("discord_token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if not isinstance(raw, str):
            return value
        token = raw.strip()
        if not token:
            return None  # unset: `coach run` says to set it
        if any(c.isspace() for c in token):
            raise ValueError("the token contains spaces: paste the bot token alone")
        return token

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone '{value}'") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _scheme(cls, value: str | None) -> str | None:
        if value is None or value.strip() == "":
            return None
        return check_database_url(value.strip())

    @field_validator("web_base_url", mode="before")
    @classmethod
    def _base_url(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        url = value.strip().rstrip("/")
        if not url:
            return None
        if not WEB_BASE.match(url):
            raise ValueError(
                "must be an http(s) address without a query, e.g. https://coach.example.org"
            )
        return url

    @field_validator("web_port")
    @classmethod
    def _web_port(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value and value == info.data.get("metrics_port"):
            raise ValueError("must differ from METRICS_PORT")
        return value

    def web_url(self, path: str) -> str:
        """The public address of ``path`` on the progress pages (``WEB_BASE_URL`` + path)."""
        base = self.web_base_url or f"http://localhost:{self.web_port or 8080}"
        return f"{base}/{path.lstrip('/')}"

    @model_validator(mode="after")
    def _shards(self) -> Settings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("SHARD_IDS needs SHARD_COUNT")
            bad = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if bad or not self.shard_ids or len(set(self.shard_ids)) != len(self.shard_ids):
                raise ValueError(
                    f"SHARD_IDS must be distinct numbers from 0 to {self.shard_count - 1}"
                )
        return self

    def resolved_database_url(self) -> str:
        """The database URL, creating the data directory for the default SQLite file."""
        if self.database_url:
            return self.database_url
        self.ensure_data_dir()
        return f"sqlite://{(self.data_dir / 'studycoach.sqlite3').resolve()}"

    def ensure_data_dir(self) -> Path:
        """Create ``DATA_DIR`` if missing; :class:`ConfigError` when it can't be written."""
        return writable_dir(self.data_dir, "DATA_DIR", "set DATA_DIR to a writable directory")


def writable_dir(path: Path, name: str, fix: str) -> Path:
    """Create ``path`` if missing; :class:`ConfigError` naming ``name`` (a setting or an
    option) and saying what to do (``fix``) when it can't be created or written."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"{name} {path} can't be created ({exc.strerror or exc}): {fix}"
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"{name} {path} is not writable: {fix}")
    return path


def check_database_url(url: str) -> str:
    """``url`` if it names a usable database, else ValueError saying what is wrong.

    ``sqlite://`` alone (or ``sqlite://:memory:``) would silently be a throw-away database,
    so a file path is required; a PostgreSQL URL needs a host and a database name.
    """
    if url.startswith("sqlite://"):
        path = url[len("sqlite://") :]
        if not path or path == ":memory:":
            raise ValueError(
                "sqlite:// needs a file, e.g. sqlite:///srv/coach/studycoach.sqlite3 "
                "(an in-memory database would lose everything on exit)"
            )
        if path.endswith("/"):
            raise ValueError(f"'{path}' is a directory: add a file name")
        return url
    if not url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        raise ValueError("must start with sqlite://, postgres:// or postgresql://")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError(
            "is not a valid URL (check the port, and %-encode special characters in the password)"
        ) from None
    if not parts.hostname:
        raise ValueError("names no host: postgres://user:password@host:5432/database")
    if not parts.path.strip("/"):
        raise ValueError("names no database: postgres://user:password@host:5432/database")
    return url


def describe_error(exc: ValidationError) -> str:
    """One line naming what to set, for start-up failures."""
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "SHARD_COUNT / SHARD_IDS"
        message = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{field.upper()}: {message}")
    return "Invalid configuration — set " + "; ".join(parts) + " (environment or .env)."
