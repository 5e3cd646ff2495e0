"""The peer mock background job: "run what is due at now", every minute.

1. **Matching** — each cohort whose weekly matching time has passed this local week and
   whose round isn't claimed yet is matched (the round row is the claim), and the channel
   gets one short announcement.
2. **Posting pairs** — each new pair gets a private thread in the cohort channel with both
   members added and mentioned, an introduction (the overlapping windows in each one's zone)
   and one card per session. When private threads are not possible (the bot lacks Create
   Private Threads or Send Messages in Threads, or the channel can't have them) both members
   get the same by DM, with the reason. A member who left the server cancels the pair; the
   other is first in line next week.
3. **Reminders** — 15 minutes before each confirmed session, a DM to both (the thread when a
   DM can't be delivered).
4. **Closing** — sessions nobody finished close quietly after a week.

Every step is claimed in the database first, so two processes, a restart or a double fire
never send anything twice. Time decisions use the injected clock (``host.clock()``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

import discord

from bot.core.text import plural
from bot.mocks import delivery, matching_service
from bot.mocks.models import MockPair, PairStatus
from bot.mocks.render import intro_text, name, reminder_text
from bot.mocks.sessions import claim_reminders, close_stale, mark_reminded
from bot.mocks.ui import card
from bot.models import Cohort, Member
from bot.runtime.host import Host
from bot.services.cohorts import member_zone
from bot.shards import ShardScope

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week: the pairing's lifetime


@dataclass
class RunReport:
    rounds: int = 0
    pairs_posted: int = 0
    reminders: int = 0
    closed: int = 0
    threads: int = 0
    dm_pairs: int = 0
    cancelled: int = 0
    notes: list[str] = field(default_factory=list)


def thread_blocker(channel: object, guild: discord.Guild | None) -> str | None:
    """Why a private thread can't be opened in the cohort channel (``None``: it can)."""
    if guild is None or guild.me is None:
        return "I can't see the server right now"
    if not isinstance(channel, discord.TextChannel):
        return "the cohort channel can't have private threads"
    perms = channel.permissions_for(guild.me)
    missing = [
        label
        for flag, label in (
            ("view_channel", "View Channel"),
            ("create_private_threads", "Create Private Threads"),
            ("send_messages_in_threads", "Send Messages in Threads"),
        )
        if not getattr(perms, flag)
    ]
    if missing:
        return f"I'm missing **{', '.join(missing)}** in #{channel.name}"
    return None


class MockRunner:
    """Matching, posting, reminders and closing for the cohorts of this process's shards."""

    def __init__(self, host: Host) -> None:
        self.host = host

    def owns(self, guild_id: int) -> bool:
        return ShardScope.of(self.host.settings).owns(guild_id)

    async def run_due(self) -> RunReport:
        now = self.host.clock()
        report = RunReport()
        cohorts = [
            c for c in await matching_service.cohorts_with_opt_ins() if self.owns(c.guild.guild_id)
        ]
        for cohort, monday in await matching_service.due_weeks(cohorts, now):
            try:  # one cohort's trouble never stops the others, the posts or the reminders
                round_ = await matching_service.claim_round(cohort, monday, now)
                if round_ is None:
                    continue
                result = await matching_service.run_matching(round_, cohort, now)
                report.rounds += 1
                await self._announce(cohort, result)
                await self._tell_left_out(result)
            except Exception:  # the claim goes stale and is retried
                log.exception("mock matching of cohort %s failed", cohort.id)
        for pair in await matching_service.claim_pairs(now, self.owns):
            try:
                await self._post_pair(pair, now, report)
            except Exception:  # one pair's trouble never stops the others
                log.exception("mock pair %s: posting failed", pair.id)
        await self._remind(now, report)
        report.closed = await close_stale(now)
        return report

    # -- matching ------------------------------------------------------------------------
    async def _announce(self, cohort: Cohort, result: matching_service.RoundResult) -> None:
        """One line in the cohort channel: how many pairs, where to look (once per round)."""
        if not result.pairs:  # the members left without a partner hear it by DM
            return
        if not await matching_service.mark_announced(result.round.id):
            return
        channel = self.host.get_channel(cohort.channel_id)
        guild = self.host.get_guild(cohort.guild.guild_id)
        if not isinstance(channel, discord.abc.Messageable):
            return
        where = "your private thread here"
        blocker = thread_blocker(channel, guild)
        if blocker is not None:
            where = f"your DMs ({blocker}, so no private threads)"
        lines = [
            f"🎤 **Peer mocks this week:** {plural(len(result.pairs), 'pair')} matched — "
            f"look for {where}."
        ]
        if result.waiting:
            lines.append(
                f"{plural(len(result.waiting), 'member')} without a partner this time "
                "are first in line next week."
            )
        lines.append("`/mocks join` to take part, `/mocks status` to see yours.")
        try:
            await channel.send(
                "\n".join(lines),
                allowed_mentions=NO_MENTIONS,
                nonce=delivery.nonce("announce", result.round.id),
            )
        except discord.HTTPException:
            log.info("could not announce mock round %s", result.round.id)

    async def _tell_left_out(self, result: matching_service.RoundResult) -> None:
        for member in result.sat_out:
            await delivery.dm(
                self.host,
                member.user_id,
                "🎤 You're sitting out this week's peer mock matching: you were reported as a "
                "no-show twice in a row. You're back in next week — `/mocks pause` if you "
                "need a break.",
                key=f"satout:{result.round.id}",
            )
        for member in result.waiting:
            await delivery.dm(
                self.host,
                member.user_id,
                "🎤 No peer mock partner for you this week (an odd number, or nobody's windows "
                "and kinds overlapped with yours). You're first in line next week; more "
                "windows in `/mocks join` make a match likelier.",
                key=f"waiting:{result.round.id}",
            )

    # -- posting a pair ------------------------------------------------------------------
    async def _present(self, guild: discord.Guild | None, user_id: int) -> bool:
        if guild is None or guild.get_member(user_id) is not None:
            return True
        try:
            await guild.fetch_member(user_id)
        except discord.NotFound:
            return False
        except discord.HTTPException:
            return True
        return True

    async def _post_pair(self, pair: MockPair, now: datetime, report: RunReport) -> None:
        cohort = pair.round.cohort
        guild = self.host.get_guild(cohort.guild.guild_id)
        a, b = pair.member_a, pair.member_b
        for gone, other in ((a, b), (b, a)):
            if not await self._present(guild, gone.user_id):
                await matching_service.cancel_pair(pair, gone, now)
                await delivery.dm(
                    self.host,
                    other.user_id,
                    f"🎤 Your peer mock partner this week, **{name(gone)}**, has left the "
                    "server — sorry! You're first in line in next week's matching.",
                    key=f"cancelled:{pair.id}",
                )
                report.cancelled += 1
                return
        sessions = await matching_service.pair_sessions(pair.id)
        for s in sessions:  # the cards read the cohort through the pair
            s.pair = pair
        zones = (member_zone(a, cohort), member_zone(b, cohort))
        overlap = matching_service.overlap_of(pair)
        channel = self.host.get_channel(cohort.channel_id)
        blocker = thread_blocker(channel, guild)
        thread = await delivery.thread_of(self.host, pair)
        if thread is None and blocker is None and isinstance(channel, discord.TextChannel):
            thread, blocker = await self._open_thread(channel, pair, a, b)
        if thread is not None:
            text = intro_text(a, b, zones, pair.kind, overlap, mention=True)
            await thread.send(
                text,
                allowed_mentions=discord.AllowedMentions(
                    users=[discord.Object(a.user_id), discord.Object(b.user_id)]
                ),
                nonce=delivery.nonce("intro", pair.id),
            )
            for s in sessions:
                body, view = card(s, now)
                await thread.send(
                    body,
                    view=view or discord.utils.MISSING,
                    allowed_mentions=NO_MENTIONS,
                    nonce=delivery.nonce("card", s.id),
                )
            report.threads += 1
        else:
            note = (
                f"_(We're meeting in DMs: {blocker or 'no private thread was possible'} — "
                "a server admin can grant it.)_"
            )
            for member in (a, b):
                text = intro_text(a, b, zones, pair.kind, overlap, mention=False, note=note)
                got = await delivery.dm(self.host, member.user_id, text, key=f"intro:{pair.id}")
                if got is None:
                    continue
                for s in sessions:
                    body, view = card(s, now)
                    await delivery.dm(
                        self.host, member.user_id, body, view=view, key=f"card:{s.id}"
                    )
            report.dm_pairs += 1
            report.notes.append(blocker or "")
        await matching_service.mark_pair(pair.id, PairStatus.OPEN)
        report.pairs_posted += 1

    async def _open_thread(
        self, channel: discord.TextChannel, pair: MockPair, a: Member, b: Member
    ) -> tuple[discord.Thread | None, str | None]:
        title = (
            f"Peer mock · {(a.display_name or 'member')[:35]} & {(b.display_name or 'member')[:35]}"
        )
        try:
            thread = await channel.create_thread(
                name=title[:100],
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
        except discord.HTTPException as exc:
            log.info("could not open a private thread in %s (%s)", channel.id, exc.status)
            return None, f"Discord refused a private thread in #{channel.name} ({exc.status})"
        await matching_service.set_thread(pair.id, thread.id)
        pair.thread_id = thread.id
        for member in (a, b):
            try:
                await thread.add_user(discord.Object(member.user_id))
            except discord.HTTPException as exc:  # the mention in the intro adds them too
                log.info(
                    "could not add %s to thread %s (%s)", member.user_id, thread.id, exc.status
                )
        return thread, None

    # -- reminders -----------------------------------------------------------------------
    async def _remind(self, now: datetime, report: RunReport) -> None:
        for session in await claim_reminders(now, self.owns):
            assert session.starts_at is not None
            if session.starts_at <= now - timedelta(minutes=5):
                await mark_reminded(session.id, "skipped")  # too late to remind
                continue
            for member, role in ((session.interviewer, True), (session.interviewee, False)):
                text = reminder_text(session, role)
                got = await delivery.dm(
                    self.host, member.user_id, text, key=f"reminder:{session.id}"
                )
                if got is None and session.pair.thread_id is not None:
                    await delivery.notify(
                        self.host, session.pair, member, text, key=f"reminder:{session.id}"
                    )
            await mark_reminded(session.id)
            report.reminders += 1
