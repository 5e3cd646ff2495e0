"""Accountability buddies: a request, the partner's button, one active buddy each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from discord.utils import escape_markdown
from tortoise.expressions import Q

from bot.errors import UserFacingError
from bot.models import Buddy, BuddyStatus, Member


def _either(member_id: int) -> Q:
    return Q(requester_id=member_id) | Q(partner_id=member_id)


async def current_pair(member_id: int) -> Buddy | None:
    return (
        await Buddy.filter(_either(member_id), status=BuddyStatus.ACTIVE)
        .select_related("requester", "partner")
        .first()
    )


async def request_allowed(requester: Member, partner: Member) -> None:
    """Raise a clear error when these two can't be paired now."""
    if partner.id == requester.id:
        raise UserFacingError("You can't be your own buddy — pick someone from your cohort.")
    same_cohort = partner.cohort_id == requester.cohort_id  # type: ignore[attr-defined]
    if partner.left_at is not None or not same_cohort:
        raise UserFacingError("Buddies study in the same cohort — they need to `/join` it first.")
    for who, name in ((requester, "You already have"), (partner, "They already have")):
        if await current_pair(who.id) is not None:
            raise UserFacingError(f"{name} a buddy — `/buddy end` ends a pairing first.")
    pending = await Buddy.filter(
        Q(requester_id=requester.id, partner_id=partner.id)
        | Q(requester_id=partner.id, partner_id=requester.id),
        status=BuddyStatus.PENDING,
    ).first()
    if pending is not None:
        raise UserFacingError("There's already an open buddy request between you two.")


async def request(requester: Member, partner: Member, now: datetime) -> Buddy:
    """A pending pair; the requester asked with a button, the partner answers with one."""
    await request_allowed(requester, partner)
    return await Buddy.create(requester=requester, partner=partner, created_at=now)


@dataclass(frozen=True)
class Response:
    ok: bool
    message: str


async def respond(pair_id: int, user_id: int, accept: bool, now: datetime) -> Response:
    pair = await Buddy.get_or_none(id=pair_id).select_related("requester", "partner")
    if pair is None:
        return Response(False, "That request no longer exists.")
    if pair.partner.user_id != user_id:
        return Response(False, "Only the person who was asked can answer this request.")
    if pair.status != BuddyStatus.PENDING:
        return Response(False, "This request was already answered.")
    if accept and (
        await current_pair(pair.requester.id) is not None
        or await current_pair(pair.partner.id) is not None
    ):
        return Response(False, "One of you already has a buddy now — the request can't go on.")
    status = BuddyStatus.ACTIVE if accept else BuddyStatus.DECLINED
    changed = await Buddy.filter(id=pair.id, status=BuddyStatus.PENDING).update(
        status=status, responded_at=now
    )
    if not changed:
        return Response(False, "This request was already answered.")
    a = escape_markdown(pair.requester.display_name or "someone")
    b = escape_markdown(pair.partner.display_name or "someone")
    if accept:
        return Response(True, f"🤝 **{a}** and **{b}** are accountability buddies now!")
    return Response(True, f"**{b}** declined the buddy request from **{a}**.")


async def end(member_id: int, now: datetime) -> Member:
    pair = await current_pair(member_id)
    if pair is None:
        raise UserFacingError("You don't have a buddy right now — `/buddy ask` finds one.")
    await Buddy.filter(id=pair.id).update(status=BuddyStatus.ENDED, responded_at=now)
    return pair.partner if pair.requester.id == member_id else pair.requester
