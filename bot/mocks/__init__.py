"""Peer mock interviews: opt in, weekly matching, private threads, packets and feedback.

``models`` (tables). Database work: ``profiles`` (opting in), ``schedule`` (when a cohort's
matching runs), ``matching_service`` (the weekly round and its pairs), ``sessions`` (a
session's life: time, confirmation, no-shows, reminders, closing), ``packets`` (the
interviewer's packet), ``feedback`` (feedback → the ``/mock`` entry, the Oops click).
Discord: ``render`` (what messages say), ``delivery`` (DMs, threads, events), ``ui`` (the
session card's persistent buttons and time select), ``feedback_ui`` (the feedback form and
the Oops button), ``answers`` (their private replies), ``runner`` (the background job:
matching what is due, reminders, closing stale sessions). The pure rules live in
``bot.core.mock_windows``, ``bot.core.mock_matching`` and ``bot.core.mock_packets``.
"""
