"""The authorisation matrix (issue 16): every route of the URL map, for anonymous
visitors and each role, on its own side's objects and another's, against DESIGN.md's
visibility table (matrix.py)."""
