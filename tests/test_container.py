"""The Dockerfile and compose.yaml, checked without a Docker daemon: the compose file parses,
its commands are real ``coach`` commands and its variables real settings, and the Dockerfile
copies everything ``pyproject.toml`` needs to build the package."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli.parser import build_parser
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {name.upper() for name in Settings.model_fields}
POSTGRES_IMAGE_VARS = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    lines: list[tuple[str, str]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        instruction, _, args = line.partition(" ")
        lines.append((instruction.upper(), args.strip()))
    return lines


def instructions(name: str) -> list[str]:
    return [args for instruction, args in dockerfile() if instruction == name]


def env_names(args: str) -> set[str]:
    return set(re.findall(r"(?:^|\s)([A-Z_][A-Z0-9_]*)=", args))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(doc, dict)
    return doc


@pytest.fixture(scope="module")
def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_compose_runs_postgres_migrations_then_the_bot(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"db", "migrate", "bot"}
    assert services["db"]["image"].startswith("postgres:")
    assert "healthcheck" in services["db"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    migrate = services["bot"]["depends_on"]["migrate"]["condition"]
    assert migrate == "service_completed_successfully"  # `coach db upgrade` before start
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["bot"]["command"] == ["run"]
    for name in ("migrate", "bot"):
        assert services[name]["env_file"] == ".env"
        assert services[name]["build"] == "."
    named = set(compose["volumes"])
    used = {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}
    assert used == named == {"pgdata", "botdata"}


def test_compose_commands_and_variables_exist(compose: dict[str, Any]) -> None:
    parser = build_parser()
    for name in ("migrate", "bot"):
        service = compose["services"][name]
        args = parser.parse_args(service["command"])  # a real coach command
        assert args.command in {"db", "run"}
        unknown = set(service["environment"]) - SETTINGS
        assert not unknown, f"{name}: {unknown} are not settings"
        if "DATA_DIR" in service["environment"]:
            mount = service["environment"]["DATA_DIR"]
            assert any(v.endswith(f":{mount}") for v in service["volumes"])
    assert set(compose["services"]["db"]["environment"]) == POSTGRES_IMAGE_VARS
    database_url = compose["services"]["bot"]["environment"]["DATABASE_URL"]
    expanded = database_url.replace("${POSTGRES_PASSWORD:-coach}", "coach")
    Settings(_env_file=None, database_url=expanded)  # type: ignore[call-arg]


def test_dockerfile_is_slim_non_root_with_healthcheck_and_volume(
    pyproject: dict[str, Any],
) -> None:
    (base,) = instructions("FROM")
    match = re.fullmatch(r"python:(\d+)\.(\d+)-slim", base)
    assert match, base
    minimum = re.search(r">=(\d+)\.(\d+)", pyproject["project"]["requires-python"])
    assert minimum and tuple(map(int, match.groups())) >= tuple(map(int, minimum.groups()))
    (user,) = instructions("USER")
    assert user not in {"root", "0"}
    (health,) = instructions("HEALTHCHECK")
    assert "/healthz" in health and "METRICS_PORT" in health
    env = " ".join(instructions("ENV"))
    names = env_names(env) - {
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONUNBUFFERED",
        "PIP_NO_CACHE_DIR",
        "PIP_DISABLE_PIP_VERSION_CHECK",
    }
    assert names <= SETTINGS and {"DATA_DIR", "METRICS_PORT"} <= names
    data_dir = re.search(r"DATA_DIR=(\S+)", env)
    assert data_dir and f'"{data_dir.group(1)}"' in instructions("VOLUME")[0]
    (entrypoint,) = instructions("ENTRYPOINT")
    assert entrypoint == f'["{next(iter(pyproject["project"]["scripts"]))}"]'
    (cmd,) = instructions("CMD")
    assert build_parser().parse_args(yaml.safe_load(cmd)).command == "run"


def test_dockerfile_copies_what_pyproject_needs(pyproject: dict[str, Any]) -> None:
    copied = set()
    for args in instructions("COPY"):
        *sources, _target = args.split()
        copied |= {s.rstrip("/") for s in sources}
    assert {"pyproject.toml", pyproject["project"]["readme"]} <= copied
    patterns = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {
        p.name
        for p in ROOT.iterdir()
        if (p / "__init__.py").is_file() and any(fnmatch.fnmatch(p.name, pat) for pat in patterns)
    }
    assert packages and packages <= copied, packages - copied
    for package in pyproject["tool"]["setuptools"]["package-data"]:
        assert package in copied  # its data files come along with the package directory
    installs = [a for a in instructions("RUN") if "pip install" in a]
    assert any(re.search(r"pip install \.(\s|$)", a) for a in installs)
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in copied:
        assert not any(fnmatch.fnmatch(path, pattern) for pattern in ignored), path
    assert {".env", ".git", "data"} <= set(ignored)  # secrets and state stay out of the image


def test_env_example_names_real_settings() -> None:
    names = set(re.findall(r"^#?\s*([A-Z_][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.M))
    assert "DISCORD_TOKEN" in names
    assert names - {"POSTGRES_PASSWORD"} <= SETTINGS
