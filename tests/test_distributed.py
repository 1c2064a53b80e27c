"""The Dask path: ``ingest(..., workers=2)`` on a real LocalCluster stores the same events as a
serial ingest. Slow: two worker processes each load spaCy (~30 s on 2 cores)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kronika.ingest import ingest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

COLUMNS = ("event_id, article_id, cameo, root, source_id, source_country, source_sector, target_id, "
           "target_country, target_sector, date, modality, quantity, location_country, start_offset, "
           "end_offset, trigger")


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_dask_ingest_stores_the_same_events_as_serial(tmp_path):
    serial_db, dask_db = tmp_path / "serial.duckdb", tmp_path / "dask.duckdb"
    serial = ingest([EXAMPLES], db=serial_db)
    # batch_size 3: several batches go through the cluster, which stays up between them
    dist = ingest([EXAMPLES], db=dask_db, workers=2, batch_size=3)
    assert serial.ok and dist.ok, (serial.problems, dist.problems)
    assert (dist.ingested, dist.failed, dist.events) == (serial.ingested, 0, serial.events)
    assert serial.ingested == 8 and serial.events > 0

    q = f"SELECT {COLUMNS} FROM events ORDER BY event_id"
    assert rows(dask_db, q) == rows(serial_db, q)
    q = "SELECT id, text_hash, n_events FROM articles ORDER BY id"
    assert rows(dask_db, q) == rows(serial_db, q)
    q = "SELECT id, name, country, sector FROM actors ORDER BY id"
    assert rows(dask_db, q) == rows(serial_db, q)
    q = "SELECT article_id, name, country, sector, role_text FROM learned_roles ORDER BY ALL"
    assert rows(dask_db, q) == rows(serial_db, q)

    # a second distributed run has nothing to do and starts no cluster
    again = ingest([EXAMPLES], db=dask_db, workers=2)
    assert (again.ingested, again.unchanged, again.events) == (0, 8, 0)
