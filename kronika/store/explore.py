"""Reading for the explorer views, shared by the CLI, the API and the pages: sorting the event
table by any column, facet counts, the articles list, the problems table and monthly series
on a real time axis (issue 14 items 10 and 13). Every value is bound, never formatted into SQL;
an order is one of ``SORT_KEYS`` (optionally with ``-`` for descending)."""

from __future__ import annotations

from typing import Any

from ..corpus import aggregate
from .filters import EventFilter

DATE_SQL = "coalesce({p}date, {p}published)"
# sort keys of the event table: the columns a user sees, and the fields behind them
SORT_KEYS: dict[str, str] = {
    "date": DATE_SQL,
    "published": "{p}published",
    "cameo": "{p}cameo",
    "root": "{p}root",
    "quad_class": "{p}quad_class",
    "goldstein": "{p}goldstein",
    "source": "coalesce({p}source_name, {p}source_text)",
    "source_country": "{p}source_country",
    "target": "coalesce({p}target_name, {p}target_text)",
    "target_country": "{p}target_country",
    "modality": "{p}modality",
    "quantity": "{p}quantity",
    "location": "{p}location_country || ' ' || coalesce({p}location_place, '')",
    "article": "{p}article_id",
    "evidence": "{p}sentence",
}
ORDERS = tuple(k for key in SORT_KEYS for k in (key, f"-{key}"))
ARTICLE_SORT = {"published": "published", "title": "coalesce(title, id)", "id": "id", "lang": "lang",
                "n_events": "n_events", "url": "url"}
ARTICLE_ORDERS = tuple(k for key in ARTICLE_SORT for k in (key, f"-{key}"))
ACTOR_SORT = {"name": "lower(name)", "id": "id", "kind": "kind", "country": "country", "sector": "sector",
              "n_events": "n_events", "n_source": "n_source", "n_target": "n_target"}
ACTOR_ORDERS = tuple(k for key in ACTOR_SORT for k in (key, f"-{key}"))


def actor_order_sql(order: str | None) -> str:
    """ORDER BY of the actors list (``Store.actors``): a key of ``ACTOR_SORT``, ``-key`` descending."""
    order = order or "-n_events"
    desc = order.startswith("-")
    key = order[1:] if desc else order
    if key not in ACTOR_SORT:
        raise ValueError(f"cannot sort actors by {order!r}: give one of {', '.join(ACTOR_SORT)}")
    return f"{ACTOR_SORT[key]} {'DESC' if desc else 'ASC'} NULLS LAST, n_events DESC, id"


def order_sql(order: str | None, prefix: str = "") -> str:
    """ORDER BY expression of an event order (``goldstein``, ``-date``, ``source`` …): the key,
    nulls last, then date, article and offset. Unknown orders raise ValueError."""
    order = order or "date"
    desc = order.startswith("-")
    key = order[1:] if desc else order
    if key not in SORT_KEYS:
        raise ValueError(f"cannot sort by {order!r}: give one of {', '.join(SORT_KEYS)} (with - for descending)")
    p = f"{prefix}." if prefix else ""
    expr = SORT_KEYS[key].format(p=p)
    tail = f"{DATE_SQL.format(p=p)}, {p}article_id, {p}start_offset"
    return f"{expr} {'DESC' if desc else 'ASC'} NULLS LAST, {tail}"


def _dicts(con: Any, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


class ExploreMixin:
    """Explorer reads of ``Store`` (each opens the file read-only for one query)."""

    def facets(self, flt: EventFilter | None = None, limit: int = 20) -> dict[str, Any]:
        """Counts of the events matching ``flt`` by CAMEO ``root`` (with its name), by ``country``
        (source or target, an event counted once per country) and by ``month`` (chronological,
        every month from the first to the last; events dated to the year only are counted in
        ``years``). Roots and countries: most frequent first, at most ``limit`` values."""
        where, params = (flt or EventFilter()).where()
        with self.connect(read_only=True) as con:
            roots = _dicts(con, f"SELECT root AS value, count(*) AS n FROM events{where} "
                                "GROUP BY root ORDER BY n DESC, value LIMIT ?", params + [limit])
            # an event counts once per country: as source, or as target of another country's act
            tw = f"{where} AND" if where else " WHERE"
            countries = _dicts(con, f"""
                SELECT c AS value, count(*) AS n FROM (
                    SELECT source_country AS c FROM events{where}
                    UNION ALL SELECT target_country FROM events{tw} target_country IS DISTINCT FROM source_country
                ) WHERE c IS NOT NULL GROUP BY c ORDER BY n DESC, value LIMIT ?""", params + params + [limit])
            months = _dicts(con, f"SELECT substr({DATE_SQL.format(p='')}, 1, 7) AS value, count(*) AS n "
                                 f"FROM events{where} GROUP BY value ORDER BY value", params)
        from ..ontology import load_ontology

        onto = load_ontology()
        for r in roots:
            r["name"] = onto.get(r["value"]).name if r["value"] in onto else None
        dated = {r["value"]: int(r["n"]) for r in months if r["value"] and len(r["value"]) == 7}
        span = aggregate._months(min(dated), max(dated)) if dated else []
        return {
            "root": [{"value": r["value"], "name": r["name"], "n": int(r["n"])} for r in roots],
            "country": [{"value": r["value"], "n": int(r["n"])} for r in countries],
            "month": [{"value": m, "n": dated.get(m, 0)} for m in span],
            "years": [{"value": r["value"], "n": int(r["n"])} for r in months if r["value"] and len(r["value"]) == 4],
        }

    # --- articles ----------------------------------------------------------------------------

    @staticmethod
    def _article_where(q: str | None, lang: str | None, since: str | None, until: str | None) -> tuple[str, list]:
        clauses, params = [], []
        if q:
            clauses.append("(contains(strip_accents(lower(coalesce(title, ''))), strip_accents(lower(?))) "
                           "OR contains(lower(id), lower(?)) OR contains(lower(coalesce(url, '')), lower(?)))")
            params += [q] * 3  # literal: "%" and "_" are no wildcards
        if lang:
            clauses.append("lang = ?")
            params.append(lang)
        if since:
            clauses.append("published >= ?")
            params.append(since)
        if until:
            clauses.append("substr(published, 1, ?) <= ?")
            params += [len(until), until]
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def article_list(self, q: str | None = None, lang: str | None = None, since: str | None = None,
                     until: str | None = None, order: str = "-published", limit: int = 50,
                     offset: int = 0) -> dict[str, Any]:
        """The articles page: ``total`` and ``articles`` (id, published, lang, title, url,
        n_events, duplicate_of, source_path) matching words of the title/id/URL, a language
        and publication dates; sorted by ``ARTICLE_ORDERS``."""
        desc = order.startswith("-")
        key = order[1:] if desc else order
        if key not in ARTICLE_SORT:
            raise ValueError(f"cannot sort articles by {order!r}: give one of {', '.join(ARTICLE_SORT)}")
        where, params = self._article_where(q, lang, since, until)
        sql = (f"SELECT id, published, lang, title, url, n_events, duplicate_of, source_path FROM articles{where} "
               f"ORDER BY {ARTICLE_SORT[key]} {'DESC' if desc else 'ASC'} NULLS LAST, id LIMIT ? OFFSET ?")
        with self.connect(read_only=True) as con:
            total = con.execute(f"SELECT count(*) FROM articles{where}", params).fetchone()[0]
            rows = _dicts(con, sql, params + [int(limit), int(offset)])
        for r in rows:
            r["n_events"] = int(r["n_events"] or 0)
        return {"total": int(total), "articles": rows}

    # --- problems ----------------------------------------------------------------------------

    def problem_list(self, level: str | None = None, run_id: str | None = None, limit: int = 50,
                     offset: int = 0) -> dict[str, Any]:
        """What ingest skipped or warned about: ``total`` and ``problems`` (at, run_id, path,
        line, level, message), newest first; ``runs``: the run ids with their counts."""
        clauses, params = [], []
        if level:
            clauses.append("level = ?")
            params.append(level)
        if run_id:
            clauses.append("run_id = ?")
            params.append(run_id)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        with self.connect(read_only=True) as con:
            cols = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                              "WHERE table_name = 'problems'").fetchall()}
            if "run_id" not in cols:  # a database written before run ids: no run to show
                if run_id:
                    return {"total": 0, "problems": [], "runs": []}
                run_col = "NULL AS run_id"
            else:
                run_col = "run_id"
            total = con.execute(f"SELECT count(*) FROM problems{where}", params).fetchone()[0]
            rows = _dicts(con, f'SELECT CAST("at" AS VARCHAR) AS "at", {run_col}, path, line, level, message '
                               f'FROM problems{where} ORDER BY "at" DESC, path, line LIMIT ? OFFSET ?',
                          params + [int(limit), int(offset)])
            runs = _dicts(con, f'SELECT {run_col}, count(*) AS n, CAST(min("at") AS VARCHAR) AS first_at '
                               'FROM problems GROUP BY 1 ORDER BY first_at DESC', [])
        return {"total": int(total), "problems": rows, "runs": runs}

    # --- timelines ---------------------------------------------------------------------------

    def series(self, actor: str | None = None, partner: str | None = None, country: str | None = None,
               since: str | None = None, until: str | None = None) -> dict[str, Any]:
        """The monthly series of an actor, a dyad (``actor`` and ``partner``, both directions)
        or a country, on a real time axis: every month of the span (empty ones too), reports
        dated to the year only apart (``years``), day-dated reports as points (``days``); the
        shape of ``Store.dyad_series``. ``actor``/``partner`` as in ``Store.stats``."""
        cond, params = _actor_condition(actor, partner, country)
        with self.connect(read_only=True) as con:
            out = aggregate.series(con, cond, params, since=since, until=until)
        return {"actor": actor, "partner": partner, "country": country, **out}


def _actor_condition(actor: str | None, partner: str | None, country: str | None) -> tuple[str, list]:
    """The WHERE condition of ``Store.stats``'s actor, dyad or country."""
    clauses: list[str] = []
    params: list[Any] = []

    def side(col: str, val: str) -> str:
        if val.startswith("country:"):  # a country as one identity (every actor of the country)
            params.append(val.split(":", 1)[1].upper())
            return f"{col}_country = ?"
        params.extend([val.upper(), val])
        return f"({col}_country = ? OR {col}_id = ?)"

    if actor and partner:
        a1, p1 = side("source", actor), side("target", partner)
        a2, p2 = side("target", actor), side("source", partner)
        clauses.append(f"(({a1} AND {p1}) OR ({a2} AND {p2}))")
    elif actor:
        clauses.append(f"({side('source', actor)} OR {side('target', actor)})")
    if country:
        clauses.append("(source_country = ? OR target_country = ?)")
        params += [country.upper(), country.upper()]
    return (" AND ".join(clauses) if clauses else "TRUE"), params
