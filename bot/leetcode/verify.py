"""Account verification codes: the member puts a code in their public LeetCode profile.

Pure: randomness and the current time are injected. Pass ``random.SystemRandom()`` in
production so codes cannot be predicted from earlier ones.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import datetime, timedelta
from typing import Final

CODE_PREFIX: Final = "coach"
CODE_ALPHABET: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_GROUPS: Final = 2
CODE_GROUP_LENGTH: Final = 4
CODE_LIFETIME: Final = timedelta(minutes=10)


def new_code(rng: random.Random) -> str:
    """A fresh code such as ``coach-7KQ2-MX9D`` (40 random bits)."""
    groups = (
        "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join((CODE_PREFIX, *groups))


def code_expires_at(now: datetime) -> datetime:
    """When a code issued at ``now`` stops being accepted."""
    return now + CODE_LIFETIME


def code_present(profile_text: str, code: str) -> bool:
    """Whether ``code`` appears in the profile text.

    Case-insensitive and tolerant of whitespace and separators: only letters and digits are
    compared, after Unicode NFKC normalisation, so ``COACH 7kq2 – mx9d`` (spaces, an en dash,
    a line break, full-width characters) still matches ``coach-7KQ2-MX9D``.
    """
    needle = _letters_and_digits(code)
    return bool(needle) and needle in _letters_and_digits(profile_text)


def _letters_and_digits(text: str) -> str:
    normalised = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in normalised if ch.isalnum())
