"""The portfolio's figures, computed once per version of the data in each process.

Ten years of grants take a few hundred milliseconds to total, and everyone asks for the
same totals: the dashboard asks eight times per visit (the page and its seven charts), the
API and the XLSX export once per call. The figures change only when the data do, so they
are kept per (filters, data version) in a bounded least-recently-used map.

The data version is one statement of four index look-ups: the highest id of the audit
events, the ledger entries, the grants and the imported projects. Every state change
writes an audit event in its own transaction (a rule of the whole application), so any
change a service makes gives a new version; the other three also move under bulk loads
that bypass the services (the benchmark's seeding, a history import). A version is read
before the figures, in the same transaction: figures kept under a version are never older
than it.

Each process (each gunicorn worker) keeps its own map: nothing to invalidate across
servers, since a server that has not seen a change computes for the new version on its
first request after it. PORTFOLIO_CACHE_ENTRIES (0 turns the cache off) bounds it.
"""
import threading

from cachetools import LRUCache
from flask import current_app
from sqlalchemy import func, select

from ..audit.models import AuditEvent
from ..extensions import db
from ..funds.models import LedgerEntry
from ..grants.models import Grant
from .figures import portfolio_figures
from .models import PastProject

DEFAULT_ENTRIES = 256
_creating = threading.Lock()


class FiguresCache:
    """key → figures, least recently used evicted; locked, as gunicorn's threads share it.
    Two threads missing the same key at once both compute; the second keeps the first's."""

    def __init__(self, entries: int):
        self.entries = entries
        self._figures = LRUCache(maxsize=max(entries, 1))
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            return self._figures.get(key)

    def put(self, key, figures: dict) -> dict:
        if self.entries < 1:
            return figures
        with self._lock:
            return self._figures.setdefault(key, figures)

    def clear(self) -> None:
        with self._lock:
            self._figures.clear()

    def __len__(self) -> int:
        return len(self._figures)


def figures_cache(app=None) -> FiguresCache:
    app = app or current_app._get_current_object()
    cache = app.extensions.get("portfolio_figures")
    if cache is None:
        with _creating:
            cache = app.extensions.get("portfolio_figures")
            if cache is None:
                entries = int(app.config.get("PORTFOLIO_CACHE_ENTRIES", DEFAULT_ENTRIES))
                cache = app.extensions["portfolio_figures"] = FiguresCache(entries)
    return cache


def data_version() -> tuple:
    return tuple(db.session.execute(select(
        select(func.max(AuditEvent.id)).scalar_subquery(), select(func.max(LedgerEntry.id)).scalar_subquery(),
        select(func.max(Grant.id)).scalar_subquery(), select(func.max(PastProject.id)).scalar_subquery())).one())


def cached_figures(filters: dict) -> dict:
    """portfolio_figures(filters), from the cache when the data have not changed since.
    The answer is shared between requests: read it, never change it."""
    key = (tuple(sorted((name, value) for name, value in filters.items() if value is not None)), data_version())
    cache = figures_cache()
    figures = cache.get(key)
    if figures is None:
        figures = cache.put(key, portfolio_figures(filters))
    return figures
