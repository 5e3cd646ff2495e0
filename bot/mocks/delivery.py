"""Peer mock messages to Discord: DMs, the pair's thread, scheduled events and packets.

Every function here reports failure by its return value (``None`` / ``False``) instead of
raising on Discord errors: a closed DM or a missing permission changes the route (the pair's
thread, ``/mocks status``), never the stored state.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from typing import Any

import discord

from bot.mocks import packets
from bot.mocks.models import MockPair, MockSession
from bot.mocks.render import feedback_report, packet_report
from bot.mocks.sessions import set_event
from bot.models import Member
from bot.render.fit import (
    CONTENT_MAX,
    OutMessage,
    Report,
    ensure_fits,
    fit,
    shorten,
    text_messages,
)
from bot.runtime.host import Host

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
EVENT_LENGTH = timedelta(minutes=60)


def nonce(*parts: object) -> str:
    """A send nonce (≤ 25 characters) derived from what is sent: a retry is deduplicated."""
    return "mock" + hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:21]


async def _user(client: Host, user_id: int) -> discord.User | None:
    try:
        return client.get_user(user_id) or await client.fetch_user(user_id)
    except discord.HTTPException:
        return None


async def dm_messages(
    client: Host,
    user_id: int,
    messages: list[OutMessage],
    *,
    view: discord.ui.View | None = None,
    key: str | None = None,
) -> discord.Message | None:
    """Send fitted messages by DM (``view`` under the last); the last message, or ``None``
    when the DM could not be delivered."""
    user = await _user(client, user_id)
    if user is None:
        return None
    last = None
    try:
        for i, out in enumerate(messages):
            ensure_fits(out)
            kwargs: dict[str, Any] = {
                "content": out.content,
                "embeds": list(out.embeds),
                "allowed_mentions": NO_MENTIONS,
            }
            if view is not None and i == len(messages) - 1:
                kwargs["view"] = view
            if key:
                kwargs["nonce"] = nonce(key, user_id, i)
            last = await user.send(**kwargs)
    except discord.HTTPException as exc:
        log.info("could not DM user %s (%s)", user_id, exc.status)
        return None
    return last


async def dm(
    client: Host,
    user_id: int,
    text: str,
    *,
    view: discord.ui.View | None = None,
    key: str | None = None,
) -> discord.Message | None:
    return await dm_messages(client, user_id, text_messages(text), view=view, key=key)


async def thread_of(client: Host, pair: MockPair) -> discord.Thread | None:
    if pair.thread_id is None:
        return None
    channel = client.get_channel(pair.thread_id)
    if channel is None:
        try:
            channel = await client.fetch_channel(pair.thread_id)
        except discord.HTTPException:
            return None
    return channel if isinstance(channel, discord.Thread) else None


async def notify(
    client: Host,
    pair: MockPair,
    member: Member,
    text: str,
    *,
    view: discord.ui.View | None = None,
    key: str | None = None,
) -> bool:
    """Tell one member of a pair something: in the pair's thread (mentioning them) when
    there is one, else by DM. False when neither worked."""
    thread = await thread_of(client, pair)
    if thread is not None:
        try:
            kwargs: dict[str, Any] = {
                "allowed_mentions": discord.AllowedMentions(users=[discord.Object(member.user_id)]),
            }
            if view is not None:
                kwargs["view"] = view
            if key:
                kwargs["nonce"] = nonce(key, member.user_id)
            await thread.send(shorten(f"<@{member.user_id}> {text}", CONTENT_MAX), **kwargs)
            return True
        except discord.HTTPException as exc:
            log.info("could not post in mock thread %s (%s)", pair.thread_id, exc.status)
    return await dm(client, member.user_id, text, view=view, key=key) is not None


async def send_packet(client: Host, session: MockSession, now: datetime) -> bool:
    """DM the interviewer the session's packet; False when their DMs are closed."""
    packet = await packets.packet_for(session, client.curriculum, now)
    report = packet_report(
        packet,
        client.curriculum.mocks,
        session.interviewee,
        session.starts_at,
        session.number,
    )
    sent = await dm_messages(
        client,
        session.interviewer.user_id,
        fit(report),
        key=f"packet:{session.id}:{session.topic}",
    )
    return sent is not None


async def send_packet_once(client: Host, session: MockSession, now: datetime) -> bool | None:
    """The automatic packet on confirmation, claimed once (``None``: already handled)."""
    if not await packets.claim_packet(session.id):
        return None
    ok = await send_packet(client, session, now)
    await packets.mark_packet(session.id, "sent" if ok else "failed")
    return ok


async def send_feedback(
    client: Host, session: MockSession, notes: str, view: discord.ui.View | None
) -> bool:
    report: Report = feedback_report(session, notes, client.curriculum.mocks)
    sent = await dm_messages(
        client, session.interviewee.user_id, fit(report), view=view, key=f"feedback:{session.id}"
    )
    return sent is not None


async def create_event(client: Host, session: MockSession, guild_id: int) -> int | None:
    """A Discord scheduled event for a confirmed session, when the bot may create one."""
    guild = client.get_guild(guild_id)
    if guild is None or guild.me is None or session.starts_at is None:
        return None
    if not guild.me.guild_permissions.manage_events:
        return None
    er, ee = session.interviewer, session.interviewee
    title = (
        f"Peer mock: {(er.display_name or 'member')[:30]} ↔ {(ee.display_name or 'member')[:30]}"
    )
    try:
        event = await guild.create_scheduled_event(
            name=title[:100],
            start_time=session.starts_at,
            end_time=session.starts_at + EVENT_LENGTH,
            entity_type=discord.EntityType.external,
            privacy_level=discord.PrivacyLevel.guild_only,
            location="Private thread / DMs with StudyCoach",
            description=f"Session {session.number} of 2 of a peer mock interview.",
        )
    except discord.HTTPException as exc:
        log.info("could not create a scheduled event in guild %s (%s)", guild_id, exc.status)
        return None
    await set_event(session.id, event.id)
    return event.id


async def delete_event(client: Host, guild_id: int, event_id: int) -> bool:
    """Delete a session's scheduled event (its time was given up); False when Discord
    refused (it is then left for the server's admins — it ends on its own)."""
    try:
        await client.http.delete_scheduled_event(guild_id, event_id, reason="Peer mock rescheduled")
    except discord.NotFound:
        return True  # deleted by someone already
    except discord.HTTPException as exc:
        log.info(
            "could not delete scheduled event %s in guild %s (%s)", event_id, guild_id, exc.status
        )
        return False
    return True
