"""Accounts: users, units (departments, property companies), roles, passwords, tokens and scope."""
