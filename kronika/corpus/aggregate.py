"""Countries and country dyads: one identity per country, monthly series on a real time axis.

A country is every actor whose ``country`` is its code, whatever its sector or kind: the
state (``country:BLR``), its government and services (``group:BLR:GOV``), its people
(``person:…``), parties and groups. A dyad is (source country, target country); asked
``either`` way it counts both directions.

Counts are given both per event (report) and per corpus event (``n_corpus_events``: reports of
one action counted once), with the mean Goldstein value. ``monthly`` returns every month of
the span, the empty ones too, and keeps reports dated only to the year apart (``years``) so
that a chart does not pile them on January; day-dated reports are also returned as points
(``days``) to be drawn where they fall.
"""

from __future__ import annotations

from typing import Any, Sequence

from .query import _dicts

DATE_SQL = "coalesce(date, published)"


def _side(prefix: str, code: str, params: list) -> str:
    params.append(code.upper())
    return f"{prefix}_country = ?"


def dyad_clause(a: str | None, b: str | None, either: bool = True) -> tuple[str, list[Any]]:
    """WHERE condition of a country (``a`` alone) or a dyad ``a`` → ``b`` (both ways when ``either``)."""
    params: list[Any] = []
    if a and b:
        c = f"({_side('source', a, params)} AND {_side('target', b, params)})"
        if either:
            c = f"({c} OR ({_side('source', b, params)} AND {_side('target', a, params)}))"
        return c, params
    if a:
        return f"({_side('source', a, params)} OR {_side('target', a, params)})", params
    return "TRUE", params


def _and(where: str, cond: str) -> str:
    return f"{where} AND {cond}" if where else f" WHERE {cond}"


def dyads(con: Any, where: str = "", params: Sequence[Any] = (), either: bool = False, limit: int = 100,
          offset: int = 0, include_domestic: bool = True) -> list[dict]:
    """Country pairs with their event and corpus-event counts and mean Goldstein, most active
    first. ``either``: A–B and B–A together (``a`` < ``b`` alphabetically)."""
    w = _and(where, "source_country IS NOT NULL AND target_country IS NOT NULL")
    if not include_domestic:
        w = _and(w, "source_country <> target_country")
    a, b = (("least(source_country, target_country)", "greatest(source_country, target_country)") if either
            else ("source_country", "target_country"))
    sql = f"""
        SELECT {a} AS a, {b} AS b, count(*) AS n_events, count(DISTINCT corpus_event_id) AS n_corpus_events,
               avg(goldstein) AS mean_goldstein,
               sum(CASE WHEN quad_class IN (1, 2) THEN 1 ELSE 0 END) AS n_cooperation,
               sum(CASE WHEN quad_class IN (3, 4) THEN 1 ELSE 0 END) AS n_conflict,
               min({DATE_SQL}) AS first, max({DATE_SQL}) AS last
        FROM events{w} GROUP BY 1, 2 ORDER BY n_events DESC, a, b LIMIT ? OFFSET ?
    """
    rows = _dicts(con, sql, list(params) + [int(limit), int(offset)])
    for r in rows:
        r["mean_goldstein"] = round(float(r["mean_goldstein"]), 3) if r["mean_goldstein"] is not None else None
        for k in ("n_events", "n_corpus_events", "n_cooperation", "n_conflict"):
            r[k] = int(r[k] or 0)
    return rows


def _months(first: str, last: str) -> list[str]:
    y0, m0 = int(first[:4]), int(first[5:7])
    y1, m1 = int(last[:4]), int(last[5:7])
    out = []
    while (y0, m0) <= (y1, m1):
        out.append(f"{y0:04d}-{m0:02d}")
        y0, m0 = (y0 + 1, 1) if m0 == 12 else (y0, m0 + 1)
    return out


def monthly(con: Any, a: str | None = None, b: str | None = None, either: bool = True,
            since: str | None = None, until: str | None = None) -> dict:
    """The monthly series of a country or a dyad (``series`` of its condition), with ``a``,
    ``b`` and ``either``."""
    cond, params = dyad_clause(a, b, either)
    return {"a": a.upper() if a else None, "b": b.upper() if b else None, "either": either,
            **series(con, cond, params, since=since, until=until)}


def series(con: Any, cond: str = "TRUE", params: Sequence[Any] = (), since: str | None = None,
           until: str | None = None) -> dict:
    """The monthly series of the events matching the SQL condition ``cond``: ``months`` (every
    month from the first to the last, or ``since``..``until``: ``month``, ``n_events``,
    ``n_corpus_events``, ``mean_goldstein``, ``n_cooperation``, ``n_conflict``), ``years``
    (reports dated to the year only, per year) and ``days`` (day-dated reports: ``date``,
    ``goldstein``, ``corpus_event_id``, ``event_id``)."""
    params = list(params)
    sql = f"""
        SELECT substr({DATE_SQL}, 1, 7) AS month, count(*) AS n_events,
               count(DISTINCT corpus_event_id) AS n_corpus_events, avg(goldstein) AS mean_goldstein,
               sum(CASE WHEN quad_class IN (1, 2) THEN 1 ELSE 0 END) AS n_cooperation,
               sum(CASE WHEN quad_class IN (3, 4) THEN 1 ELSE 0 END) AS n_conflict
        FROM events WHERE {cond} AND length({DATE_SQL}) >= 7 GROUP BY month ORDER BY month
    """
    rows = {r["month"]: r for r in _dicts(con, sql, params)}
    years = _dicts(con, f"""
        SELECT {DATE_SQL} AS year, count(*) AS n_events, count(DISTINCT corpus_event_id) AS n_corpus_events,
               avg(goldstein) AS mean_goldstein FROM events
        WHERE {cond} AND length({DATE_SQL}) = 4 GROUP BY year ORDER BY year""", params)
    days = _dicts(con, f"""
        SELECT date, goldstein, quad_class, corpus_event_id, event_id FROM events
        WHERE {cond} AND date_precision = 'day' AND length(date) = 10 ORDER BY date, event_id""", params)
    # the span holds every dated report: months, and the whole of each year-only report's year
    keys = sorted(rows) + [y["year"] + "-01" for y in years if y["year"]] + [y["year"] + "-12" for y in years if y["year"]]
    keys.sort()
    first = since[:7] if since and len(since) >= 7 else (since + "-01" if since else (keys[0] if keys else None))
    last = until[:7] if until and len(until) >= 7 else (until + "-12" if until else (keys[-1] if keys else None))
    months = []
    if first and last:
        for m in _months(first, last):
            r = rows.get(m) or {"month": m, "n_events": 0, "n_corpus_events": 0, "mean_goldstein": None,
                                "n_cooperation": 0, "n_conflict": 0}
            mg = r["mean_goldstein"]
            months.append({"month": m, "n_events": int(r["n_events"]), "n_corpus_events": int(r["n_corpus_events"]),
                           "mean_goldstein": round(float(mg), 3) if mg is not None else None,
                           "n_cooperation": int(r["n_cooperation"] or 0), "n_conflict": int(r["n_conflict"] or 0)})
    for y in years:
        y["mean_goldstein"] = round(float(y["mean_goldstein"]), 3) if y["mean_goldstein"] is not None else None
        y["n_events"], y["n_corpus_events"] = int(y["n_events"]), int(y["n_corpus_events"])
    if first and last:
        days = [d for d in days if first <= d["date"][:7] <= last]
    return {"months": months, "years": years, "days": days}


def country_members(con: Any, code: str, limit: int = 100) -> list[dict]:
    """The actors of a country (state, government, people, groups) with their event counts."""
    return _dicts(con, """
        SELECT id, any_value(name) AS name, any_value(sector) AS sector, count(*) AS n_events FROM (
            SELECT source_id AS id, source_name AS name, source_sector AS sector FROM events WHERE source_country = ?
            UNION ALL
            SELECT target_id, target_name, target_sector FROM events WHERE target_country = ?
        ) WHERE id IS NOT NULL GROUP BY id ORDER BY n_events DESC, id LIMIT ?""", [code.upper(), code.upper(), limit])


def country_partners(con: Any, code: str, limit: int = 50) -> list[dict]:
    """Partner countries of a country, both directions, with counts and mean Goldstein."""
    c = code.upper()
    rows = _dicts(con, """
        SELECT partner, count(*) AS n_events, count(DISTINCT corpus_event_id) AS n_corpus_events,
               avg(goldstein) AS mean_goldstein FROM (
            SELECT target_country AS partner, goldstein, corpus_event_id FROM events
            WHERE source_country = ? AND target_country IS NOT NULL AND target_country <> ?
            UNION ALL
            SELECT source_country, goldstein, corpus_event_id FROM events
            WHERE target_country = ? AND source_country IS NOT NULL AND source_country <> ?
        ) GROUP BY partner ORDER BY n_events DESC, partner LIMIT ?""", [c, c, c, c, limit])
    for r in rows:
        r["mean_goldstein"] = round(float(r["mean_goldstein"]), 3) if r["mean_goldstein"] is not None else None
    return rows


