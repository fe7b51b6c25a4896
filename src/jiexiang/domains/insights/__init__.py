"""Insights: the stored results of the analytics runs (hotspots, where-next risk, forecasts, warnings)."""
