"""Reading: the queries shared by the CLI, the API and the pages."""

from __future__ import annotations

import json
from typing import Any, Sequence

import duckdb

from .explore import order_sql
from .filters import EventFilter
from .schema import row_to_record


class QueryMixin:
    """The read methods of ``Store``."""

    def _dicts(self, con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict]:
        cur = con.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def events(self, flt: EventFilter | None = None, limit: int | None = None, offset: int = 0,
               order: str = "date") -> list[dict]:
        """Event records matching ``flt``, sorted by ``order`` (``kronika.store.explore.ORDERS``:
        a column, ``-column`` for descending; then date, article, offset)."""
        flt = flt or EventFilter()
        where, params = flt.where()
        sql = f"SELECT * FROM events{where} ORDER BY {order_sql(order)}"
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

    @staticmethod
    def _actors_sql(query: str | None, actor_id: str | None = None) -> tuple[str, list[Any]]:
        """The actors-with-counts query, unordered (``actor_id``: that one only)."""
        params: list[Any] = []
        cond = ""
        only = ""
        if actor_id is not None:
            only = "AND {col} = ?"
        if query:
            cond = ("WHERE contains(lower(coalesce(a.name, x.name)), ?) OR contains(lower(x.id), ?) "
                    "OR contains(lower(a.aliases), ?) OR x.country = ?")  # literal words: no LIKE wildcards
            like = query.lower()
            params = [like, like, like, query.upper()]
        sql = f"""
        WITH x AS (
            SELECT id, any_value(name) AS name, any_value(country) AS country, any_value(sector) AS sector,
                   count(*) AS n_events, sum(as_source) AS n_source, sum(as_target) AS n_target
            FROM (
                SELECT source_id AS id, source_name AS name, source_country AS country, source_sector AS sector,
                       1 AS as_source, 0 AS as_target FROM events WHERE source_id IS NOT NULL {only.format(col="source_id")}
                UNION ALL
                SELECT target_id, target_name, target_country, target_sector, 0, 1
                FROM events WHERE target_id IS NOT NULL {only.format(col="target_id")}
            ) GROUP BY id
        )
        SELECT x.id, coalesce(a.name, x.name) AS name, coalesce(a.country, x.country) AS country,
               coalesce(a.sector, x.sector) AS sector, a.kind, a.aliases, a.roles,
               x.n_events, x.n_source, x.n_target
        FROM x LEFT JOIN actors a ON a.id = x.id
        {cond}
        """
        params = ([actor_id, actor_id] if actor_id is not None else []) + params
        return sql, params

    def actors(self, query: str | None = None, limit: int = 100, offset: int = 0,
               order: str = "-n_events", actor_id: str | None = None) -> list[dict]:
        """Actors seen in events, with event counts, most active first (``order``: a key of
        ``explore.ACTOR_SORT``, ``-key`` descending; ``actor_id``: that one only)."""
        from .explore import actor_order_sql

        sql, params = self._actors_sql(query, actor_id)
        sql = f"SELECT * FROM ({sql}) ORDER BY {actor_order_sql(order)} LIMIT ? OFFSET ?"
        params += [limit, offset]
        with self.connect(read_only=True) as con:
            rows = self._dicts(con, sql, params)
        for r in rows:
            r["aliases"] = json.loads(r["aliases"]) if r.get("aliases") else []
            r["roles"] = json.loads(r["roles"]) if r.get("roles") else []
            r["n_source"] = int(r["n_source"] or 0)
            r["n_target"] = int(r["n_target"] or 0)
        return rows

    def count_actors(self, query: str | None = None) -> int:
        sql, params = self._actors_sql(query)
        with self.connect(read_only=True) as con:
            return int(con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    def actor(self, actor_id: str) -> dict | None:
        """One actor with its partners and its events."""
        rows = self.actors(actor_id=actor_id, limit=1)
        if not rows:
            return None
        act = rows[0]
        if actor_id.startswith("country:"):  # one identity per country: its government, people, groups
            return self._country_actor(act, actor_id.split(":", 1)[1])
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
            learned = _learned_roles(self, con, act)
        act["partners"] = partners
        act["learned_roles"] = learned
        act["events"] = self.events(EventFilter(actor=actor_id), limit=500)
        return act

    def _country_actor(self, act: dict, code: str) -> dict:
        """A country's actor record: its members (government, people, groups), its partner
        countries and the events of any of its actors (only these queries: a country's own-id
        partners and events would be replaced, and cost half the page at 1 M events)."""
        from ..corpus.aggregate import country_members, country_partners

        with self.connect(read_only=True) as con:
            act["learned_roles"] = _learned_roles(self, con, act)
            act["members"] = country_members(con, code)
            act["partners"] = [{"partner": f"country:{p['partner']}", "name": p["partner"],
                                "country": p["partner"], "n_events": p["n_events"],
                                "mean_goldstein": p["mean_goldstein"]}
                               for p in country_partners(con, code)]
        flt = EventFilter(country=code)
        act["events"] = self.events(flt, limit=500)
        act["n_country_events"] = self.count_events(flt)
        return act

    def stats(self, actor: str | None = None, partner: str | None = None, country: str | None = None) -> list[dict]:
        """Event counts and mean Goldstein per month, for an actor (country code or actor id), a
        dyad (actor and partner, both directions) or a country (as source or target)."""
        clauses: list[str] = []
        params: list[Any] = []

        def side(col: str, val: str) -> str:
            if val.startswith("country:"):  # a country as one identity (every actor of the country)
                params.append(val.split(":", 1)[1].upper())
                return f"{col}_country = ?"
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

    # --- added for the web explorer (kronika.server) --------------------------------------


def _learned_roles(store: Any, con: Any, act: dict) -> list[dict]:
    """The roles learned for an actor's name (appositions of the articles)."""
    return store._dicts(con, "SELECT * FROM learned_roles WHERE lower(name) = lower(?)", [act.get("name") or ""])
