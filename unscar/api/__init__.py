"""The REST API under /api/v1 (API.md): one module per part, each calling that part's
schemas and services; the blueprint and the OpenAPI document are in blueprint.py."""
from . import accounts, calls, decisions, funds, grants, proposals, reviews  # noqa: F401  (register their routes)
from .blueprint import bp

__all__ = ["bp"]
