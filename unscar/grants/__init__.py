"""Grants: what a funding decision creates and what the fund pays out against."""
