"""Pages as HTML: Jinja2 templates (``bot/web/templates``) with autoescape on everywhere.

Every value is escaped by Jinja2, and the charts (:mod:`bot.web.svg`) escape their own text
before they are marked safe, so a display name like ``<script>`` is shown as text.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.resources import files

import jinja2
from markupsafe import Markup

from bot.core.roadmap import day_text
from bot.web import svg
from bot.web.cohort_view import CohortPage, summary_line
from bot.web.member_view import MemberPage

CSS_NAME = "progress.css"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("bot.web", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = _day
    env.filters["num"] = _num
    env.globals.update(
        heatmap_svg=svg.heatmap_svg,
        heatmap_legend=svg.heatmap_legend,
        solve_chart_svg=svg.solve_chart_svg,
        mocks_svg=svg.mocks_svg,
        summary_line=summary_line,
    )
    return env


def _day(value: date) -> str:
    return day_text(value)


def _num(value: float) -> str:
    return f"{value:.0f}"


@cache
def stylesheet() -> str:
    return (files("bot.web") / "static" / CSS_NAME).read_text(encoding="utf-8")


@cache
def icon() -> str:
    return (files("bot.web") / "static" / "icon.svg").read_text(encoding="utf-8")


def _style(css_href: str | None) -> dict[str, object]:
    """Link the served stylesheet, or (``None``: a file opened on its own) embed it."""
    if css_href is None:
        return {"css_href": None, "icon_href": None, "inline_css": Markup(stylesheet())}
    icon_href = css_href.rsplit("/", 1)[0] + "/icon.svg" if "/" in css_href else "icon.svg"
    return {"css_href": css_href, "icon_href": icon_href, "inline_css": None}


def render_cohort(page: CohortPage, *, css_href: str | None) -> str:
    return environment().get_template("cohort.html").render(page=page, **_style(css_href))


def render_member(page: MemberPage, *, css_href: str | None) -> str:
    return environment().get_template("member.html").render(page=page, **_style(css_href))
