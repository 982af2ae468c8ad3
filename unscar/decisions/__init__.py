"""The funding decision: the ranking of a call, the exact recommendation and its adoption, and the donors' decisions."""
