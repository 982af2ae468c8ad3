"""The REST API under /api/v1 (API.md): one module per part, each calling that part's
schemas and services; the blueprint and the OpenAPI document are in blueprint.py."""
from . import (accounts, calls, decisions, funds, grants, portfolio, proposals,  # noqa: F401  (register routes)
               reports, reviews)
from .blueprint import bp

__all__ = ["bp"]
