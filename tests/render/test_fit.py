"""The one place that fits messages: limits hold, nothing is lost, tokens stay whole."""

from __future__ import annotations

import re

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.fit import (
    CONTENT_MAX,
    FIELD_VALUE_MAX,
    Attachment,
    OutMessage,
    Report,
    Section,
    fit,
    fit_text,
    shorten,
    size,
    split_line,
    split_text,
    violations,
)

TOKENS = st.sampled_from(
    [
        "<@123456789012345678>",
        "<@&123456789012345678>",
        "<#123456789012345678>",
        "<t:1800000000:R>",
        "[a link](https://leetcode.com/problems/two-sum/)",
        "`inline code`",
        "**bold words**",
        "||a spoiler||",
        "👩‍👩‍👧‍👦",
        "🇩🇪",
        "é",  # e + combining accent
        "word",
        "a-very-long-word-without-spaces" * 3,
    ]
)
LINES = st.lists(TOKENS, min_size=1, max_size=200).map(" ".join)
PROTECTED = re.compile(
    r"<@\d+>|<@&\d+>|<#\d+>|<t:\d+:R>|\[a link\]\([^)]*\)|`inline code`|\*\*bold words\*\*"
    r"|\|\|a spoiler\|\|"
)


@given(line=LINES, limit=st.integers(min_value=40, max_value=1024))
@settings(max_examples=150, deadline=None)
def test_split_line_keeps_tokens_whole_and_loses_nothing(line: str, limit: int) -> None:
    pieces = split_line(line, limit)
    assert all(0 < size(p) <= limit for p in pieces)
    assert "".join(pieces).replace(" ", "") == line.replace(" ", "")  # nothing lost
    whole = [m.group() for m in PROTECTED.finditer(line) if size(m.group()) <= limit]
    rejoined = [m.group() for p in pieces for m in PROTECTED.finditer(p)]
    for token in whole:  # no mention, link, code or bold span that fits a piece was cut
        assert token in rejoined
    for p in pieces:
        assert not p.startswith(("\u200d", "\u0301", "\ufe0f"))
        assert not p.endswith("\u200d")


@given(text=st.lists(LINES, min_size=1, max_size=30).map("\n".join))
@settings(max_examples=60, deadline=None)
def test_split_text_keeps_lines(text: str) -> None:
    pieces = split_text(text, FIELD_VALUE_MAX)
    assert all(size(p) <= FIELD_VALUE_MAX for p in pieces)
    for line in text.split("\n"):
        if size(line) <= FIELD_VALUE_MAX and line.strip():
            assert any(line in p.split("\n") for p in pieces)  # a line that fits stays whole


def test_size_counts_utf16_units() -> None:
    assert size("abc") == 3
    assert size("😀") == 2  # never less than Discord's count
    assert size("👩‍👩‍👧‍👦") == 11


def test_shorten_cuts_between_words() -> None:
    assert shorten("short", 10) == "short"
    text = shorten("one two three four five", 12)
    assert text == "one two…" and size(text) <= 12


def test_fit_text_splits_long_content() -> None:
    parts = fit_text("word " * 1000)
    assert len(parts) == 3 and all(size(p) <= CONTENT_MAX for p in parts)
    assert fit_text("") == ["\u200b"]


@given(
    sections=st.lists(
        st.tuples(
            st.text(min_size=0, max_size=300),
            st.lists(LINES, min_size=0, max_size=40),
            st.one_of(st.none(), st.integers(min_value=1, max_value=30)),
        ),
        min_size=0,
        max_size=40,
    ),
    title=st.text(min_size=1, max_size=400),
    footer=st.one_of(st.none(), st.text(min_size=1, max_size=2500)),
    content=st.one_of(st.none(), LINES),
)
@settings(max_examples=80, deadline=None)
def test_any_report_fits_every_limit(
    sections: list[tuple[str, list[str], int | None]],
    title: str,
    footer: str | None,
    content: str | None,
) -> None:
    report = Report(
        title,
        [Section(name, lines, limit=limit) for name, lines, limit in sections],
        footer=footer,
        content=content,
    )
    messages = fit(report)
    assert messages
    for m in messages:
        assert violations(m) == [], violations(m)


def test_section_limit_summarises_the_tail() -> None:
    lines = [f"member {i}" for i in range(500)]
    (message,) = fit(Report("T", [Section("Members", lines, limit=5, more="…and {n} more")]))
    (field,) = message.embeds[0].fields
    assert field.value.splitlines() == [*lines[:5], "…and 495 more"]


def test_max_messages_bounds_a_runaway_report() -> None:
    lines = [f"line {i} " + "x" * 200 for i in range(2000)]
    messages = fit(Report("T", [Section("All", lines)], max_messages=2, overflow="…cut"))
    assert len(messages) == 2
    assert messages[-1].embeds[-1].fields[-1].value == "…cut"
    assert all(violations(m) == [] for m in messages)


def test_files_are_batched_under_the_upload_limit() -> None:
    files = [Attachment(f"f{i}.bin", b"x" * 400) for i in range(25)]
    messages = fit(Report("T", [Section("S", ["x"])], files=files), upload_limit=1000)
    assert [len(m.files) for m in messages] == [2] * 12 + [1]
    assert all(violations(m, upload_limit=1000) == [] for m in messages)


def test_violations_names_each_broken_limit() -> None:
    embed = discord.Embed(title="t" * 257, description="d" * 10)
    for i in range(26):
        embed.add_field(name=f"f{i}", value="v" * 1025)
    problems = violations(OutMessage(content="c" * 2001, embeds=[embed]))
    assert "content is 2001 > 2000" in problems
    assert "embeds.0.title is 257 > 256" in problems
    assert "embeds.0 has 26 fields > 25" in problems
    assert "embeds.0.fields.0.value is empty or > 1024" in problems
    assert any(p.startswith("embeds total") for p in problems)
