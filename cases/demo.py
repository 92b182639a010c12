"""Demo data of case management (filled below)."""
