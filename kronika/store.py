"""The store: articles, events, actors and their provenance in an embedded DuckDB file.

Concurrency. DuckDB lets one process write a file, and no other process open it meanwhile
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

import hashlib
import json
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

import duckdb

from .model import Article, Event

DEFAULT_DB = "kronika.duckdb"
SCHEMA_VERSION = 1
MAX_PAGE = 1000

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,
    published VARCHAR NOT NULL,
    lang VARCHAR,
    url VARCHAR,
    title VARCHAR,
    text VARCHAR NOT NULL,
    text_hash VARCHAR NOT NULL,
    source_path VARCHAR,
    source_line INTEGER,
    n_events INTEGER,
    ingested_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    published VARCHAR,
    lang VARCHAR,
    cameo VARCHAR NOT NULL,
    root VARCHAR NOT NULL,
    cameo_name VARCHAR,
    quad_class INTEGER,
    goldstein DOUBLE,
    plover_type VARCHAR,
    plover_mode VARCHAR,
    source_id VARCHAR, source_text VARCHAR, source_name VARCHAR, source_country VARCHAR, source_sector VARCHAR,
    target_id VARCHAR, target_text VARCHAR, target_name VARCHAR, target_country VARCHAR, target_sector VARCHAR,
    attribution_text VARCHAR, attribution_country VARCHAR,
    date VARCHAR, date_precision VARCHAR, date_inferred BOOLEAN,
    modality VARCHAR,
    quantity BIGINT,
    location_place VARCHAR, location_country VARCHAR, location_lat DOUBLE, location_lon DOUBLE,
    location_geonameid BIGINT, location_precision VARCHAR,
    sentence VARCHAR, start_offset INTEGER, end_offset INTEGER,
    trigger VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
    mentions VARCHAR
);
CREATE TABLE IF NOT EXISTS actors (
    id VARCHAR PRIMARY KEY,
    name VARCHAR,
    kind VARCHAR,
    country VARCHAR,
    sector VARCHAR,
    aliases VARCHAR,
    roles VARCHAR
);
CREATE TABLE IF NOT EXISTS learned_roles (
    article_id VARCHAR,
    name VARCHAR,
    country VARCHAR,
    sector VARCHAR,
    role_text VARCHAR,
    date VARCHAR,
    evidence VARCHAR
);
CREATE TABLE IF NOT EXISTS problems (
    "at" TIMESTAMP DEFAULT current_timestamp,  -- quoted: AT is a keyword in DuckDB 2
    path VARCHAR,
    line INTEGER,
    level VARCHAR,
    message VARCHAR
);
"""

EVENT_COLUMNS = [
    "event_id", "article_id", "published", "lang", "cameo", "root", "cameo_name", "quad_class", "goldstein",
    "plover_type", "plover_mode",
    "source_id", "source_text", "source_name", "source_country", "source_sector",
    "target_id", "target_text", "target_name", "target_country", "target_sector",
    "attribution_text", "attribution_country",
    "date", "date_precision", "date_inferred", "modality", "quantity",
    "location_place", "location_country", "location_lat", "location_lon", "location_geonameid", "location_precision",
    "sentence", "start_offset", "end_offset", "trigger", "trigger_start", "trigger_end", "mentions",
]


class StoreBusy(RuntimeError):
    """The database file stayed locked by another process longer than the wait allowed."""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_row(ev: Event) -> tuple:
    """The events-table row of an Event."""
    s, t, a, loc = ev.source, ev.target, ev.attribution, ev.location
    return (
        ev.event_id, ev.article_id, ev.published, ev.lang, ev.cameo, ev.root, ev.cameo_name, ev.quad_class,
        ev.goldstein, ev.plover_type, ev.plover_mode,
        s.id if s else None, s.text if s else None, s.name if s else None, s.country if s else None,
        s.sector if s else None,
        t.id if t else None, t.text if t else None, t.name if t else None, t.country if t else None,
        t.sector if t else None,
        a.text if a else None, a.country if a else None,
        ev.date, ev.date_precision, ev.date_inferred, ev.modality, ev.quantity,
        loc.place if loc else None, loc.country if loc else None, loc.lat if loc else None,
        loc.lon if loc else None, loc.geonameid if loc else None, loc.precision if loc else None,
        ev.sentence, ev.start, ev.end, ev.trigger, ev.trigger_start, ev.trigger_end,
        json.dumps([m.__dict__ for m in ev.mentions], ensure_ascii=False),
    )


def row_to_record(row: dict[str, Any]) -> dict[str, Any]:
    """A stored event row as the JSON event record (same shape as ``kronika extract``)."""

    def actor(prefix: str) -> dict | None:
        if row.get(f"{prefix}_text") is None and row.get(f"{prefix}_country") is None:
            return None
        return {
            "id": row.get(f"{prefix}_id"),
            "text": row.get(f"{prefix}_text"),
            "name": row.get(f"{prefix}_name"),
            "country": row.get(f"{prefix}_country"),
            "sector": row.get(f"{prefix}_sector"),
        }

    loc = None
    if row.get("location_country") or row.get("location_place"):
        loc = {
            "place": row.get("location_place"),
            "country": row.get("location_country"),
            "lat": row.get("location_lat"),
            "lon": row.get("location_lon"),
            "geonameid": row.get("location_geonameid"),
            "precision": row.get("location_precision"),
        }
    mentions = row.get("mentions")
    return {
        "event_id": row["event_id"],
        "article_id": row["article_id"],
        "published": row["published"],
        "lang": row["lang"],
        "cameo": row["cameo"],
        "root": row["root"],
        "cameo_name": row["cameo_name"],
        "quad_class": row["quad_class"],
        "goldstein": row["goldstein"],
        "plover_type": row["plover_type"],
        "plover_mode": row["plover_mode"],
        "source": actor("source"),
        "target": actor("target"),
        "attribution": ({"text": row["attribution_text"], "country": row["attribution_country"]}
                        if row.get("attribution_text") else None),
        "date": row["date"],
        "date_precision": row["date_precision"],
        "date_inferred": row["date_inferred"],
        "modality": row["modality"],
        "quantity": row["quantity"],
        "location": loc,
        "sentence": row["sentence"],
        "start": row["start_offset"],
        "end": row["end_offset"],
        "trigger": row["trigger"],
        "trigger_start": row["trigger_start"],
        "trigger_end": row["trigger_end"],
        "mentions": json.loads(mentions) if mentions else [],
    }


@dataclass
class EventFilter:
    """Filters shared by ``kronika events``, ``Store.events`` and ``/api/events``."""

    actor: str | None = None  # country code, actor id, or words of an actor's name
    country: str | None = None  # source or target country
    source: str | None = None  # source country or actor id
    target: str | None = None  # target country or actor id
    code: str | None = None  # CAMEO code prefix ("08", "0841")
    root: str | None = None  # CAMEO root ("08")
    quad_class: int | None = None
    since: str | None = None  # event date (or publication date when the event has none) >= since
    until: str | None = None
    text: str | None = None  # words in the evidence sentence
    article_id: str | None = None
    modality: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The SQL WHERE clause and its parameters (always parameterised)."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.actor:
            a = self.actor.strip()
            clauses.append(
                "(source_country = ? OR target_country = ? OR source_id = ? OR target_id = ? "
                "OR lower(source_name) LIKE ? OR lower(target_name) LIKE ?)"
            )
            like = f"%{a.lower()}%"
            params += [a.upper(), a.upper(), a, a, like, like]
        if self.country:
            clauses.append("(source_country = ? OR target_country = ?)")
            params += [self.country.upper(), self.country.upper()]
        if self.source:
            clauses.append("(source_country = ? OR source_id = ?)")
            params += [self.source.upper(), self.source]
        if self.target:
            clauses.append("(target_country = ? OR target_id = ?)")
            params += [self.target.upper(), self.target]
        if self.code:
            clauses.append("starts_with(cameo, ?)")
            params.append(self.code)
        if self.root:
            clauses.append("root = ?")
            params.append(self.root.zfill(2))
        if self.quad_class is not None:
            clauses.append("quad_class = ?")
            params.append(int(self.quad_class))
        if self.since:
            clauses.append("coalesce(date, published) >= ?")
            params.append(self.since)
        if self.until:
            # "2025-12" includes every day of December: compare on the prefix length
            clauses.append("substr(coalesce(date, published), 1, ?) <= ?")
            params += [len(self.until), self.until]
        if self.text:
            clauses.append("lower(sentence) LIKE ?")
            params.append(f"%{self.text.lower()}%")
        if self.article_id:
            clauses.append("article_id = ?")
            params.append(self.article_id)
        if self.modality:
            clauses.append("modality = ?")
            params.append(self.modality)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


@dataclass
class WriteResult:
    inserted: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class Store:
    """A kronika database file. Open it for each unit of work; see the module docstring."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False, wait: float = 10.0):
        self.path = str(path)
        self.read_only = read_only
        self.wait = wait
        if not read_only:
            with self.connect() as con:
                con.execute(SCHEMA)
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

    # --- writing -------------------------------------------------------------------

    def article_state(self, con: duckdb.DuckDBPyConnection, article: Article) -> str:
        """``new``, ``same`` or ``changed`` for an article against what is stored."""
        row = con.execute("SELECT text_hash FROM articles WHERE id = ?", [article.id]).fetchone()
        if row is None:
            return "new"
        return "same" if row[0] == text_hash(article.text) else "changed"

    def known_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored text hashes of the given article ids (to skip work before extraction)."""
        if not ids or not Path(self.path).exists():
            return {}
        with self.connect() as con:
            rows = con.execute(
                "SELECT id, text_hash FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]
            ).fetchall()
        return dict(rows)

    def write_batch(self, results: Sequence[Any], problems: Sequence[Any] = ()) -> WriteResult:
        """Store extraction results (objects with ``article``, ``events``, ``actors``,
        ``learned``) and problems in one transaction. Either the whole batch is stored or
        nothing is.

        All the work that does not need the file (rows, hashes, Arrow tables) is done before
        the connection is opened; inside, the batch is a handful of bulk statements
        (``INSERT … BY NAME SELECT * FROM <arrow table>``), so the write window is short
        (a few tens of milliseconds for 200 small articles). An article given twice in the
        batch counts once (the last one wins).
        """
        import pyarrow as pa

        out = WriteResult()
        latest: dict[str, Any] = {}
        for res in results:
            latest.pop(res.article.id, None)
            latest[res.article.id] = res
        hashes = {aid: text_hash(res.article.text) for aid, res in latest.items()}
        with self.connect(read_only=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                stored = dict(con.execute(
                    "SELECT id, text_hash FROM articles WHERE id IN (SELECT unnest(?))", [list(latest)]
                ).fetchall()) if latest else {}
                todo = []
                for aid, res in latest.items():
                    if aid not in stored:
                        out.inserted.append(aid)
                    elif stored[aid] == hashes[aid]:
                        out.unchanged.append(aid)
                        continue
                    else:
                        out.updated.append(aid)
                    todo.append(res)
                if out.updated:
                    for sql in ("DELETE FROM events WHERE article_id IN (SELECT unnest(?))",
                                "DELETE FROM learned_roles WHERE article_id IN (SELECT unnest(?))",
                                "DELETE FROM articles WHERE id IN (SELECT unnest(?))"):
                        con.execute(sql, [out.updated])
                art_rows, ev_rows, lr_rows = [], [], []
                actors: dict[str, dict] = {}
                for res in todo:
                    art: Article = res.article
                    art_rows.append({
                        "id": art.id, "published": art.published, "lang": art.lang, "url": art.url,
                        "title": art.title, "text": art.text, "text_hash": hashes[art.id],
                        "source_path": art.source_path, "source_line": art.source_line,
                        "n_events": len(res.events),
                    })
                    ev_rows.extend(dict(zip(EVENT_COLUMNS, event_row(e))) for e in res.events)
                    for actor in getattr(res, "actors", []) or []:
                        actors[actor["id"]] = {
                            "id": actor["id"], "name": actor.get("name"), "kind": actor.get("kind"),
                            "country": actor.get("country"), "sector": actor.get("sector"),
                            "aliases": json.dumps(actor.get("aliases") or [], ensure_ascii=False),
                            "roles": json.dumps(actor.get("roles") or [], ensure_ascii=False, default=str),
                        }
                    for lr in getattr(res, "learned", []) or []:
                        lr_rows.append({
                            "article_id": art.id, "name": lr.name, "country": lr.country, "sector": lr.sector,
                            "role_text": lr.role_text, "date": str(lr.date) if lr.date else None,
                            "evidence": getattr(lr, "evidence", None),
                        })
                pr_rows = [{"path": p.path, "line": p.line, "level": p.level, "message": p.message}
                           for p in problems]
                for table, rows, verb in (("articles", art_rows, "INSERT"), ("events", ev_rows, "INSERT"),
                                          ("actors", list(actors.values()), "INSERT OR REPLACE"),
                                          ("learned_roles", lr_rows, "INSERT"), ("problems", pr_rows, "INSERT")):
                    if rows:
                        con.register("_kronika_batch", pa.Table.from_pylist(rows))
                        con.execute(f"{verb} INTO {table} BY NAME SELECT * FROM _kronika_batch")
                        con.unregister("_kronika_batch")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return out

    # --- reading -------------------------------------------------------------------

    def _dicts(self, con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict]:
        cur = con.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def events(self, flt: EventFilter | None = None, limit: int | None = None, offset: int = 0,
               order: str = "date") -> list[dict]:
        """Event records matching ``flt``, sorted by date (then article, offset)."""
        flt = flt or EventFilter()
        where, params = flt.where()
        orders = {
            "date": "coalesce(date, published), article_id, start_offset",
            "-date": "coalesce(date, published) DESC, article_id, start_offset",
            "goldstein": "goldstein, coalesce(date, published)",
        }
        sql = f"SELECT * FROM events{where} ORDER BY {orders.get(order, orders['date'])}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = params + [int(limit), int(offset)]
        with self.connect(read_only=True) as con:
            return [row_to_record(r) for r in self._dicts(con, sql, params)]

    def count_events(self, flt: EventFilter | None = None) -> int:
        where, params = (flt or EventFilter()).where()
        with self.connect(read_only=True) as con:
            return con.execute(f"SELECT count(*) FROM events{where}", params).fetchone()[0]

    def article(self, article_id: str) -> dict | None:
        """An article with its text and its events (with their spans)."""
        with self.connect(read_only=True) as con:
            rows = self._dicts(con, "SELECT * FROM articles WHERE id = ?", [article_id])
            if not rows:
                return None
            art = rows[0]
            evs = self._dicts(con, "SELECT * FROM events WHERE article_id = ? ORDER BY start_offset", [article_id])
        art["ingested_at"] = str(art["ingested_at"])
        art["events"] = [row_to_record(r) for r in evs]
        return art

    def articles(self, limit: int = 100, offset: int = 0) -> list[dict]:
        with self.connect(read_only=True) as con:
            return self._dicts(
                con,
                "SELECT id, published, lang, title, url, n_events, source_path FROM articles "
                "ORDER BY published DESC, id LIMIT ? OFFSET ?",
                [limit, offset],
            )

    def actors(self, query: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
        """Actors seen in events, with event counts, most active first."""
        params: list[Any] = []
        cond = ""
        if query:
            cond = ("WHERE lower(coalesce(a.name, x.name)) LIKE ? OR lower(x.id) LIKE ? OR lower(a.aliases) LIKE ? "
                    "OR x.country = ?")
            like = f"%{query.lower()}%"
            params = [like, like, like, query.upper()]
        sql = f"""
        WITH x AS (
            SELECT id, any_value(name) AS name, any_value(country) AS country, any_value(sector) AS sector,
                   count(*) AS n_events, sum(as_source) AS n_source, sum(as_target) AS n_target
            FROM (
                SELECT source_id AS id, source_name AS name, source_country AS country, source_sector AS sector,
                       1 AS as_source, 0 AS as_target FROM events WHERE source_id IS NOT NULL
                UNION ALL
                SELECT target_id, target_name, target_country, target_sector, 0, 1
                FROM events WHERE target_id IS NOT NULL
            ) GROUP BY id
        )
        SELECT x.id, coalesce(a.name, x.name) AS name, coalesce(a.country, x.country) AS country,
               coalesce(a.sector, x.sector) AS sector, a.kind, a.aliases, a.roles,
               x.n_events, x.n_source, x.n_target
        FROM x LEFT JOIN actors a ON a.id = x.id
        {cond}
        ORDER BY x.n_events DESC, x.id LIMIT ? OFFSET ?
        """
        params += [limit, offset]
        with self.connect(read_only=True) as con:
            rows = self._dicts(con, sql, params)
        for r in rows:
            r["aliases"] = json.loads(r["aliases"]) if r.get("aliases") else []
            r["roles"] = json.loads(r["roles"]) if r.get("roles") else []
            r["n_source"] = int(r["n_source"] or 0)
            r["n_target"] = int(r["n_target"] or 0)
        return rows

    def actor(self, actor_id: str) -> dict | None:
        """One actor with its partners and its events."""
        rows = [r for r in self.actors(limit=100000) if r["id"] == actor_id]
        if not rows:
            return None
        act = rows[0]
        with self.connect(read_only=True) as con:
            partners = self._dicts(
                con,
                """
                SELECT partner, any_value(partner_name) AS name, any_value(partner_country) AS country,
                       count(*) AS n_events, avg(goldstein) AS mean_goldstein
                FROM (
                    SELECT target_id AS partner, target_name AS partner_name, target_country AS partner_country,
                           goldstein FROM events WHERE source_id = ? AND target_id IS NOT NULL
                    UNION ALL
                    SELECT source_id, source_name, source_country, goldstein FROM events
                    WHERE target_id = ? AND source_id IS NOT NULL
                ) GROUP BY partner ORDER BY n_events DESC LIMIT 50
                """,
                [actor_id, actor_id],
            )
            learned = self._dicts(
                con, "SELECT * FROM learned_roles WHERE lower(name) = lower(?)", [act.get("name") or ""]
            )
        act["partners"] = partners
        act["learned_roles"] = learned
        act["events"] = self.events(EventFilter(actor=actor_id), limit=500)
        return act

    def stats(self, actor: str | None = None, partner: str | None = None, country: str | None = None) -> list[dict]:
        """Event counts and mean Goldstein per month, for an actor (country code or actor id), a
        dyad (actor and partner, both directions) or a country (as source or target)."""
        clauses: list[str] = []
        params: list[Any] = []

        def side(col: str, val: str) -> str:
            params.extend([val.upper(), val])
            return f"({col}_country = ? OR {col}_id = ?)"

        if actor and partner:
            a1 = side("source", actor)
            p1 = side("target", partner)
            a2 = side("target", actor)
            p2 = side("source", partner)
            clauses.append(f"(({a1} AND {p1}) OR ({a2} AND {p2}))")
        elif actor:
            clauses.append(f"({side('source', actor)} OR {side('target', actor)})")
        if country:
            clauses.append("(source_country = ? OR target_country = ?)")
            params += [country.upper(), country.upper()]
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = f"""
            SELECT substr(coalesce(date, published), 1, 7) AS month, count(*) AS n_events,
                   avg(goldstein) AS mean_goldstein,
                   sum(CASE WHEN quad_class IN (1, 2) THEN 1 ELSE 0 END) AS n_cooperation,
                   sum(CASE WHEN quad_class IN (3, 4) THEN 1 ELSE 0 END) AS n_conflict
            FROM events{where} GROUP BY month ORDER BY month
        """
        with self.connect(read_only=True) as con:
            rows = self._dicts(con, sql, params)
        for r in rows:
            r["mean_goldstein"] = round(float(r["mean_goldstein"]), 3) if r["mean_goldstein"] is not None else None
            r["n_cooperation"] = int(r["n_cooperation"] or 0)
            r["n_conflict"] = int(r["n_conflict"] or 0)
        return rows

    def problems(self, limit: int = 1000) -> list[dict]:
        with self.connect(read_only=True) as con:
            return self._dicts(con, 'SELECT * FROM problems ORDER BY "at" DESC LIMIT ?', [limit])

    def summary(self) -> dict[str, int]:
        with self.connect(read_only=True) as con:
            n_art = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            n_ev = con.execute("SELECT count(*) FROM events").fetchone()[0]
        return {"articles": n_art, "events": n_ev}

    def export(self, out: str | Path, fmt: str, flt: EventFilter | None = None) -> int:
        """Write events to ``out`` as csv, jsonl or parquet; returns the number written."""
        fmt = fmt.lower()
        if fmt == "jsonl":
            recs = self.events(flt)
            with open(out, "w", encoding="utf-8") as fh:
                for r in recs:
                    fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
            return len(recs)
        if fmt not in ("csv", "parquet"):
            raise ValueError(f"unknown export format {fmt!r} (csv, jsonl, parquet)")
        where, params = (flt or EventFilter()).where()
        cols = ", ".join(c for c in EVENT_COLUMNS)
        with self.connect(read_only=True) as con:
            rel = con.sql(
                f"SELECT {cols} FROM events{where} ORDER BY coalesce(date, published), article_id, start_offset",
                params=params,
            ).to_arrow_table()
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        if fmt == "csv":
            pacsv.write_csv(rel, str(out))
        else:
            pq.write_table(rel, str(out))
        return rel.num_rows

    # --- added for the web explorer (kronika.server) --------------------------------------

    def locations(self, flt: EventFilter | None = None, limit: int = 500, per_place: int = 20) -> list[dict]:
        """Event locations matching ``flt``, grouped by place: ``place``, ``country``, ``lat``,
        ``lon``, ``precision``, ``n_events``, ``mean_goldstein``, ``n_cooperation``,
        ``n_conflict`` and up to ``per_place`` of its events (``events``: event_id,
        article_id, cameo, cameo_name, date, quad_class). Most events first; read-only."""
        where, params = (flt or EventFilter()).where()
        cond = "location_lat IS NOT NULL AND location_lon IS NOT NULL"
        where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        sql = f"""
            SELECT location_place AS place, location_country AS country,
                   round(location_lat, 3) AS lat, round(location_lon, 3) AS lon,
                   any_value(location_precision) AS precision,
                   count(*) AS n_events, avg(goldstein) AS mean_goldstein,
                   sum(CASE WHEN quad_class IN (1, 2) THEN 1 ELSE 0 END) AS n_cooperation,
                   sum(CASE WHEN quad_class IN (3, 4) THEN 1 ELSE 0 END) AS n_conflict,
                   list({{'event_id': event_id, 'article_id': article_id, 'cameo': cameo,
                          'cameo_name': cameo_name, 'date': coalesce(date, published),
                          'quad_class': quad_class}}
                        ORDER BY coalesce(date, published), event_id)[1:?] AS events
            FROM events{where}
            GROUP BY location_place, location_country, round(location_lat, 3), round(location_lon, 3)
            ORDER BY n_events DESC, country, place LIMIT ?
        """
        with self.connect(read_only=True) as con:
            rows = self._dicts(con, sql, [int(per_place)] + params + [int(limit)])
        for r in rows:
            mg = r["mean_goldstein"]
            r["mean_goldstein"] = round(float(mg), 3) if mg is not None else None
            r["n_cooperation"] = int(r["n_cooperation"] or 0)
            r["n_conflict"] = int(r["n_conflict"] or 0)
            r["events"] = list(r["events"] or [])
        return rows
