"""Intake: connectors that turn outside records into reports, and the tools that normalise them."""
