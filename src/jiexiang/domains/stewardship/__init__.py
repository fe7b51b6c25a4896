"""Keeping alleys clean: the checklists alleys are inspected by (the quasi-property companies' 31 items, the alley
chiefs' 十有十无), and how findings become a score."""
