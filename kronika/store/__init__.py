"""The store: articles, events, actors and their provenance in an embedded DuckDB file.

Concurrency (see connection.py for the shared readers and the writer announcement). DuckDB
lets one process write a file, and no other process open it meanwhile
(a read-only process also blocks a writer). kronika therefore never holds a connection
longer than it needs: the ingester extracts a batch with no connection open, then opens the
file for one short transaction (``write_batch``: rows and Arrow tables are built first, the
transaction is a handful of bulk ``INSERT … BY NAME`` statements, a few tens of ms), then
closes it; readers (``kronika events``, the HTTP server) open it read-only for one query.
Both sides retry for ``wait`` seconds with exponential backoff and jitter (20 ms doubling
to 250 ms) when the other holds the lock, then raise ``StoreBusy``. A long ingest thus
leaves gaps in which queries are answered; tests/test_concurrency.py checks it with real
processes. (Until issue 7, rows were inserted one at a time and a 200-article batch held
the file for about a second; bulk inserts made the write window ~50x shorter.)

Transactions. A batch is stored completely or not at all; a process killed at any moment
leaves every article with exactly its events (``n_events`` equals the stored events).

Idempotence. Each article is stored with the SHA-256 of its text. Ingesting it again with
the same text changes nothing (``unchanged``); with a different text under the same id, its
old events and learned roles are deleted and the new version inserted in the same
transaction (reported as ``updated``). See docs/reliability.md.
"""

from __future__ import annotations

from .connection import CONFIG, DEFAULT_DB, StorageError, StoreBase, StoreBusy
from .aggregates import AggregateMixin
from .corpus import CorpusMixin
from .explore import ACTOR_ORDERS, ARTICLE_ORDERS, ORDERS, SORT_KEYS, ExploreMixin
from .filters import EventFilter
from .queries import QueryMixin
from .schema import EVENT_COLUMNS, MAX_PAGE, SCHEMA, SCHEMA_VERSION, event_row, row_to_record, text_hash
from .writes import WriteMixin, WriteResult

__all__ = [
    "ACTOR_ORDERS", "ARTICLE_ORDERS", "CONFIG", "DEFAULT_DB", "ORDERS", "SORT_KEYS", "EVENT_COLUMNS", "MAX_PAGE", "SCHEMA", "SCHEMA_VERSION", "EventFilter", "Store",
    "StorageError", "StoreBusy", "WriteResult", "event_row", "row_to_record", "text_hash",
]


class Store(StoreBase, WriteMixin, CorpusMixin, ExploreMixin, AggregateMixin, QueryMixin):
    """A kronika database file. Open it for each unit of work; see the module docstring."""
