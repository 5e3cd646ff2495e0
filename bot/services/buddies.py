"""Accountability buddies: an ask, the partner's button, at most one buddy each.

* An ask is a request row that becomes *pending* only once its post (with the buttons) went
  out: the row is created as ``asking``, the post is sent, then it turns ``pending``; a failed
  post deletes it. A button press proves the post exists, so ``asking`` rows answer too.
* A request is open for ``ASK_LIFETIME`` (then it expires) and the requester can withdraw it.
* Cooldowns: one ask to the same member per ``SAME_MEMBER_COOLDOWN``, at most
  ``ASKS_PER_DAY`` asks in any 24 hours.
* Nobody ever has two buddies: activating a pair creates both members' ``BuddySeat`` rows in
  the same transaction, and a seat is unique per member, so the database refuses the second
  of two simultaneous accepts. ``/buddy end`` removes the seats.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from discord.utils import escape_markdown
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.errors import UserFacingError
from bot.models import Buddy, BuddySeat, BuddyStatus, Member

log = logging.getLogger(__name__)

ASK_LIFETIME = timedelta(hours=48)
SAME_MEMBER_COOLDOWN = timedelta(hours=24)
ASKS_PER_DAY = 3
DAY = timedelta(hours=24)
ANSWERABLE = (BuddyStatus.ASKING, BuddyStatus.PENDING)  # a press on a posted ask
_ask_locks: dict[int, asyncio.Lock] = {}  # one ask at a time per requester (double clicks)


def ts(moment: datetime, style: str = "R") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def name_of(member: Member) -> str:
    return escape_markdown(member.display_name or "someone")


def _either(member_id: int) -> Q:
    return Q(requester_id=member_id) | Q(partner_id=member_id)


async def current_pair(member_id: int) -> Buddy | None:
    return (
        await Buddy.filter(_either(member_id), status=BuddyStatus.ACTIVE)
        .select_related("requester", "partner")
        .first()
    )


def _open(now: datetime) -> Q:
    """Pending requests not yet expired at ``now``."""
    return Q(status=BuddyStatus.PENDING, created_at__gt=now - ASK_LIFETIME)


async def expire_stale(member_id: int, now: datetime) -> None:
    """Mark this member's requests older than ``ASK_LIFETIME`` as expired (bookkeeping)."""
    await Buddy.filter(
        _either(member_id), status__in=list(ANSWERABLE), created_at__lte=now - ASK_LIFETIME
    ).update(status=BuddyStatus.EXPIRED, responded_at=now)


async def request_allowed(requester: Member, partner: Member, now: datetime) -> None:
    """Raise a clear error when these two can't be paired now (checked before asking)."""
    if partner.id == requester.id:
        raise UserFacingError("You can't be your own buddy — pick someone from your cohort.")
    same_cohort = partner.cohort_id == requester.cohort_id  # type: ignore[attr-defined]
    if partner.left_at is not None or not same_cohort:
        raise UserFacingError("Buddies study in the same cohort — they need to `/join` it first.")
    for who, name in ((requester, "You already have"), (partner, "They already have")):
        if await current_pair(who.id) is not None:
            raise UserFacingError(f"{name} a buddy — `/buddy end` ends a pairing first.")
    between = Q(requester_id=requester.id, partner_id=partner.id) | Q(
        requester_id=partner.id, partner_id=requester.id
    )
    if await Buddy.filter(between, _open(now)).exists():
        raise UserFacingError(
            "There's already an open buddy request between you two — it's waiting for an "
            "answer (`/buddy status`)."
        )
    recent = await Buddy.filter(
        requester_id=requester.id,
        created_at__gt=now - DAY,
        status__not=BuddyStatus.ASKING,
    ).values_list("partner_id", "created_at")
    same = [at for partner_id, at in recent if partner_id == partner.id]
    if same:
        raise UserFacingError(
            "You asked them less than a day ago — you can ask again "
            f"{ts(max(same) + SAME_MEMBER_COOLDOWN)}."
        )
    if len(recent) >= ASKS_PER_DAY:
        oldest = min(at for _, at in recent)
        raise UserFacingError(
            f"You've sent {ASKS_PER_DAY} buddy requests in the last 24 hours — you can send "
            f"another {ts(oldest + DAY)}."
        )


async def ask(
    requester: Member,
    partner: Member,
    now: datetime,
    post: Callable[[Buddy], Awaitable[None]],
) -> Buddy:
    """Ask ``partner``: ``post(pair)`` sends the ask with its buttons.

    The request is pending only once ``post`` returned; if it raises, the row is removed and
    the error propagates, so there is never a pending request nobody was shown.
    """
    lock = _ask_locks.setdefault(requester.id, asyncio.Lock())
    async with lock:
        await expire_stale(requester.id, now)
        await request_allowed(requester, partner, now)
        pair = await Buddy.create(
            requester=requester, partner=partner, created_at=now, status=BuddyStatus.ASKING
        )
        try:
            await post(pair)
        except BaseException:
            await _discard(pair.id)
            raise
        try:
            await Buddy.filter(id=pair.id, status=BuddyStatus.ASKING).update(
                status=BuddyStatus.PENDING
            )
        except Exception:  # the ask is out and its buttons work on an "asking" row too
            log.warning("buddy request %s stays 'asking'", pair.id, exc_info=True)
    if len(_ask_locks) > 10_000:
        _ask_locks.clear()
    pair.status = BuddyStatus.PENDING
    return pair


async def _discard(pair_id: int) -> None:
    try:
        await Buddy.filter(id=pair_id, status=BuddyStatus.ASKING).delete()
    except Exception:
        log.exception("could not remove unposted buddy request %s", pair_id)


@dataclass(frozen=True)
class Response:
    ok: bool
    message: str
    closed: bool = False  # not ok, but the request is settled: its buttons can go away


def _settled(pair: Buddy) -> Response:
    """Why a request can't be answered any more."""
    a = name_of(pair.requester)
    text = {
        BuddyStatus.WITHDRAWN: f"**{a}** withdrew this buddy request.",
        BuddyStatus.EXPIRED: (
            "This buddy request expired (requests stay open for 48 hours) — "
            "`/buddy ask` sends a new one."
        ),
    }.get(BuddyStatus(pair.status), "This request was already answered.")
    return Response(False, text, closed=True)


async def _either_paired(pair: Buddy) -> bool:
    """Whether one of the two already has a buddy (the fast, friendly check)."""
    return (
        await current_pair(pair.requester.id) is not None
        or await current_pair(pair.partner.id) is not None
    )


async def _activate(pair: Buddy, now: datetime) -> bool:
    """Pending → active with both seats, in one transaction; False if it can't be."""
    try:
        async with in_transaction():
            changed = await Buddy.filter(
                id=pair.id, status__in=list(ANSWERABLE), created_at__gt=now - ASK_LIFETIME
            ).update(status=BuddyStatus.ACTIVE, responded_at=now)
            if not changed:
                return False
            await BuddySeat.create(member_id=pair.requester.id, pair_id=pair.id)
            await BuddySeat.create(member_id=pair.partner.id, pair_id=pair.id)
    except IntegrityError:  # a seat is taken: someone got a buddy a moment ago
        return False
    return True


PAIRED_ALREADY = "One of you already has a buddy now — the request can't go on."


async def respond(pair_id: int, user_id: int, accept: bool, now: datetime) -> Response:
    """The partner's Accept / No thanks."""
    pair = await Buddy.get_or_none(id=pair_id).select_related("requester", "partner")
    if pair is None:
        return Response(False, "That request no longer exists.", closed=True)
    if pair.partner.user_id != user_id:
        return Response(False, "Only the person who was asked can answer this request.")
    if pair.status in ANSWERABLE and pair.created_at <= now - ASK_LIFETIME:
        await Buddy.filter(id=pair.id, status__in=list(ANSWERABLE)).update(
            status=BuddyStatus.EXPIRED, responded_at=now
        )
        pair.status = BuddyStatus.EXPIRED
    if pair.status not in ANSWERABLE:
        return _settled(pair)
    a, b = name_of(pair.requester), name_of(pair.partner)
    if not accept:
        changed = await Buddy.filter(id=pair.id, status__in=list(ANSWERABLE)).update(
            status=BuddyStatus.DECLINED, responded_at=now
        )
        if not changed:
            return await _settled_now(pair.id)
        return Response(True, f"**{b}** declined the buddy request from **{a}**.")
    if await _either_paired(pair):
        return Response(False, PAIRED_ALREADY)
    if not await _activate(pair, now):
        current = await Buddy.get_or_none(id=pair.id).select_related("requester", "partner")
        if current is not None and current.status not in ANSWERABLE:
            return _settled(current)
        return Response(False, PAIRED_ALREADY)
    return Response(True, f"🤝 **{a}** and **{b}** are accountability buddies now!")


async def _settled_now(pair_id: int) -> Response:
    current = await Buddy.get_or_none(id=pair_id).select_related("requester", "partner")
    if current is None:
        return Response(False, "That request no longer exists.", closed=True)
    return _settled(current)


async def withdraw_one(pair_id: int, user_id: int, now: datetime) -> Response:
    """The requester's Withdraw button on their ask."""
    pair = await Buddy.get_or_none(id=pair_id).select_related("requester", "partner")
    if pair is None:
        return Response(False, "That request no longer exists.", closed=True)
    if pair.requester.user_id != user_id:
        return Response(False, "Only the member who asked can withdraw this request.")
    changed = await Buddy.filter(
        id=pair.id, status__in=list(ANSWERABLE), created_at__gt=now - ASK_LIFETIME
    ).update(status=BuddyStatus.WITHDRAWN, responded_at=now)
    if not changed:
        return await _settled_now(pair.id)
    return Response(True, f"**{name_of(pair.requester)}** withdrew this buddy request.")


async def withdraw(requester: Member, partner: Member | None, now: datetime) -> list[Member]:
    """``/buddy withdraw``: the caller's open requests (to ``partner`` or all); who they were to."""
    query = Buddy.filter(_open(now), requester_id=requester.id)
    if partner is not None:
        query = query.filter(partner_id=partner.id)
    pairs = await query.select_related("partner")
    withdrawn = []
    for pair in pairs:
        if await Buddy.filter(id=pair.id, status=BuddyStatus.PENDING).update(
            status=BuddyStatus.WITHDRAWN, responded_at=now
        ):
            withdrawn.append(pair.partner)
    if not withdrawn:
        to = f" to **{name_of(partner)}**" if partner is not None else ""
        raise UserFacingError(f"You have no open buddy request{to} — nothing to withdraw.")
    return withdrawn


@dataclass(frozen=True)
class OpenRequests:
    sent: list[Buddy]  # partner loaded
    received: list[Buddy]  # requester loaded


async def open_requests(member_id: int, now: datetime, limit: int = 10) -> OpenRequests:
    """The member's open requests, newest first (at most ``limit`` each way)."""
    sent = (
        await Buddy.filter(_open(now), requester_id=member_id)
        .order_by("-created_at")
        .limit(limit)
        .select_related("partner")
    )
    received = (
        await Buddy.filter(_open(now), partner_id=member_id)
        .order_by("-created_at")
        .limit(limit)
        .select_related("requester")
    )
    return OpenRequests(sent, received)


async def end(member_id: int, now: datetime) -> Member:
    """End the member's pairing: the pair is ended and both seats are freed together."""
    pair = await current_pair(member_id)
    if pair is None:
        raise UserFacingError("You don't have a buddy right now — `/buddy ask` finds one.")
    async with in_transaction():
        await Buddy.filter(id=pair.id).update(status=BuddyStatus.ENDED, responded_at=now)
        await BuddySeat.filter(pair_id=pair.id).delete()
    return pair.partner if pair.requester.id == member_id else pair.requester
