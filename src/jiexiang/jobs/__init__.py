"""Scheduled jobs that join domains and the analytics library (above both in the layering)."""
