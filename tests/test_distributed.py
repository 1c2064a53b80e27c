"""The parallel paths store the same events as a serial ingest: ``ingest(..., workers=2)``
(worker processes of this machine, kronika/parallel.py); the Dask cluster path on a real
LocalCluster. Slow: worker processes each load spaCy. ``--workers 2`` killed and resumed (its
orphaned workers exit): tests/test_kill.py, at 5,000 articles."""

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
def test_workers_ingest_stores_the_same_events_as_serial(tmp_path):
    serial_db, dask_db = tmp_path / "serial.duckdb", tmp_path / "dask.duckdb"
    serial = ingest([EXAMPLES], db=serial_db)
    # batch_size 3: several batches go through the two workers, which stay up between them
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

    # a second run has nothing to do and starts no worker
    again = ingest([EXAMPLES], db=dask_db, workers=2)
    assert (again.ingested, again.unchanged, again.events) == (0, 8, 0)


@pytest.mark.slow
def test_dask_cluster_path_parquet_then_database_same_events_as_serial(tmp_path):
    """``ingest(dask=ADDRESS, parquet=DIR)`` on a LocalCluster of worker processes: the workers
    read and code the files and write Parquet by month; the loaded database holds exactly the
    serial ingest's events, and DuckDB reads the Parquet directly."""
    from dask.distributed import LocalCluster

    serial_db, dask_db, parts = tmp_path / "serial.duckdb", tmp_path / "dask.duckdb", tmp_path / "parquet"
    serial = ingest([EXAMPLES], db=serial_db)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1", silence_logs=40,
                      scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"}) as cluster:
        dist = ingest([EXAMPLES], db=dask_db, dask=cluster.scheduler_address, parquet=parts)
    assert dist.ok, dist.problems
    assert (dist.ingested, dist.events) == (serial.ingested, serial.events) == (8, serial.events)
    cols = COLUMNS + ", corpus_event_id, sentence, mentions"
    for q in (f"SELECT {cols} FROM events ORDER BY event_id",
              "SELECT id, text_hash, n_events, duplicate_of FROM articles ORDER BY id",
              "SELECT id, name, country, sector, aliases FROM actors ORDER BY id",
              "SELECT article_id, name, country, sector, role_text FROM learned_roles ORDER BY ALL"):
        assert rows(dask_db, q) == rows(serial_db, q), q
    months = sorted(p.name for p in next(parts.iterdir()).joinpath("events").iterdir())
    assert months and all(m.startswith("month=") for m in months)
    con = duckdb.connect()
    n = con.execute("SELECT count(*) FROM read_parquet(?, hive_partitioning=true)",
                    [str(parts / "*" / "events" / "*" / "*.parquet")]).fetchone()[0]
    assert n == serial.events
