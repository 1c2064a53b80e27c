"""The corpus methods of ``kronika.Store`` (a mixin): corpus events, countries and dyads,
trackers, pandas, read-only SQL and every export format. Each opens the file read-only for
one query, as the other Store reads do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..corpus import aggregate, formats, query, trackers
from .filters import EventFilter
from .schema import EVENT_COLUMNS, row_to_record

EXPORT_FORMATS = ("csv", "jsonl", "parquet", "gdelt", "plover")


def _where(flt: EventFilter | None) -> tuple[str, list[Any]]:
    return (flt or EventFilter()).where()


class CorpusMixin:
    """Corpus events, dyads, trackers, pandas, SQL and exports (kronika/corpus/)."""

    # --- corpus events -------------------------------------------------------------------

    def corpus(self, flt: EventFilter | None = None, limit: int | None = None, offset: int = 0,
               min_articles: int = 1, order: str = "date") -> list[dict]:
        """Corpus events with a report matching ``flt`` (``kronika corpus``, ``/api/corpus``)."""
        where, params = _where(flt)
        with self.connect(read_only=True) as con:
            return query.corpus_events(con, where, params, limit=limit, offset=offset,
                                       min_articles=min_articles, order=order)

    def count_corpus(self, flt: EventFilter | None = None, min_articles: int = 1) -> int:
        where, params = _where(flt)
        with self.connect(read_only=True) as con:
            return query.count_corpus_events(con, where, params, min_articles=min_articles)

    def corpus_event(self, cid: str) -> dict | None:
        """One corpus event, its reports (event records) and its articles."""
        with self.connect(read_only=True) as con:
            ce = query.corpus_event(con, cid)
            if ce is None:
                return None
            ce["events"] = [row_to_record(r) for r in query._dicts(
                con, "SELECT * FROM events WHERE corpus_event_id = ? ORDER BY published, article_id, start_offset",
                [cid])]
            ce["articles"] = query._dicts(
                con, "SELECT id, published, lang, title, url, duplicate_of FROM articles "
                     "WHERE id IN (SELECT unnest(?)) OR duplicate_of IN (SELECT unnest(?)) ORDER BY published, id",
                [ce["article_ids"], ce["article_ids"]])
        return ce

    # --- countries and dyads -------------------------------------------------------------

    def dyads(self, flt: EventFilter | None = None, either: bool = False, limit: int = 100, offset: int = 0,
              include_domestic: bool = True) -> list[dict]:
        where, params = _where(flt)
        with self.connect(read_only=True) as con:
            return aggregate.dyads(con, where, params, either=either, limit=limit, offset=offset,
                                   include_domestic=include_domestic)

    def dyad_series(self, a: str, b: str | None = None, either: bool = True, since: str | None = None,
                    until: str | None = None) -> dict:
        """Monthly series of a country (``b`` None) or a dyad, every month of the span."""
        with self.connect(read_only=True) as con:
            return aggregate.monthly(con, a, b, either=either, since=since, until=until)

    def country(self, code: str) -> dict:
        """A country as one identity: its actors (state, government, people, groups), partner
        countries and monthly series."""
        with self.connect(read_only=True) as con:
            return {"country": code.upper(), "members": aggregate.country_members(con, code),
                    "partners": aggregate.country_partners(con, code),
                    **aggregate.monthly(con, code)}

    # --- trackers ------------------------------------------------------------------------

    def track(self, tracker: str, flt: EventFilter | None = None) -> list[dict]:
        """``sanctions`` or ``detainees`` timelines (kronika/corpus/trackers.py)."""
        where, params = _where(flt)
        with self.connect(read_only=True) as con:
            return trackers.track(con, tracker, where, params)

    # --- tables ----------------------------------------------------------------------------

    def events_table(self, flt: EventFilter | None = None, limit: int | None = None, offset: int = 0,
                     order: str = "date"):
        """The flat event table (``formats.flat_columns``) as an Arrow table, in the order of
        ``Store.events`` (``kronika events --format csv``, ``/api/events.csv``)."""
        from .explore import order_sql

        where, params = _where(flt)
        with self.connect(read_only=True) as con:
            return formats.flat_table(con, EVENT_COLUMNS, where, params, limit=limit, offset=offset,
                                      order=order_sql(order, "e"))

    def events_df(self, flt: EventFilter | None = None, limit: int | None = None):
        """The flat event table as a pandas DataFrame (codes as strings, dates typed)."""
        return self.events_table(flt, limit).to_pandas(date_as_object=False)

    def sql(self, statement: str, limit: int | None = None) -> tuple[list[str], list[tuple]]:
        """Run DuckDB SQL on the database, read-only and without file access: ``(columns, rows)``."""
        with self.connect(read_only=True) as con:
            # no file access: every kronika connection has enable_external_access off, locked
            cur = con.execute(statement)
            if cur.description is None:
                return [], []
            cols = [d[0] for d in cur.description]
            rows = cur.fetchmany(limit) if limit is not None else cur.fetchall()
        return cols, rows

    def export(self, out: str | Path, fmt: str, flt: EventFilter | None = None,
               partition_by_month: bool = False) -> int:
        """Write events to ``out``: csv / parquet (the flat table; parquet partitioned by
        month into a directory when asked), jsonl (event records), gdelt (GDELT 2.0 event
        table, one row per corpus event), plover (PLOVER JSON Lines). Returns the rows written."""
        fmt = fmt.lower()
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r} ({', '.join(EXPORT_FORMATS)})")
        where, params = _where(flt)
        if fmt in ("csv", "parquet"):
            with self.connect(read_only=True) as con:
                tbl = formats.flat_table(con, EVENT_COLUMNS, where, params)
            return formats.write_flat(tbl, str(out), fmt, partition_by_month=partition_by_month)
        if fmt == "gdelt":
            with self.connect(read_only=True) as con:
                return formats.write_gdelt(formats.gdelt_rows(con, where, params), str(out))
        recs = self.events_with_articles(flt)
        if fmt == "plover":
            recs = [formats.plover_record(r, r.get("article_url")) for r in recs]
        return formats.write_jsonl(recs, str(out))

    def events_with_articles(self, flt: EventFilter | None = None, limit: int | None = None,
                             offset: int = 0, order: str | None = None) -> list[dict]:
        """Event records with ``article_url`` and ``article_title``: the JSON Lines of
        ``kronika events -f jsonl`` (in its ``order``) and of ``kronika export --format jsonl``."""
        from .explore import order_sql

        where, params = _where(flt)
        sql = (f"SELECT e.*, a.url AS article_url, a.title AS article_title FROM (SELECT * FROM events{where}) e "
               f"LEFT JOIN articles a ON a.id = e.article_id ORDER BY {order_sql(order, 'e') if order else formats.ORDER}")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = params + [int(limit), int(offset)]
        with self.connect(read_only=True) as con:
            rows = query._dicts(con, sql, params)
        out = []
        for r in rows:
            rec = row_to_record(r)
            rec["article_url"], rec["article_title"] = r.get("article_url"), r.get("article_title")
            out.append(rec)
        return out


def dumps(rec: Any) -> str:
    return json.dumps(rec, ensure_ascii=False, default=str)
