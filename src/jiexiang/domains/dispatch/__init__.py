"""Dispatch: sending the nearest suitable field worker to urgent cases, and planning patrols."""
