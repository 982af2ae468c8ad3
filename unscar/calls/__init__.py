"""Calls for proposals: the funding rounds, their criteria and downloadable templates."""
