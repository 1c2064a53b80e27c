"""The formats analysts load: one flat event table (csv, parquet, pandas), GDELT 2.0, PLOVER.

Flat table (``flat_columns``): every field of the JSON event record, flattened with ``_``
(``source.country`` → ``source_country``), plus ``corpus_event_id``, the article's
``article_url``, ``article_title`` and ``duplicate_of``, and typed dates: ``date_start``
(DATE: first day of the event's date at its precision), ``published_date`` (DATE) and
``month`` (``YYYY-MM`` of the event, else of the publication: the parquet partition key).
``kronika events --format csv`` and ``kronika export --format csv|parquet`` write exactly
these columns in this order; the JSON Lines forms carry the nested record with the same
fields. CAMEO codes (``cameo``, ``root``) are strings everywhere; a CSV has no types, so read
it with ``pandas.read_csv(path, dtype=CSV_DTYPES)`` (or use parquet / ``Store.events_df``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Sequence


DATE_START_SQL = ("TRY_CAST(CASE WHEN length({c}) = 10 THEN {c} WHEN length({c}) = 7 THEN {c} || '-01' "
                  "WHEN length({c}) = 4 THEN {c} || '-01-01' END AS DATE)")
EXTRA = ["corpus_event_id", "article_url", "article_title", "duplicate_of", "date_start", "published_date", "month"]
CSV_DTYPES = {"cameo": str, "root": str, "event_id": str, "article_id": str, "date": str, "published": str,
              "corpus_event_id": str, "month": str}
ORDER = "coalesce(e.date, e.published), e.article_id, e.start_offset"


def flat_columns(event_columns: Sequence[str]) -> list[str]:
    """The flat table's columns: the events table's, then ``EXTRA``."""
    return list(event_columns) + EXTRA


def flat_select(event_columns: Sequence[str], where: str = "", order: str = ORDER) -> str:
    """SELECT of the flat event table for an EventFilter clause."""
    cols = ", ".join(f"e.{c}" for c in event_columns)
    w = where
    return f"""
        SELECT {cols}, e.corpus_event_id, a.url AS article_url, a.title AS article_title, a.duplicate_of,
               {DATE_START_SQL.format(c='e.date')} AS date_start,
               {DATE_START_SQL.format(c='e.published')} AS published_date,
               substr(coalesce(e.date, e.published), 1, 7) AS month
        FROM (SELECT * FROM events{w}) e LEFT JOIN articles a ON a.id = e.article_id
        ORDER BY {order}
    """


def flat_table(con: Any, event_columns: Sequence[str], where: str = "", params: Sequence[Any] = (),
               limit: int | None = None, offset: int = 0, order: str = ORDER):
    """The flat event table as an Arrow table (``order``: an ORDER BY on the alias ``e``)."""
    sql = flat_select(event_columns, where, order)
    p = list(params)
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        p += [int(limit), int(offset)]
    return con.sql(sql, params=p).to_arrow_table()


def write_flat(table: Any, out: str, fmt: str, partition_by_month: bool = False) -> int:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if fmt == "csv":
        pacsv.write_csv(table, str(out))
    elif partition_by_month:
        import pyarrow.dataset as ds

        ds.write_dataset(table, str(out), format="parquet", partitioning=["month"], partitioning_flavor="hive",
                         existing_data_behavior="overwrite_or_ignore")
    else:
        pq.write_table(table, str(out))
    return table.num_rows


# --- GDELT 2.0 --------------------------------------------------------------------------

GDELT_COLUMNS = [
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    *[f"Actor1{c}" for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                              "Religion2Code", "Type1Code", "Type2Code", "Type3Code")],
    *[f"Actor2{c}" for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                              "Religion2Code", "Type1Code", "Type2Code", "Type3Code")],
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *[f"{g}_{c}" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo")
      for c in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")],
    "DATEADDED", "SOURCEURL",
]
assert len(GDELT_COLUMNS) == 61

GEO_TYPE = {"country": 1, "region": 5, "city": 4}  # GDELT: 1 country, 4 world city, 5 world state (ADM1)


def _int_id(s: str) -> int:
    return int(hashlib.sha1(s.encode("utf-8")).hexdigest()[:15], 16)


def _is_state(code: str | None) -> bool:
    from .countries import iso2

    return bool(code) and iso2(code) is not None


def _actor(country: str | None, sector: str | None, name: str | None) -> list[str]:
    """Actor{1,2} Code, Name, CountryCode, KnownGroupCode, Ethnic, Religion1, Religion2, Type1-3."""
    if not country and not sector:
        return [""] * 10
    state = _is_state(country)
    code = (country or "") + (sector or "")
    return [code, (name or "").upper(), country if state else "", "" if state else (country or ""),
            "", "", "", sector or "", "", ""]


def _geo(row: dict) -> list[str]:
    if not row.get("location_country"):
        return [""] * 8
    from .countries import iso2

    lat, lon = row.get("location_lat"), row.get("location_lon")
    name = ", ".join(x for x in (row.get("location_place"), row.get("location_country")) if x)
    return [str(GEO_TYPE.get(row.get("location_precision") or "country", 1)), name,
            iso2(row["location_country"]) or "", "", "",
            f"{lat:.4f}" if lat is not None else "", f"{lon:.4f}" if lon is not None else "",
            str(row.get("location_geonameid") or "")]


def gdelt_rows(con: Any, where: str = "", params: Sequence[Any] = ()) -> list[list[str]]:
    """One GDELT 2.0 event row per corpus event (its first report gives the actors, code,
    place and URL; the counts are the corpus event's)."""
    from .query import _dicts, corpus_events

    cevs = {c["id"]: c for c in corpus_events(con, where, params)}
    firsts = _dicts(con, """
        SELECT e.*, a.url, a.ingested_at, a.text AS article_text FROM events e JOIN articles a ON a.id = e.article_id
        WHERE e.corpus_event_id IN (SELECT unnest(?))
        QUALIFY row_number() OVER (PARTITION BY e.corpus_event_id
                                   ORDER BY e.published, e.article_id, e.start_offset) = 1
    """, [list(cevs)])
    out = []
    for r in sorted(firsts, key=lambda r: (cevs[r["corpus_event_id"]].get("date") or r["published"],
                                           r["corpus_event_id"])):
        c = cevs[r["corpus_event_id"]]
        d = (c.get("date") or r["published"] or "")
        y = d[:4]
        m = d[5:7] if len(d) >= 7 else "01"
        dd = d[8:10] if len(d) >= 10 else "01"
        from datetime import date as _date

        try:
            doy = _date(int(y), int(m), int(dd)).timetuple().tm_yday
            frac = f"{int(y) + doy / 365.0:.4f}"
        except ValueError:
            frac = ""
        text = r.get("article_text") or ""
        para = text.find("\n\n")
        is_root = 1 if r.get("start_offset") is not None and (para < 0 or r["start_offset"] < para) else 0
        cameo = c["cameo"]
        added = r.get("ingested_at")
        row = [str(_int_id(c["id"])), f"{y}{m}{dd}", f"{y}{m}", y, frac,
               *_actor(r.get("source_country"), r.get("source_sector"), r.get("source_name") or r.get("source_text")),
               *_actor(r.get("target_country"), r.get("target_sector"), r.get("target_name") or r.get("target_text")),
               str(is_root), cameo, cameo[:3], cameo[:2], str(r.get("quad_class") or ""),
               f"{float(r['goldstein']):.1f}" if r.get("goldstein") is not None else "",
               str(c["num_mentions"]), str(c["num_sources"]), str(c["num_articles"]), "",
               *([""] * 8), *([""] * 8), *_geo(r),
               added.strftime("%Y%m%d%H%M%S") if hasattr(added, "strftime") else "", r.get("url") or ""]
        out.append(row)
    return out


def write_gdelt(rows: list[list[str]], out: str) -> int:
    with open(out, "w", encoding="utf-8", newline="") as fh:
        for row in rows:
            fh.write("\t".join(x.replace("\t", " ").replace("\n", " ") for x in row) + "\n")
    return len(rows)


# --- PLOVER -------------------------------------------------------------------------------


def plover_record(rec: dict, url: str | None = None) -> dict:
    """A stored event record as a PLOVER JSON record."""
    s, t, loc = rec.get("source") or {}, rec.get("target") or {}, rec.get("location")
    return {
        "id": rec["event_id"],
        "event_date": rec.get("date"),
        "event_date_precision": rec.get("date_precision"),
        "event_type": rec.get("plover_type"),
        "mode": rec.get("plover_mode") or "",
        "context": [],
        "actor": s.get("name") or s.get("text"),
        "actor_country": s.get("country"),
        "actor_role": s.get("sector"),
        "recipient": t.get("name") or t.get("text"),
        "recipient_country": t.get("country"),
        "recipient_role": t.get("sector"),
        "geolocation": ({"place_name": loc.get("place"), "country": loc.get("country"), "lat": loc.get("lat"),
                         "lon": loc.get("lon"), "geonameid": loc.get("geonameid"),
                         "precision": loc.get("precision")} if loc else None),
        "event_text": rec.get("sentence"),
        "story_id": rec.get("article_id"),
        "story_date": rec.get("published"),
        "story_url": url,
        "language": rec.get("lang"),
        "cameo": rec.get("cameo"),
        "modality": rec.get("modality"),
        "corpus_event_id": rec.get("corpus_event_id"),
    }


def write_jsonl(records: list[dict], out: str) -> int:
    with open(out, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    return len(records)


# the keys of the nested records in the lists of ``kronika corpus|track|dyads`` and the API:
# a record whose actor or place is null still gets their columns, so every row (and every
# output, whichever record comes first) has the same columns
NESTED = {"source": ("id", "name", "country", "sector"), "target": ("id", "name", "country", "sector"),
          "location": ("place", "country"), "subject": ("id", "name", "country", "sector", "named_person"),
          "by": ("country", "sector", "name", "id")}


def flat_record(rec: dict, nested: dict[str, Sequence[str]] | None = None) -> dict:
    """A nested record as one CSV row (``source.country`` → ``source_country``; a null nested
    record of ``nested`` (default ``NESTED``) as its empty columns; lists of plain values
    joined by ``|``; nested lists of records left out)."""
    nested = NESTED if nested is None else nested
    out: dict = {}
    for k, v in rec.items():
        if isinstance(v, dict) or (v is None and k in nested):
            keys = list(nested.get(k, ())) + [k2 for k2 in (v or {}) if k2 not in nested.get(k, ())]
            for k2 in keys:
                v2 = (v or {}).get(k2)
                if not isinstance(v2, (dict, list)):
                    out[f"{k}_{k2}"] = v2
        elif isinstance(v, list):
            if all(not isinstance(x, (dict, list)) for x in v):
                out[k] = "|".join(str(x) for x in v)
        else:
            out[k] = v
    return out


def records_csv(rows: Sequence[dict]) -> str:
    """CSV text of records (``flat_record``), columns in order of first appearance, text quoted."""
    import csv
    import io

    flat = [flat_record(r) for r in rows]
    cols: list[str] = []
    for r in flat:
        cols += [k for k in r if k not in cols]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, quoting=csv.QUOTE_NONNUMERIC)
    w.writeheader()
    w.writerows(flat)
    return buf.getvalue()
