"""Cases: the category taxonomy, reports and the cases they feed (workflow comes with issue 4)."""
