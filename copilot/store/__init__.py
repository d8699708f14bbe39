"""Where sessions are kept: one local SQLite file."""
