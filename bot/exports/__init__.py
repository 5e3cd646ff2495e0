"""Pure export renderers: a member's data in, file contents out (no Discord, no database).

* :mod:`bot.exports.data` — the input model (:class:`MemberExport` and its rows);
* :mod:`bot.exports.markdown` — the Learning Ledger as Markdown (user text escaped by
  :mod:`bot.exports.markdown_text`, recaps reshaped by :mod:`bot.exports.markdown_recap`);
* :mod:`bot.exports.tables` — solves CSV, everything JSON (and back), cohort CSV/JSON;
* :mod:`bot.exports.anki` — Oops List + Key Insight cards as an ``.apkg`` deck;
* :mod:`bot.exports.ical` — the remaining study blocks as an ``.ics`` calendar;
* :mod:`bot.exports.bundle` — fitting the files into Discord's attachment limits.

Only the data model is re-exported here, so importing it does not load genanki or
icalendar; import the renderer modules directly.
"""

from bot.exports.data import ENTRY_KINDS, CriterionRow, EntryRow, MemberExport, MilestoneRow

__all__ = ["ENTRY_KINDS", "CriterionRow", "EntryRow", "MemberExport", "MilestoneRow"]
