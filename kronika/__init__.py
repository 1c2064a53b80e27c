"""kronika: political event data from dated French and English news.

Python API (the CLI and the HTTP API are thin layers over these):

    import kronika
    events = kronika.extract(text, published="2025-12-13", lang="fr")
    report = kronika.ingest(["examples/"], db="kronika.duckdb")
    store = kronika.Store("kronika.duckdb", read_only=True)
    store.events(kronika.EventFilter(actor="BLR", root="08"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["extract", "extract_article", "ingest", "Store", "EventFilter", "Article", "Event", "Actor", "Place",
           "evaluate_file", "find_timexes"]

if TYPE_CHECKING:  # pragma: no cover
    from .evaluate import evaluate_file
    from .ingest import ingest
    from .model import Actor, Article, Event, Place
    from .pipeline import extract, extract_article
    from .store import EventFilter, Store
    from .timex import find_timexes

_LAZY = {
    "extract": "pipeline", "extract_article": "pipeline", "ingest": "ingest", "Store": "store",
    "EventFilter": "store", "Article": "model", "Event": "model", "Actor": "model", "Place": "model",
    "evaluate_file": "evaluate", "find_timexes": "timex",
}


def __getattr__(name: str) -> Any:
    """Import on first use, so that ``import kronika`` stays fast (spaCy loads lazily)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
