"""Peer mock interviews: opt in, weekly matching, private threads, packets and feedback.

``models`` (tables), ``service`` (database work), ``render`` (what messages say), ``ui``
(persistent buttons, the time select and the feedback form), ``runner`` (the background
job: matching what is due, reminders, closing stale sessions). The pure rules live in
``bot.core.mock_windows``, ``bot.core.mock_matching`` and ``bot.core.mock_packets``.
"""
