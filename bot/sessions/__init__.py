"""Study sessions: block check-ins, voice study rooms and the micro-routine timer.

``models`` holds the tables; the background services (the voice tracker and the focus-timer
runner) live here too. Pure rules are in :mod:`bot.core.voice` and :mod:`bot.core.focus`,
database work in ``bot.services.attendance`` / ``voice`` / ``focus``.
"""
