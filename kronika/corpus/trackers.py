"""Trackers derived from corpus events: sanctions and detainees.

A tracker reads the corpus events whose code is listed in ``kronika/data/trackers.yaml``
(sanctions: threatened 1312/132, imposed 163, eased 085/081; detainees: arrested 173,
sentenced 116, released 0841, exiled 174), gives each a stage — the code's default, refined
by the words of ``kronika/lang/<lang>/trackers.yaml`` found in its reports' triggers
("levée des sanctions" is *lifted*, "gracié" *pardoned*, "condamné" *sentenced*) — and groups
the entries by their subject: the target of the sanctions (a country, company, sector or
person) or the detained person (a named person; a group keeps its words and its quantity).

Each entry: ``subject`` (``id``, ``name``, ``country``, ``sector``), ``stage``, ``date``,
``date_precision``, ``first_reported``, ``by`` (the source: country, sector, name),
``quantity``, ``corpus_event_id``, ``num_articles``, ``article_ids`` and ``evidence`` (every
sentence). ``track`` returns the timelines: one per subject, entries in date order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import yaml

from .query import _dicts, corpus_events

ROOT = Path(__file__).resolve().parents[1]
TRACKERS = ("sanctions", "detainees")


@lru_cache(maxsize=1)
def _codes() -> dict[str, dict]:
    return yaml.safe_load((ROOT / "data" / "trackers.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _cues(lang: str) -> dict[str, dict[str, list[str]]]:
    p = ROOT / "lang" / lang / "trackers.yaml"
    return yaml.safe_load(p.read_text(encoding="utf-8")) if p.exists() else {}


def default_stage(tracker: str, cameo: str) -> str | None:
    codes = _codes()[tracker]["codes"]
    best = max((p for p in codes if cameo.startswith(p)), key=len, default=None)
    return codes[best] if best else None


def _cue_stage(tracker: str, lang: str, trigger: str) -> str | None:
    t = (trigger or "").lower()
    words = t.split()
    for stage, cues in (_cues(lang).get(tracker) or {}).items():
        for cue in cues:
            c = str(cue).lower()
            if (" " in c and c in t) or any(w.startswith(c) for w in words):
                return stage
    return None


def stage_of(tracker: str, cameo: str, reports: Sequence[dict]) -> str | None:
    """The stage of a corpus event: the most frequent cue stage of its reports' triggers,
    else the code's default."""
    base = default_stage(tracker, cameo)
    if base is None:
        return None
    allowed = set(_codes()[tracker]["stages"])
    votes: dict[str, int] = {}
    for r in reports:
        s = _cue_stage(tracker, r.get("lang") or "fr", r.get("trigger") or "")
        if s in allowed and s != base:
            if tracker == "sanctions" and base in ("threatened", "imposed"):
                continue  # "lever" cannot turn an imposition into a lift
            votes[s] = votes.get(s, 0) + 1
    if votes and max(votes.values()) * 2 >= len(reports):
        return max(sorted(votes), key=lambda s: votes[s])
    return base


@dataclass
class _Subject:
    key: str
    subject: dict


def _subject(tracker: str, reports: Sequence[dict]) -> _Subject | None:
    """Who the tracked action is about: the most reported target."""
    counts: dict[str, int] = {}
    info: dict[str, dict] = {}
    for r in reports:
        tid, ttext = r.get("target_id"), r.get("target_text")
        if tracker == "detainees" and not (tid or ttext):
            continue
        person = bool(tid and tid.split(":", 1)[0] in ("person", "learned"))
        name = None
        if tracker == "detainees" and not person:
            name = proper_name(ttext or "")
        if tracker == "sanctions" or person:
            key = tid
        elif name:
            key = f"name:{(r.get('target_country') or '?')}:{name.lower()}"
        else:
            key = f"group:{(r.get('target_country') or '?')}:{(ttext or '').lower()}" if ttext else tid
        if not key:
            continue
        counts[key] = counts.get(key, 0) + 1
        info.setdefault(key, {"id": key, "name": name or r.get("target_name") or ttext,
                              "country": r.get("target_country"), "sector": r.get("target_sector"),
                              "named_person": person or bool(name)})
    if not counts:
        return None
    k = max(sorted(counts), key=lambda x: counts[x])
    return _Subject(k, info[k])


def proper_name(text: str) -> str | None:
    """The name in an actor's words ("le journaliste Ihar Losik" → "Ihar Losik"): the last run
    of capitalised words, a single capitalised first word (a sentence start) not counting."""
    words = text.replace("’", "'").split()
    runs: list[list[str]] = []
    cur: list[str] = []
    start = 0
    for i, w in enumerate(words):
        w = w.strip(",.;:()«»\"")
        if w[:1].isupper() and len(w) > 1:
            if not cur:
                start = i
            cur.append(w)
        else:
            if cur and not (start == 0 and len(cur) == 1):
                runs.append(cur)
            cur = []
    if cur and not (start == 0 and len(cur) == 1):
        runs.append(cur)
    return " ".join(runs[-1]) if runs else None


def entries(con: Any, tracker: str, where: str = "", params: Sequence[Any] = ()) -> list[dict]:
    """Tracker entries (one per corpus event) matching an EventFilter clause."""
    if tracker not in TRACKERS:
        raise ValueError(f"unknown tracker {tracker!r} ({', '.join(TRACKERS)})")
    prefixes = list(_codes()[tracker]["codes"])
    code_cond = "(" + " OR ".join("starts_with(cameo, ?)" for _ in prefixes) + ")"
    w = f"{where} AND {code_cond}" if where else f" WHERE {code_cond}"
    cevs = corpus_events(con, w, list(params) + prefixes)
    if not cevs:
        return []
    reports = _dicts(con, "SELECT * FROM events WHERE corpus_event_id IN (SELECT unnest(?)) ORDER BY published, "
                          "event_id", [[c["id"] for c in cevs]])
    by_ce: dict[str, list[dict]] = {}
    for r in reports:
        by_ce.setdefault(r["corpus_event_id"], []).append(r)
    out = []
    for c in cevs:
        reps = by_ce.get(c["id"], [])
        stage = stage_of(tracker, c["cameo"], reps)
        subj = _subject(tracker, reps)
        if stage is None or subj is None:
            continue
        src = c.get("source") or {}
        out.append({
            "tracker": tracker, "subject": subj.subject, "stage": stage, "cameo": c["cameo"],
            "date": c["date"], "date_precision": c["date_precision"], "first_reported": c["first_reported"],
            "by": {"country": src.get("country"), "sector": src.get("sector"), "name": src.get("name"),
                   "id": src.get("id")} if src else None,
            "quantity": c.get("quantity"), "modality": c.get("modality"), "corpus_event_id": c["id"],
            "num_articles": c["num_articles"], "num_sources": c["num_sources"], "article_ids": c["article_ids"],
            "evidence": c["sentences"],
        })
    out.sort(key=lambda e: (e["subject"]["id"], e["date"] or e["first_reported"] or "", e["corpus_event_id"]))
    return out


def track(con: Any, tracker: str, where: str = "", params: Sequence[Any] = ()) -> list[dict]:
    """Timelines: ``subject`` and its ``entries`` in date order, most entries first."""
    groups: dict[str, dict] = {}
    for e in entries(con, tracker, where, params):
        g = groups.setdefault(e["subject"]["id"], {"subject": e["subject"], "entries": []})
        g["entries"].append(e)
    # one person named more or less fully ("Ihar", "Ihar Losik"): the shorter joins the longer
    names = {k: set(k.split(":", 2)[2].split()) for k in groups if k.startswith("name:")}
    for k in sorted(names, key=lambda k: len(names[k])):
        country = k.split(":")[1]
        longer = [o for o in names if o != k and o in groups and o.split(":")[1] == country
                  and names[k] < names[o]]
        if k in groups and len(longer) == 1:
            groups[longer[0]]["entries"].extend(groups.pop(k)["entries"])
            groups[longer[0]]["entries"].sort(key=lambda e: (e["date"] or e["first_reported"] or ""))
    return sorted(groups.values(), key=lambda g: (-len(g["entries"]), g["subject"]["id"]))
