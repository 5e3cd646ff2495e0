"""Database-backed operations used by cogs and the scheduler (no Discord types)."""
