"""The one place that sends scheduled messages to Discord."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from bot.models import Cohort
from bot.render.fit import CONTENT_MAX, OutMessage, ensure_fits, fit_text, shorten
from bot.scheduling.pipeline import SendFailed

log = logging.getLogger(__name__)
RECENT = 50  # how many recent channel messages a retry looks through


ATTEMPTS = 3  # per message, for rate limits and Discord's own 5xx hiccups
MAX_WAIT = 30.0  # seconds; a longer rate limit is recorded and retried at the next slot


def retry_delay(exc: discord.HTTPException, attempt: int) -> float | None:
    """How long to wait before retrying a failed send, or ``None`` to give up."""
    if attempt >= ATTEMPTS:
        return None
    if exc.status == 429:
        retry_after = getattr(exc, "retry_after", None) or 1.0
        return float(retry_after) if retry_after <= MAX_WAIT else None
    if exc.status >= 500:
        return 2.0 * attempt
    return None


class DiscordSender:
    def __init__(
        self,
        client: discord.Client,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.sleep = sleep  # injected: tests record the waits instead of sleeping

    async def _channel(self, cohort: Cohort) -> discord.abc.Messageable:
        channel = self.client.get_channel(cohort.channel_id)
        if channel is None:
            try:
                channel = await self.client.fetch_channel(cohort.channel_id)
            except discord.NotFound as exc:
                raise SendFailed(
                    "the channel was deleted — run /coach setup with a new one"
                ) from exc
            except discord.Forbidden as exc:
                raise SendFailed("I can't see the channel (missing View Channel)") from exc
            except discord.HTTPException as exc:
                raise SendFailed(
                    f"Discord error {exc.status} while looking up the channel"
                ) from exc
        if not isinstance(channel, discord.abc.Messageable):
            raise SendFailed("the configured channel is not a text channel")
        return channel

    async def send(
        self,
        cohort: Cohort,
        messages: Sequence[OutMessage],
        nonces: Sequence[str],
        *,
        user_ids: Sequence[int] = (),
    ) -> list[int]:
        """Send fitted messages in order, each with its nonce; mentions only ``user_ids``
        and the cohort's role."""
        channel = await self._channel(cohort)
        allowed = discord.AllowedMentions(
            everyone=False,
            users=[discord.Object(u) for u in user_ids] if user_ids else False,
            roles=[discord.Object(cohort.role_id)] if cohort.role_id else False,
        )
        ids: list[int] = []
        for out, nonce in zip(messages, nonces, strict=True):
            ensure_fits(out)
            files = True
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    extra: dict[str, Any] = {"view": out.view} if out.view is not None else {}
                    message = await channel.send(
                        content=out.content,
                        embeds=list(out.embeds),
                        files=out.discord_files() if files else [],  # fresh buffers each time
                        nonce=nonce,  # a retry with the same nonce is not a second message
                        allowed_mentions=allowed,
                        **extra,
                    )
                    break
                except discord.Forbidden as exc:
                    if files and out.files and attempt < ATTEMPTS:
                        # Without Attach Files the post still matters more than its chart.
                        log.warning("cohort %s: no Attach Files, sending without", cohort.id)
                        files = False
                        continue
                    raise SendFailed(
                        "missing permissions in the channel (need View Channel, Send Messages, "
                        "Embed Links, Attach Files)"
                    ) from exc
                except discord.NotFound as exc:
                    raise SendFailed(
                        "the channel was deleted — run /coach setup with a new one"
                    ) from exc
                except discord.HTTPException as exc:
                    wait = retry_delay(exc, attempt)
                    if wait is None:
                        raise SendFailed(
                            f"Discord error {exc.status}: {exc.text or 'no detail'}"
                        ) from exc
                    log.info(
                        "cohort %s: Discord %s, retrying in %.1f s", cohort.id, exc.status, wait
                    )
                    await self.sleep(wait)
            ids.append(message.id)
        return ids

    async def find_sent(self, cohort: Cohort, messages: Sequence[OutMessage]) -> list[int]:
        """The ids of the leading ``messages`` this bot already posted, oldest first.

        Matched by author and first embed title (titles name the date and slot), or by the
        text of a message without embeds, among the channel's recent messages.
        """
        channel = await self._channel(cohort)
        me = self.client.user.id if self.client.user else None

        def key(embeds: Sequence[discord.Embed], content: str | None) -> str | None:
            return embeds[0].title if embeds else content

        wanted = [key(m.embeds, m.content) for m in messages]
        mine: list[discord.Message] = []
        try:
            async for message in channel.history(limit=RECENT):
                if message.author.id == me:
                    mine.append(message)
            mine.reverse()
        except discord.HTTPException as exc:
            raise SendFailed(f"Discord error {exc.status} while reading the channel") from exc
        for start, message in enumerate(mine):
            if key(message.embeds, message.content) != wanted[0]:
                continue
            found = [message.id]
            for want, later in zip(wanted[1:], mine[start + 1 :], strict=False):
                if key(later.embeds, later.content) != want:
                    break
                found.append(later.id)
            return found
        return []

    async def dm(self, user_id: int, text: str) -> bool:
        try:
            user = self.client.get_user(user_id) or await self.client.fetch_user(user_id)
            for part in fit_text(text):
                await user.send(part, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            return False
        return True

    async def notify_failure(self, cohort: Cohort, reason: str) -> None:
        name = discord.utils.escape_markdown(cohort.name)
        text = shorten(
            f"StudyCoach couldn't post for cohort **{name}**: {reason}. "
            "I'll keep trying at the next scheduled time; `/coach status` shows the details.",
            CONTENT_MAX,
        )
        none = discord.AllowedMentions.none()
        try:
            user = self.client.get_user(cohort.setup_user_id) or await self.client.fetch_user(
                cohort.setup_user_id
            )
            await user.send(text, allowed_mentions=none)
            return
        except discord.HTTPException:
            log.info("cohort %s: could not DM the admin, trying the system channel", cohort.id)
        await cohort.fetch_related("guild")
        guild = self.client.get_guild(cohort.guild.guild_id)
        channel = guild.system_channel if guild is not None else None
        if channel is None:
            log.warning("cohort %s: no way to tell the admin: %s", cohort.id, reason)
            return
        try:
            await channel.send(text, allowed_mentions=none)
        except discord.HTTPException:
            log.warning("cohort %s: no way to tell the admin: %s", cohort.id, reason)
