"""Corpus events as records: one query over the events sharing a ``corpus_event_id``.

A corpus event's record: ``id``, ``cameo`` (the code most of its reports carry), ``root``,
``cameo_name``, ``quad_class``, ``goldstein``, ``source`` / ``target`` (the most frequent
country, sector, id and name), ``date`` and ``date_precision`` (the most precise date its
reports give, the most frequent among those), ``first_reported`` (earliest publication),
``quantity`` (the largest reported), ``location``, ``num_mentions`` (every place an article
reports it: the sum of its events' mentions), ``num_sources`` (distinct sites, from the
article URLs; an article without URL is its own source), ``num_articles``, ``article_ids``,
``event_ids``, ``sentences`` (every evidence sentence) and ``duplicate_article_ids``
(articles that copy one of its articles: stored, linked, never counted).
"""

from __future__ import annotations

from typing import Any, Sequence

SITE_SQL = ("coalesce(nullif(regexp_extract(lower(a.url), '^[a-z][a-z0-9+.-]*://(www[0-9]*\\.)?([^/:?#]+)', 2), ''), "
            "'article:' || e.article_id)")

_SUMMARY = f"""
WITH m AS (
    SELECT e.*, {SITE_SQL} AS site FROM events e JOIN articles a ON a.id = e.article_id
    WHERE e.corpus_event_id IS NOT NULL {{cond}}
)
SELECT corpus_event_id AS id, mode(cameo) AS cameo, any_value(root) AS root, mode(cameo_name) AS cameo_name,
       mode(quad_class) AS quad_class, avg(goldstein) AS goldstein, mode(plover_type) AS plover_type,
       mode(modality) AS modality,
       mode(source_country) AS source_country, mode(source_sector) AS source_sector,
       mode(source_id) AS source_id, mode(source_name) AS source_name,
       mode(target_country) AS target_country, mode(target_sector) AS target_sector,
       mode(target_id) AS target_id, mode(target_name) AS target_name,
       coalesce(mode(date) FILTER (WHERE date_precision = 'day'), mode(date) FILTER (WHERE date_precision = 'month'),
                mode(date) FILTER (WHERE date_precision = 'year'), mode(date)) AS date,
       CASE WHEN count(*) FILTER (WHERE date_precision = 'day') > 0 THEN 'day'
            WHEN count(*) FILTER (WHERE date_precision = 'month') > 0 THEN 'month'
            WHEN count(*) FILTER (WHERE date_precision = 'year') > 0 THEN 'year' END AS date_precision,
       min(published) AS first_reported, max(quantity) AS quantity,
       mode(location_place) AS location_place, mode(location_country) AS location_country,
       sum(greatest(coalesce(json_array_length(mentions), 1), 1))::BIGINT AS num_mentions,
       count(DISTINCT site) AS num_sources, count(DISTINCT article_id) AS num_articles,
       list(DISTINCT article_id ORDER BY article_id) AS article_ids,
       list(event_id ORDER BY published, event_id) AS event_ids,
       list(sentence ORDER BY published, event_id) AS sentences
FROM m GROUP BY corpus_event_id
"""


def _dicts(con: Any, sql: str, params: Sequence[Any] = ()) -> list[dict]:
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _record(r: dict) -> dict:
    def actor(p: str) -> dict | None:
        if not r.get(f"{p}_country") and not r.get(f"{p}_id"):
            return None
        return {k: r.pop(f"{p}_{k}", None) for k in ("id", "name", "country", "sector")}

    out = dict(r)
    out["source"], out["target"] = actor("source"), actor("target")
    for p in ("source", "target"):
        for k in ("id", "name", "country", "sector"):
            out.pop(f"{p}_{k}", None)
    place, country = out.pop("location_place", None), out.pop("location_country", None)
    out["location"] = {"place": place, "country": country} if (place or country) else None
    g = out.get("goldstein")
    out["goldstein"] = round(float(g), 3) if g is not None else None
    for k in ("num_mentions", "num_sources", "num_articles", "quad_class", "quantity"):
        if out.get(k) is not None:
            out[k] = int(out[k])
    for k in ("article_ids", "event_ids", "sentences"):
        out[k] = list(out.get(k) or [])
    return out


def _with_duplicates(con: Any, recs: list[dict]) -> list[dict]:
    ids = sorted({a for r in recs for a in r["article_ids"]})
    dups: dict[str, list[str]] = {}
    if ids:
        for aid, first in con.execute(
                "SELECT id, duplicate_of FROM articles WHERE duplicate_of IN (SELECT unnest(?)) ORDER BY id",
                [ids]).fetchall():
            dups.setdefault(first, []).append(aid)
    for r in recs:
        r["duplicate_article_ids"] = [d for a in r["article_ids"] for d in dups.get(a, [])]
    return recs


ORDERS = {
    "date": "coalesce(date, first_reported), id",
    "-date": "coalesce(date, first_reported) DESC, id",
    "articles": "num_articles DESC, num_mentions DESC, coalesce(date, first_reported), id",
}


def corpus_events(con: Any, where: str = "", params: Sequence[Any] = (), limit: int | None = None,
                  offset: int = 0, min_articles: int = 1, order: str = "date") -> list[dict]:
    """Corpus events with at least one report matching ``where`` (an EventFilter clause)."""
    cond = ""
    if where:
        cond = f"AND e.corpus_event_id IN (SELECT corpus_event_id FROM events{where})"
    sql = f"SELECT * FROM ({_SUMMARY.format(cond=cond)}) WHERE num_articles >= ? ORDER BY {ORDERS.get(order, ORDERS['date'])}"
    p = list(params) + [int(min_articles)]
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        p += [int(limit), int(offset)]
    return _with_duplicates(con, [_record(r) for r in _dicts(con, sql, p)])


def count_corpus_events(con: Any, where: str = "", params: Sequence[Any] = (), min_articles: int = 1) -> int:
    inner = f"SELECT corpus_event_id FROM events{where}" if where else "SELECT corpus_event_id FROM events"
    return con.execute(
        f"SELECT count(*) FROM (SELECT corpus_event_id FROM events WHERE corpus_event_id IN ({inner}) "
        "GROUP BY corpus_event_id HAVING count(DISTINCT article_id) >= ?)", list(params) + [int(min_articles)]
    ).fetchone()[0]


def corpus_event(con: Any, cid: str) -> dict | None:
    """One corpus event with its summary; the caller adds the member event records."""
    rows = _dicts(con, f"SELECT * FROM ({_SUMMARY.format(cond='AND e.corpus_event_id = ?')})", [cid])
    if not rows:
        return None
    return _with_duplicates(con, [_record(rows[0])])[0]
