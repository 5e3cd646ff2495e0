"""LeetCode integration: link an account, import accepted solves automatically.

Pure, Discord- and database-free (session, clock and randomness passed in): ``client``
(queries and their answers), ``errors``, ``transport`` (one POST and the vetting of its
answer), ``wire`` (the answers' shapes), ``policy`` (pacing, back-off, pauses) and ``verify``
(the profile code). The bot side: ``models`` (tables), ``importer`` (submissions → entries,
``complete_imported``), ``polling`` (one poll of one link), ``service`` (paced clients, the
global pause, the loop, ``polling_status``) and ``linking`` (what ``/leetcode`` answers).
Nothing is re-exported here: import each name from its module.
"""
