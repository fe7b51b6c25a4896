"""街巷 Jiexiang: a platform for a subdistrict office to govern its streets and back alleys."""

__version__ = "0.1.0"
