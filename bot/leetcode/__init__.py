"""LeetCode integration: link an account, import accepted solves automatically.

Pure, Discord- and database-free (session, clock and randomness passed in): ``client``,
``errors``, ``transport``, ``wire``, ``policy``, ``verify`` — their public names re-exported
here. The bot side, imported explicitly:
``models`` (tables), ``importer`` (submissions → entries, ``complete_imported``),
``polling`` (one poll of one link), ``service`` (paced clients, the global pause, the loop,
``polling_status``) and ``linking`` (what ``/leetcode`` answers).
"""

from bot.leetcode.client import (
    CN_BASE_URL,
    DEFAULT_BASE_URL,
    USER_AGENT,
    AcceptedSubmission,
    Difficulty,
    LeetCodeClient,
    QuestionMeta,
    Site,
)
from bot.leetcode.errors import (
    BadResponse,
    Blocked,
    LeetCodeError,
    QuestionNotFound,
    RateLimited,
    UserNotFound,
)
from bot.leetcode.policy import (
    RequestPacer,
    backoff_delay,
    block_pause,
    gap_suspected,
    next_poll_delay,
)
from bot.leetcode.verify import code_expires_at, code_present, new_code

__all__ = [
    "CN_BASE_URL",
    "DEFAULT_BASE_URL",
    "USER_AGENT",
    "AcceptedSubmission",
    "BadResponse",
    "Blocked",
    "Difficulty",
    "LeetCodeClient",
    "LeetCodeError",
    "QuestionMeta",
    "QuestionNotFound",
    "RateLimited",
    "RequestPacer",
    "Site",
    "UserNotFound",
    "backoff_delay",
    "block_pause",
    "code_expires_at",
    "code_present",
    "gap_suspected",
    "new_code",
    "next_poll_delay",
]
