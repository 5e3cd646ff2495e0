"""Turn core results into text or Discord objects."""
