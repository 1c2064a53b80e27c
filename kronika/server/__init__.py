"""The web explorer and HTTP API of kronika (``kronika serve``): see ``kronika.server.app``."""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(db_path="kronika.duckdb", **kw):  # noqa: ANN001, ANN201 - thin re-export
    """See :func:`kronika.server.app.create_app` (imported lazily: FastAPI is only needed to serve)."""
    from .app import create_app as _create

    return _create(db_path, **kw)
