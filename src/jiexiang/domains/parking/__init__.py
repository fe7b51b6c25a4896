"""Parking (停车): the three sources of spaces, permits and their allocation, alley rules, use."""
