"""Opening a kronika database file: retries while another process holds the lock."""

from __future__ import annotations

import random
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from ..corpus.schema import CORPUS_SCHEMA
from .schema import SCHEMA, SCHEMA_VERSION

DEFAULT_DB = "kronika.duckdb"


class StoreBusy(RuntimeError):
    """The database file stayed locked by another process longer than the wait allowed."""



class StoreBase:
    """Path, mode and connections of a store (the query and write methods are mixins)."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False, wait: float = 10.0):
        self.path = str(path)
        self.read_only = read_only
        self.wait = wait
        if not read_only:
            with self.connect() as con:
                con.execute(SCHEMA)
                con.execute(CORPUS_SCHEMA)
                con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

    @contextmanager
    def connect(self, read_only: bool | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection, retried while another process holds the file (up to ``wait`` s)."""
        ro = self.read_only if read_only is None else read_only
        if ro and not Path(self.path).exists():
            raise FileNotFoundError(f"{self.path}: no such database (run `kronika ingest` first)")
        deadline = time.monotonic() + self.wait
        delay = 0.02
        while True:
            try:
                con = duckdb.connect(self.path, read_only=ro)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    if "lock" in str(exc).lower():
                        raise StoreBusy(f"{self.path} is locked by another process") from exc
                    raise
                time.sleep(delay + random.random() * delay)
                delay = min(delay * 2, 0.25)
        try:
            yield con
        finally:
            con.close()

