"""The voice tracker: study-room sessions from voice events, reconciled with the rooms.

A background service (``voice``). The voice cog feeds it every voice state update and the
connection's life cycle (ready, resumed, disconnect); it

* opens and closes sessions on events (:class:`bot.core.voice.Mode.EVENT`);
* reconciles the database with who is in the rooms at start-up and after every reconnect
  (``STARTUP``) and every :data:`~bot.core.voice.HEARTBEAT` while connected (``HEARTBEAT``),
  which also keeps each open session's ``last_seen_at`` fresh — the moment a session is
  closed at when the bot lost sight of its member;
* marks blocks attended from time in a room (on close, and for long stays on the heartbeat).

Work of one server is serialised by a lock, so an event and a heartbeat never interleave.
Time comes from the host's injected clock; the loop only decides *when* to look.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

import discord

from bot.core.voice import HEARTBEAT, Mode, OpenSession, Plan, Seen, reconcile
from bot.runtime.host import Host
from bot.scheduling.watchdog import SupervisedTask
from bot.services import study_rooms
from bot.services import voice as svc
from bot.services.study_rooms import Room
from bot.sessions.models import VoiceSession

log = logging.getLogger(__name__)
CLOCK_TTL = timedelta(minutes=5)  # a cohort's calendar and room setting are re-read this often


def _open(session: VoiceSession) -> OpenSession:
    return OpenSession(
        session.id,
        session.member.user_id,
        session.channel_id,
        session.last_seen_at,
        session.deaf_since is not None,
    )


class VoiceTracker:
    name = "voice"

    def __init__(self, host: Host) -> None:
        self.host = host
        self._heartbeat = SupervisedTask("voice-heartbeat", self._beat)
        self._rooms: dict[int, dict[int, Room]] = {}  # guild id → channel id → room
        self._clocks: dict[int, tuple[datetime, svc.CohortClock | None]] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        # Disconnected shards (None: the whole client); not connected until READY.
        self._down: set[int | None] = {None}
        self.events = 0  # voice events handled (for the benchmark and logs)

    # -- service -------------------------------------------------------------------------
    async def start(self) -> None:
        await self._heartbeat.start()

    async def stop(self) -> None:
        await self._heartbeat.stop()

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT.total_seconds())
            if self.host.is_ready():
                await self.heartbeat()

    # -- connection ----------------------------------------------------------------------
    def disconnected(self, shard_id: int | None = None) -> None:
        """Events may be missed from now on: the heartbeat stops vouching for these guilds."""
        self._down.add(shard_id)

    def connected(self, shard_id: int | None = None) -> None:
        if shard_id is None:
            self._down.clear()
        else:
            self._down.discard(shard_id)
            if not any(s is not None for s in self._down):
                self._down.discard(None)

    def watching(self, guild: discord.Guild) -> bool:
        return None not in self._down and guild.shard_id not in self._down

    # -- caches --------------------------------------------------------------------------
    async def rooms(self, guild_id: int) -> dict[int, Room]:
        cached = self._rooms.get(guild_id)
        if cached is None:
            cached = {r.channel_id: r for r in await study_rooms.rooms_in_guild(guild_id)}
            self._rooms[guild_id] = cached
        return cached

    def forget_rooms(self, guild_id: int) -> None:
        self._rooms.pop(guild_id, None)

    async def clock_for(self, cohort_id: int | None) -> svc.CohortClock | None:
        if cohort_id is None:
            return None
        now = self.host.clock()
        cached = self._clocks.get(cohort_id)
        if cached is not None and now - cached[0] < CLOCK_TTL:
            return cached[1]
        clock = await svc.cohort_clock(cohort_id, self.host.curriculum)
        self._clocks[cohort_id] = (now, clock)
        return clock

    def forget_cohort(self, cohort_id: int) -> None:
        self._clocks.pop(cohort_id, None)

    async def remove_room(self, guild: discord.Guild, channel_id: int) -> Room | None:
        """Stop counting a room: its open sessions end now, then it is forgotten."""
        room = (await self.rooms(guild.id)).get(channel_id)
        if room is None:
            return None
        async with self.lock(guild.id):
            now = self.host.clock()
            for session in await svc.open_sessions([room.guild_config_id]):
                if session.channel_id == channel_id:
                    clock = await self.clock_for(session.cohort_id)  # type: ignore[attr-defined]
                    await svc.close_session(
                        session, now, "removed", clock, self.host.curriculum, now
                    )
            removed = await study_rooms.remove_room(guild.id, channel_id)
            self.forget_rooms(guild.id)
        return removed

    def lock(self, guild_id: int) -> asyncio.Lock:
        return self._locks.setdefault(guild_id, asyncio.Lock())

    # -- events --------------------------------------------------------------------------
    async def on_voice_state(
        self,
        guild: discord.Guild,
        user_id: int,
        before: int | None,
        after: int | None,
        deaf: bool,
    ) -> None:
        """A member joined, left, moved or (un)deafened: ``before`` / ``after`` channel ids."""
        rooms = await self.rooms(guild.id)
        if before not in rooms and after not in rooms:
            return  # not about a study room (the fast path of every other voice event)
        self.events += 1
        config_id = next(iter(rooms.values())).guild_config_id
        async with self.lock(guild.id):
            now = self.host.clock()
            sessions = await svc.open_session_of_user(config_id, user_id)
            present = {user_id: Seen(after, deaf)} if after in rooms else {}
            # While the gateway is away, events come late (replayed on resume): their time
            # is unknown, so they never count beyond the last moment the bot saw the member.
            mode = Mode.EVENT if self.watching(guild) else Mode.REPLAY
            plan = reconcile([_open(s) for s in sessions], present, now, mode)
            await self._apply(rooms, sessions, plan, now)

    # -- reconciling ---------------------------------------------------------------------
    def present(self, guild: discord.Guild, rooms: dict[int, Room]) -> dict[int, Seen]:
        """Who the gateway cache shows in the rooms right now (bots excluded)."""
        out: dict[int, Seen] = {}
        for channel_id in rooms:
            channel = guild.get_channel(channel_id)
            if not isinstance(channel, discord.VoiceChannel | discord.StageChannel):
                continue
            for user_id, state in channel.voice_states.items():
                member = guild.get_member(user_id)
                if member is not None and member.bot:
                    continue
                out[user_id] = Seen(channel_id, bool(state.self_deaf))
        return out

    async def reconcile_guild(self, guild: discord.Guild, mode: Mode) -> Plan | None:
        """Make the open sessions of one server match its rooms (see :func:`reconcile`)."""
        rooms = await self.rooms(guild.id)
        async with self.lock(guild.id):
            now = self.host.clock()
            if not rooms:  # no study rooms (removing one closes its sessions first)
                return None
            sessions = await svc.open_sessions([next(iter(rooms.values())).guild_config_id])
            plan = reconcile([_open(s) for s in sessions], self.present(guild, rooms), now, mode)
            await self._apply(rooms, sessions, plan, now)
            if mode is Mode.HEARTBEAT:
                await self._check_running(sessions, plan, now)
            return plan

    async def preload(self) -> None:
        """Every server's rooms in one statement (servers without rooms cost nothing then)."""
        found = await study_rooms.all_rooms()
        for guild in self.host.guilds:
            rooms = found.get(guild.id, [])
            self._rooms[guild.id] = {r.channel_id: r for r in rooms}

    async def reconcile_all(self, mode: Mode, shard_id: int | None = None) -> None:
        """Every server this process sees (of one shard, when given), one at a time."""
        if mode is Mode.STARTUP:
            try:
                await self.preload()
            except Exception:  # each server then loads its own rooms
                log.exception("voice: loading the study rooms failed")
        for guild in list(self.host.guilds):
            if shard_id is not None and guild.shard_id != shard_id:
                continue
            if mode is Mode.HEARTBEAT and not self.watching(guild):
                continue
            try:
                await self.reconcile_guild(guild, mode)
            except Exception:  # one server's trouble never stops the others
                log.exception("voice: reconciling guild %s failed", guild.id)

    async def heartbeat(self) -> None:
        await self.reconcile_all(Mode.HEARTBEAT)

    # -- applying a plan -----------------------------------------------------------------
    async def _apply(
        self,
        rooms: dict[int, Room],
        sessions: Iterable[VoiceSession],
        plan: Plan,
        now: datetime,
    ) -> None:
        by_id = {s.id: s for s in sessions}
        for session_id, at, reason in plan.close:
            session = by_id[session_id]
            clock = await self.clock_for(session.cohort_id)  # type: ignore[attr-defined]
            await svc.close_session(session, at, reason, clock, self.host.curriculum, now)
        await svc.touch(plan.keep, now)
        for session_id, deaf in plan.deaf:
            await svc.set_deaf(by_id[session_id], deaf, now)
        wanted: dict[int, list[tuple[int, Seen]]] = {}
        for user_id, seen in plan.open:
            room = rooms.get(seen.channel_id)
            if room is not None:
                wanted.setdefault(room.cohort_id, []).append((user_id, seen))
        for cohort_id, people in wanted.items():
            config_id = next(iter(rooms.values())).guild_config_id
            found = await svc.studiers(config_id, cohort_id, [u for u, _ in people])
            for user_id, seen in people:
                studier = found.get(user_id)
                if studier is not None:
                    await svc.start_session(studier, rooms[seen.channel_id], seen.deaf, now)

    async def _check_running(
        self, sessions: Iterable[VoiceSession], plan: Plan, now: datetime
    ) -> None:
        kept = set(plan.keep)
        running = []
        for session in sessions:
            if session.id in kept:
                clock = await self.clock_for(session.cohort_id)  # type: ignore[attr-defined]
                if clock is not None:
                    running.append((session, clock))
        await svc.check_running(running, self.host.curriculum, now)


def voice_tracker(host: Host) -> VoiceTracker:
    """The registered tracker (registered on first use when background work is off)."""
    service = host.services.get(VoiceTracker.name)
    if isinstance(service, VoiceTracker):
        return service
    return host.services.add(VoiceTracker(host))
