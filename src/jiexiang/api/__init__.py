"""HTTP API: the app factory and the one place where errors become HTTP responses."""
