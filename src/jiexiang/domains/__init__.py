"""Business domains. Lower never imports higher: … → workforce → places → accounts."""
