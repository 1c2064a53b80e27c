"""Schema of a kronika database and the mapping between Event objects and event rows."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..model import Event

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
    message VARCHAR,
    run_id VARCHAR  -- the ingest run that first met the problem; a re-run does not record it again
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
    "sentence", "start_offset", "end_offset", "trigger", "trigger_start", "trigger_end", "mentions", "confidence",
]
# added after the first files were written: `Store` adds it to older files (ALTER … IF NOT EXISTS)
UPGRADES = """
ALTER TABLE events ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS sentence_key VARCHAR;
UPDATE events SET sentence_key = strip_accents(lower(sentence)) WHERE sentence_key IS NULL AND sentence IS NOT NULL;
"""
# ``events.sentence_key``: the evidence sentence folded (lower case, no accents) once at write
# time, so that ``--text`` compares with ``contains`` instead of folding every sentence of the
# file on every query (170 ms → 10 ms on 1 M events); not part of the event record
SENTENCE_KEY_SQL = "strip_accents(lower(sentence))"


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
        ev.confidence,
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
        "corpus_event_id": row.get("corpus_event_id"),
        "confidence": row.get("confidence") if row.get("confidence") is not None else 1.0,
    }

