"""Accounts: users, organisations and their members, log-in, tokens and passwords."""
