"""The corpus layer in the DuckDB file: duplicate links, MinHash signatures, corpus-event ids.

Schema added to the store's (``ensure_schema``, idempotent, also upgrades older files):

- ``articles.duplicate_of`` (the first copy, or null) and ``articles.duplicate_similarity``;
- ``article_minhash(article_id, hashvalues)``: the MinHash signature of each coded article;
- ``events.corpus_event_id``: the corpus event of each stored event.

Corpus events themselves are not a table: they are the groups of events sharing a
``corpus_event_id``, summarised by one query (``kronika/corpus/query.py``), so their counts
can never disagree with the events.

``CorpusWriter`` is what an ingest keeps between batches: the duplicate index and the
clusterer, loaded once from the file; ``CorpusWriter.apply`` runs inside the store's batch
transaction, so an article, its duplicate link, its signature and the corpus-event ids of its
events are stored together or not at all.
"""

from __future__ import annotations

from typing import Any, Sequence

from .schema import CORPUS_SCHEMA as SCHEMA
from .cluster import Clusterer
from .dedup import Duplicate, DuplicateIndex, signature


# the columns clustering reads
CLUSTER_COLUMNS = ("event_id, article_id, published, cameo, root, modality, source_country, target_country, "
                   "source_id, target_id, date, date_precision, date_inferred, quantity, location_country, location_lat, "
                   "location_lon, location_precision, corpus_event_id")


def ensure_schema(con: Any) -> None:
    con.execute(SCHEMA)


def _dicts(con: Any, sql: str, params: Sequence[Any] = ()) -> list[dict]:
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def has_corpus_schema(con: Any) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'events' AND column_name = 'corpus_event_id'"
    ).fetchone()[0])


class CorpusWriter:
    """Duplicate detection and incremental clustering for one ingest."""

    def __init__(self, con: Any):
        ensure_schema(con)
        backfill_signatures(con)
        self.dups = DuplicateIndex()
        self.dups.load(con.execute(
            "SELECT a.id, a.text_hash, m.hashvalues, a.duplicate_of FROM articles a "
            "LEFT JOIN article_minhash m ON m.article_id = a.id ORDER BY a.ingested_at, a.id"
        ).fetchall())
        self.clusterer = Clusterer()
        self._load_clusters(con)
        self.pending: dict[str, tuple[list[int], Duplicate | None]] = {}

    def _load_clusters(self, con: Any) -> None:
        self.clusterer = Clusterer()
        self.clusterer.load(_dicts(con, f"SELECT {CLUSTER_COLUMNS} FROM events WHERE corpus_event_id IS NOT NULL "
                                        "ORDER BY corpus_event_id, event_id"))

    def check(self, article_id: str, text: str, text_hash: str) -> Duplicate | None:
        """Whether a new article copies a stored (or earlier in this ingest) one; remembers
        its signature for the next ``apply``."""
        sig = signature(text)
        dup = self.dups.check(article_id, text_hash, sig)
        self.dups.add(article_id, text_hash, sig, dup.duplicate_of if dup else None)
        self.pending[article_id] = ([int(x) for x in sig.hashvalues] if sig is not None else None, dup)
        return dup

    def apply(self, con: Any, stored_ids: Sequence[str], updated_ids: Sequence[str] = ()) -> int:
        """Inside the batch transaction: signatures and duplicate links of ``stored_ids``,
        corpus-event ids of every event that has none yet. Returns the events placed."""
        import pyarrow as pa

        # (a text too short for near-duplicate detection keeps a null signature: checked once)
        rows = [{"article_id": aid, "hashvalues": self.pending[aid][0]} for aid in stored_ids if aid in self.pending]
        if rows:
            con.execute("DELETE FROM article_minhash WHERE article_id IN (SELECT unnest(?))",
                        [[r["article_id"] for r in rows]])
            con.register("_kronika_sig", pa.Table.from_pylist(
                rows, schema=pa.schema([("article_id", pa.string()), ("hashvalues", pa.list_(pa.uint64()))])))
            con.execute("INSERT INTO article_minhash BY NAME SELECT * FROM _kronika_sig")
            con.unregister("_kronika_sig")
        links = [{"id": aid, "dup": d.duplicate_of, "sim": d.similarity}
                 for aid in stored_ids if aid in self.pending for d in [self.pending[aid][1]] if d]
        if links:
            con.register("_kronika_dup", pa.Table.from_pylist(links))
            con.execute("UPDATE articles SET duplicate_of = d.dup, duplicate_similarity = d.sim "
                        "FROM _kronika_dup d WHERE articles.id = d.id")
            con.unregister("_kronika_dup")
        for aid in stored_ids:
            self.pending.pop(aid, None)
        if updated_ids:  # their old events are gone: rebuild the corpus events without them
            self._load_clusters(con)
        return assign_unclustered(con, self.clusterer)


def backfill_signatures(con: Any) -> int:
    """Signatures of articles stored before the corpus layer (once per file)."""
    import pyarrow as pa

    rows = con.execute("SELECT id, text FROM articles WHERE duplicate_of IS NULL AND id NOT IN "
                       "(SELECT article_id FROM article_minhash)").fetchall()
    sigs = [(aid, signature(text)) for aid, text in rows]
    if sigs:
        tbl = pa.Table.from_pylist(
            [{"article_id": aid, "hashvalues": [int(x) for x in sg.hashvalues] if sg is not None else None}
             for aid, sg in sigs],
            schema=pa.schema([("article_id", pa.string()), ("hashvalues", pa.list_(pa.uint64()))]))
        con.register("_kronika_sig", tbl)
        con.execute("INSERT INTO article_minhash BY NAME SELECT * FROM _kronika_sig")
        con.unregister("_kronika_sig")
    return len(sigs)


def assign_unclustered(con: Any, clusterer: Clusterer) -> int:
    """Give every event without a corpus event one (new reports join stored corpus events)."""
    import pyarrow as pa

    new = _dicts(con, f"SELECT {CLUSTER_COLUMNS} FROM events WHERE corpus_event_id IS NULL")
    if not new:
        return 0
    mapping = clusterer.assign(new)
    con.register("_kronika_ce", pa.table({"event_id": list(mapping), "cid": list(mapping.values())}))
    con.execute("UPDATE events SET corpus_event_id = m.cid FROM _kronika_ce m WHERE events.event_id = m.event_id")
    con.unregister("_kronika_ce")
    return len(mapping)


def recluster(con: Any) -> int:
    """Cluster every stored event again from scratch (``kronika corpus --rebuild``)."""
    ensure_schema(con)
    con.execute("UPDATE events SET corpus_event_id = NULL")
    return assign_unclustered(con, Clusterer())
