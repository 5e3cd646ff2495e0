"""Scheduled posting: APScheduler wiring, the post ledger pipeline and the Discord sender."""
