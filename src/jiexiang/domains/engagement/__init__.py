"""Resident engagement (居民议事): notices, the alley council's proposals and the households' ballots on them."""
