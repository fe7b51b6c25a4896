"""Analytics: hotspots, where-next risk, count forecasts, early warnings and honest backtests.

A pure library: pandas data frames in and out, no web framework and no ORM, so that the same code serves
the platform (through a domain service) and the command line on any city's events CSV. Every function is
keyword-only past its data, takes a `seed` where anything is random, and measures distance in metres."""
