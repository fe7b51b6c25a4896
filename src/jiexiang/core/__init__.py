"""Core: settings, database, time and calendar, geography, errors — everything else builds on these."""
