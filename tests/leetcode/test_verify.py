"""Verification codes: generation, expiry and lenient matching in profile text."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.leetcode.verify import code_expires_at, code_present, new_code

CODE_RE = re.compile(r"^coach-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")


def test_new_code_format_and_alphabet() -> None:
    codes = [new_code(random.Random(seed)) for seed in range(500)]
    assert all(CODE_RE.match(code) for code in codes), codes[:5]
    body = "".join(code.removeprefix("coach-") for code in codes)
    assert not set(body) & set("0O1I")
    assert len(set(codes)) == len(codes)


def test_new_code_is_deterministic_for_a_seed_and_varies_between_draws() -> None:
    assert new_code(random.Random(42)) == new_code(random.Random(42))
    rng = random.Random(42)
    assert new_code(rng) != new_code(rng)


def test_code_expires_ten_minutes_later() -> None:
    now = datetime(2027, 2, 3, 12, 0, tzinfo=UTC)
    assert code_expires_at(now) == datetime(2027, 2, 3, 12, 10, tzinfo=UTC)
    assert code_expires_at(now) - now == timedelta(minutes=10)


CODE = "coach-7KQ2-MX9D"


@pytest.mark.parametrize(
    "profile",
    [
        "coach-7KQ2-MX9D",
        "Alice\nStudying for interviews. coach-7KQ2-MX9D",
        "Alice\ncoach-7kq2-mx9d",  # case
        "Alice\nCOACH-7KQ2-MX9D",
        "Alice\n  coach - 7KQ2 - MX9D  ",  # whitespace
        "Alice\ncoach-7KQ2-\nMX9D",  # a line break inside
        "Alice\ncoach\t7KQ2 MX9D",  # spaces instead of dashes
        "Alice\ncoach–7KQ2—MX9D",  # typographic dashes from a phone keyboard
        "Alice\nｃｏａｃｈ－７ＫＱ２－ＭＸ９Ｄ",  # full-width characters
        "(coach-7KQ2-MX9D)\n",
    ],
)
def test_code_present(profile: str) -> None:
    assert code_present(profile, CODE)


@pytest.mark.parametrize(
    "profile",
    [
        "",
        "\n",
        "Alice\nStudying for interviews.",
        "Alice\ncoach-7KQ2-MX9E",  # another code
        "Alice\ncoach-7KQ2",  # half a code
        "Alice\n7KQ2-MX9D",  # without the prefix
    ],
)
def test_code_absent(profile: str) -> None:
    assert not code_present(profile, CODE)


def test_empty_code_never_matches() -> None:
    assert not code_present("anything", "")
    assert not code_present("anything", " - ")
