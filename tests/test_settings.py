from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings, describe_error


def test_defaults_create_sqlite_in_data_dir(tmp_path: Path) -> None:
    s = Settings(_env_file=None, data_dir=tmp_path / "d")  # type: ignore[call-arg]
    url = s.resolved_database_url()
    assert url.startswith("sqlite://") and (tmp_path / "d").is_dir()


def test_token_is_secret(tmp_path: Path) -> None:
    s = Settings(_env_file=None, discord_token="abc.def", data_dir=tmp_path)  # type: ignore[call-arg]
    assert "abc.def" not in repr(s) and "abc.def" not in str(s.model_dump())


def test_env_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("DISCORD_TOKEN=tok\nLOG_LEVEL=debug\nDEV_GUILD_ID=42\n")
    s = Settings()
    assert s.discord_token is not None and s.discord_token.get_secret_value() == "tok"
    assert s.log_level == "DEBUG" and s.dev_guild_id == 42


def test_invalid_values_name_the_setting() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, database_url="mysql://x", default_timezone="Mars/Base")  # type: ignore[call-arg]
    line = describe_error(caught.value)
    assert "DATABASE_URL" in line and "DEFAULT_TIMEZONE" in line and "\n" not in line


def test_shard_settings_error_names_what_to_set() -> None:
    import pytest
    from pydantic import ValidationError

    from bot.settings import Settings, describe_error

    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, shard_count=2, shard_ids=[3])  # type: ignore[call-arg]
    line = describe_error(caught.value)
    assert line.startswith("Invalid configuration — set SHARD_COUNT / SHARD_IDS: SHARD_IDS must")
    assert "Value error" not in line
