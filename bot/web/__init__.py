"""The progress page in the browser: a cohort's season and a member's own page.

Server-rendered HTML (aiohttp + Jinja2, autoescaped) with inline SVG charts, reached only
through unguessable links (:mod:`bot.web.links`). ``bot.web.cohort_view`` and
``bot.web.member_view`` build the pages' view models (pure), ``bot.web.data`` reads them from
the database with a fixed number of statements, ``bot.web.app`` serves them (``WEB_PORT``).
"""
