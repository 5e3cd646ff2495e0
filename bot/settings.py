"""The one settings class, read from the environment and ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("data")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


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
        if value is None or value == "":
            return None
        if not value.startswith(("sqlite://", "postgres://", "postgresql://", "asyncpg://")):
            raise ValueError("must start with sqlite://, postgres:// or postgresql://")
        return value

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
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite://{(self.data_dir / 'studycoach.sqlite3').resolve()}"


def describe_error(exc: ValidationError) -> str:
    """One line naming what to set, for start-up failures."""
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "SHARD_COUNT / SHARD_IDS"
        message = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{field.upper()}: {message}")
    return "Invalid configuration — set " + "; ".join(parts) + " (environment or .env)."


def load_settings() -> Settings:
    return Settings()
