"""How well corpus events follow real storylines (gold articles sharing a ``story`` field).

``python -m kronika.corpus.storylines ../shared/eval/fr-train.jsonl`` ingests the articles
that belong to a story into a fresh database and measures:

- **gold actions** (``gold_actions``): the gold data marks stories, not actions, so we read
  them: within a story, two gold events of different articles may report one action when
  their codes agree, their modalities, source and target countries are equal and their
  dates equal at the coarser precision; groups are joined best-agreeing pair first, only
  when all their members agree pairwise, and never with two events of one article (one
  record per action per article, GUIDELINES §1). The reading has its own fixed rules, so
  tuning the clusterer cannot move it. A *multi-report action* is reported by at least two
  articles.
- **system reports.** In each article, system events are matched one-to-one to gold events
  by the scorer of eval/GUIDELINES.md §5 (``kronika.evaluate``).
- ``together``: of the multi-report actions that the extractor found in at least two articles,
  the share whose matched reports all carry one ``corpus_event_id`` (the clustering measured
  on what was extracted); ``together_all``: the same over every multi-report action (one not
  found in two articles counts as not together: extraction misses included);
  ``merged``: of the corpus events holding matched reports, the share whose reports belong to
  two or more different gold actions.

``--gold-events`` (``evaluate_gold_clustering``) clusters the gold events themselves, with
their right codes, countries, dates, quantities and places: the clustering logic's upper
bound with a perfect extractor (seconds; no spaCy, no database).

Articles found to be near-duplicates of another are linked at ingest and carry no events of
their own; their gold events are left out (the action is the first copy's).
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any




def _date_key(d: str | None, published: str) -> str:
    return d or published[:7]


def _same_date(a: str, b: str) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _c(x: Any) -> str | None:
    return x.get("country") if isinstance(x, dict) else None


def _sector(x: Any) -> str | None:
    return x.get("sector") if isinstance(x, dict) else None


# The reading of gold actions is a yardstick: its rules are its own, fixed here, so that
# changing the clusterer's tolerances (kronika/data/corpus.yaml, cluster.py) cannot move it.
READING_SYMMETRIC = ("03", "04", "05", "06", "0871", "190", "036")


def _reading_codes(a: str, b: str) -> bool:
    """Same root, and the same base code unless one is generic (141 and 1411, 140 and 143)."""
    if a[:2] != b[:2]:
        return False
    if len(a) < 3 or len(b) < 3 or a[2] == "0" or b[2] == "0":
        return True
    return a[:3] == b[:3]


def _pair_score(g1: dict, p1: str, g2: dict, p2: str) -> int | None:
    """How well two gold events of different articles agree, or None when they cannot be
    one action (codes, modality, countries or dates disagree)."""
    c1, c2 = str(g1["code"]), str(g2["code"])
    if not _reading_codes(c1, c2) or g1.get("modality") != g2.get("modality"):
        return None
    s1, t1, s2, t2 = _c(g1.get("source")), _c(g1.get("target")), _c(g2.get("source")), _c(g2.get("target"))

    def same(x: str | None, y: str | None) -> bool:  # a target one report leaves out may be given by the other
        return x == y or (x is None) != (y is None)

    straight = s1 == s2 and same(t1, t2)
    crossed = any(c1.startswith(p) for p in READING_SYMMETRIC) and s1 == t2 and same(t1, s2)
    if not (straight or crossed):
        return None
    d1, d2 = _date_key(g1.get("date"), p1), _date_key(g2.get("date"), p2)
    if not _same_date(d1, d2):
        return None
    o1, o2 = ("source", "target"), (("source", "target") if straight else ("target", "source"))
    # a side one report leaves out (no target) counts as agreeing: it is unknown, not different
    score = 4 * (c1 == c2) + 2 * (d1 == d2) + sum(
        g1.get(k1) is None or g2.get(k2) is None or (_c(g1[k1]), _sector(g1[k1])) == (_c(g2[k2]), _sector(g2[k2]))
        for k1, k2 in zip(o1, o2))
    score += g1.get("quantity") is not None and g1.get("quantity") == g2.get("quantity")
    score += bool((g1.get("location") or {}).get("place")) and \
        (g1.get("location") or {}).get("place") == (g2.get("location") or {}).get("place")
    score += sum(bool(_words(g1.get(k1)) & _words(g2.get(k2))) for k1, k2 in zip(o1, o2))
    return score


def _words(actor: Any) -> set[str]:
    """The capitalised words of an actor's text (names: "Ali Bongo", "Noureddin Bongo Valentin")."""
    text = actor.get("text") if isinstance(actor, dict) else None
    return {w.strip(".,;:«»\"'’()").lower() for w in (text or "").split()[1:] if w[:1].isupper()} - {""}


def gold_actions(articles: list[dict]) -> dict[tuple[str, int], int]:
    """``(article id, gold index) → action number`` for the articles of one story.

    Two gold events of different articles may be one action when their codes agree (same
    root and base code, or one generic), their modalities are equal, their source countries
    are equal and their target countries too (or one report gives no target; parties in
    either order for actions two parties do together), and their dates are equal at the
    coarser precision (an undated event takes its article's month). Groups are joined
    best-agreeing pair first (same full code, same date, same sectors, quantity, place, a
    name shared by the actors' words) and only when every two members of the joined group
    agree (a month-only report does not chain the protests of two different days), never so
    that an action holds two events of one article: the guidelines give one record per action
    per article (GUIDELINES §1), so two records of one article are two actions."""
    nodes = [(a["id"], i, g, a["date"]) for a in articles for i, g in enumerate(a.get("events") or [])
             if str(g["code"])[:2] != "01"]
    pairs, ok = [], set()
    for i, (a1, _, g1, p1) in enumerate(nodes):
        for j in range(i + 1, len(nodes)):
            a2, _, g2, p2 = nodes[j]
            if a1 != a2:
                sc = _pair_score(g1, p1, g2, p2)
                if sc is not None:
                    pairs.append((-sc, i, j))
                    ok |= {(i, j), (j, i)}
    parent = list(range(len(nodes)))
    members = [{nodes[k][0]} for k in range(len(nodes))]  # articles of each group
    group = [[k] for k in range(len(nodes))]

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, i, j in sorted(pairs):
        ri, rj = find(i), find(j)
        if ri != rj and not (members[ri] & members[rj]) \
                and all((x, y) in ok for x in group[ri] for y in group[rj]):
            parent[ri] = rj
            members[rj] |= members[ri]
            group[rj] += group[ri]
    return {(a, i): find(k) for k, (a, i, _, _) in enumerate(nodes)}


@dataclass
class StorylineReport:
    stories: int = 0
    articles: int = 0
    duplicates: int = 0
    multi_report_actions: int = 0
    found_in_two: int = 0
    together: int = 0
    corpus_events: int = 0
    merged: int = 0

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["together_share"] = round(self.together / self.found_in_two, 3) if self.found_in_two else None
        d["together_all_share"] = (round(self.together / self.multi_report_actions, 3)
                                   if self.multi_report_actions else None)
        d["merged_share"] = round(self.merged / self.corpus_events, 3) if self.corpus_events else None
        return d


def evaluate_storylines(gold_path: str | Path, db: str | Path | None = None,
                        details: list | None = None, recluster: bool = False) -> StorylineReport:
    from ..evaluate import _codes, _spans, matches, one_to_one
    from ..ingest import ingest
    from ..store import EventFilter, Store

    arts = [json.loads(x) for x in Path(gold_path).read_text(encoding="utf-8").splitlines() if x.strip()]
    arts = [a for a in arts if a.get("story")]
    tmp = tempfile.TemporaryDirectory()
    src = Path(tmp.name) / "stories.jsonl"
    src.write_text("".join(json.dumps({k: a.get(k) for k in ("id", "date", "lang", "url", "title", "text")},
                                      ensure_ascii=False) + "\n" for a in arts), encoding="utf-8")
    db = Path(db) if db else Path(tmp.name) / "stories.duckdb"
    if not db.exists():
        ingest([src], db=db)
    elif recluster:  # an ingested database: cluster its events again with the current rules
        from .db import recluster as _recluster

        with Store(db).connect(read_only=False) as con:
            _recluster(con)
    st = Store(db, read_only=True)
    dup = {r[0] for r in st.sql("SELECT id FROM articles WHERE duplicate_of IS NOT NULL")[1]}
    rep = StorylineReport(stories=len({a["story"] for a in arts}), articles=len(arts), duplicates=len(dup))
    by_story: dict[str, list[dict]] = {}
    for a in arts:
        if a["id"] not in dup:
            by_story.setdefault(a["story"], []).append(a)
    placed: dict[str, dict[int, str]] = {}  # article -> {gold index: corpus id of its matched report}
    for a in (a for sarts in by_story.values() for a in sarts):
        golds = [g for g in a.get("events") or [] if str(g["code"])[:2] != "01"]
        gidx = [i for i, g in enumerate(a.get("events") or []) if str(g["code"])[:2] != "01"]
        sys_evs = [e for e in st.events(EventFilter(article_id=a["id"])) if e["cameo"][:2] != "01"]
        spans = [_spans(a["text"], g.get("evidence") or []) for g in golds]
        pairs = one_to_one(len(sys_evs), len(golds), lambda s, g: matches(sys_evs[s], golds[g], spans[g]),
                           lambda s, g: sys_evs[s]["cameo"] in _codes(golds[g]))
        placed[a["id"]] = {gidx[k]: sys_evs[s]["corpus_event_id"] for k, s in pairs.items()}
        if details is not None:
            for k, s in pairs.items():
                details.append({"story": a["story"], "gold_index": gidx[k], "gold": golds[k]["code"], **sys_evs[s]})
    _score(rep, by_story, placed)
    tmp.cleanup()
    return rep


def _score(rep: StorylineReport, by_story: dict[str, list[dict]], placed: dict[str, dict[int, str]]) -> None:
    """``together`` and ``merged`` from the corpus id each (article, gold index) got."""
    ce_actions: dict[str, set] = {}
    for story, sarts in by_story.items():
        actions = gold_actions(sarts)
        action_reports: dict[Any, list[tuple[str, str]]] = {}  # action -> [(article, corpus id)]
        action_articles: dict[Any, set[str]] = {}
        for (aid, i), n in actions.items():
            act = (story, n)
            action_articles.setdefault(act, set()).add(aid)
            cid = placed.get(aid, {}).get(i)
            if cid is not None:
                action_reports.setdefault(act, []).append((aid, cid))
                ce_actions.setdefault(cid, set()).add(act)
        for act, arts_of in action_articles.items():
            if len(arts_of) < 2:
                continue
            rep.multi_report_actions += 1
            found = action_reports.get(act, [])
            if len({a for a, _ in found}) >= 2:
                rep.found_in_two += 1
                rep.together += len({c for _, c in found}) == 1
    rep.corpus_events = len(ce_actions)
    rep.merged = sum(len(v) >= 2 for v in ce_actions.values())


def _precision(d: str | None) -> str | None:
    return {10: "day", 7: "month", 4: "year"}.get(len(d)) if d else None


def gold_rows(a: dict, gazetteer: Any = None) -> list[dict]:
    """The gold events of an article as the rows clustering reads (``gold_index`` kept)."""
    rows = []
    for i, g in enumerate(a.get("events") or []):
        if str(g["code"])[:2] == "01":
            continue
        loc = g.get("location") or {}
        place = gazetteer.lookup(loc["place"], [loc.get("country")] if loc.get("country") else []) \
            if gazetteer is not None and loc.get("place") else None
        city = place is not None and place.precision == "city"
        rows.append({"event_id": f"{a['id']}#g{i}", "gold_index": i, "article_id": a["id"], "published": a["date"],
                     "cameo": str(g["code"]), "root": str(g["code"])[:2], "modality": g.get("modality") or "asserted",
                     "source_country": _c(g.get("source")), "target_country": _c(g.get("target")),
                     "source_id": None, "target_id": None, "date": g.get("date"),
                     "date_precision": _precision(g.get("date")), "date_inferred": False,
                     "quantity": g.get("quantity"), "location_country": loc.get("country"),
                     "location_lat": place.lat if city else None, "location_lon": place.lon if city else None,
                     "location_precision": "city" if city else None})
    return rows


def evaluate_gold_clustering(gold_path: str | Path) -> StorylineReport:
    """The clustering logic alone: the gold events themselves clustered as reports (right
    codes, countries, dates, quantities and places), scored like ``evaluate_storylines``.
    An upper bound of what the clusterer can do with a perfect extractor. No spaCy, no
    database; near-duplicate articles are found as at ingest and left out."""
    from ..places import Gazetteer
    from ..store import text_hash
    from .cluster import cluster_rows
    from .dedup import DuplicateIndex, signature

    arts = [json.loads(x) for x in Path(gold_path).read_text(encoding="utf-8").splitlines() if x.strip()]
    arts = [a for a in arts if a.get("story")]
    idx, dup = DuplicateIndex(), set()
    for a in arts:
        sig = signature(a["text"])
        d = idx.check(a["id"], text_hash(a["text"]), sig)
        idx.add(a["id"], text_hash(a["text"]), sig, d.duplicate_of if d else None)
        if d:
            dup.add(a["id"])
    rep = StorylineReport(stories=len({a["story"] for a in arts}), articles=len(arts), duplicates=len(dup))
    by_story: dict[str, list[dict]] = {}
    for a in arts:
        if a["id"] not in dup:
            by_story.setdefault(a["story"], []).append(a)
    gz = Gazetteer.default()
    rows = [r for sarts in by_story.values() for a in sarts for r in gold_rows(a, gz)]
    ce = cluster_rows(rows)
    placed: dict[str, dict[int, str]] = {}
    for r in rows:
        placed.setdefault(r["article_id"], {})[r["gold_index"]] = ce[r["event_id"]]
    _score(rep, by_story, placed)
    return rep


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m kronika.corpus.storylines",
                                 description="corpus events against the storylines of a gold file")
    ap.add_argument("gold")
    ap.add_argument("--gold-events", action="store_true",
                    help="cluster the gold events themselves (the clustering logic's upper bound)")
    ap.add_argument("--db", help="ingest into (or reuse) this database file")
    ap.add_argument("--recluster", action="store_true", help="with --db: cluster its events again first")
    a = ap.parse_args(argv)
    rep = evaluate_gold_clustering(a.gold) if a.gold_events else \
        evaluate_storylines(a.gold, db=a.db, recluster=a.recluster)
    print(json.dumps(rep.to_dict(), indent=2))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
