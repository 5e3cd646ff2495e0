"""StudyCoach benchmark: ``python -m bench [--quick] [--only NAME] [--json PATH]``.

Every figure compares numbers measured side by side in the same run (see bench/README.md).
"""
