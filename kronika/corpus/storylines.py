"""How well corpus events follow real storylines (gold articles sharing a ``story`` field).

``python -m kronika.corpus.storylines ../shared/eval/fr-train.jsonl`` ingests the articles
that belong to a story into a fresh database and measures:

- **gold actions.** Within a story, two gold events of different articles are reports of the
  same action when their CAMEO codes agree (same root and base code, or one generic: 141
  and 1411, 140 and 143; ``cluster.codes_compatible``), the same source and target countries
  (parties in either order for symmetric actions) and dates equal at the coarser of their
  precisions (an undated gold event takes its article's date at month precision); actions are
  the connected groups. A *multi-report action* is reported by at least two articles. (The
  gold data marks stories, not actions: this reading is ours, stricter than the clusterer.)
- **system reports.** In each article, system events are matched one-to-one to gold events
  by the scorer of eval/GUIDELINES.md §5 (``kronika.evaluate``).
- ``together``: of the multi-report actions that the extractor found in at least two articles,
  the share whose matched reports all carry one ``corpus_event_id``;
  ``together_all``: the same over every multi-report action (one not found in two articles
  counts as not together);
  ``merged``: of the corpus events holding matched reports, the share whose reports belong to
  two or more different gold actions.

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

from .cluster import codes_compatible, load_rules



def _date_key(d: str | None, published: str) -> str:
    return d or published[:7]


def _same_date(a: str, b: str) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _c(x: Any) -> str | None:
    return x.get("country") if isinstance(x, dict) else None


def gold_actions(articles: list[dict]) -> dict[tuple[str, int], int]:
    """``(article id, gold index) → action number`` for the articles of one story."""
    rules = load_rules()
    nodes = [(a["id"], i, g, a["date"]) for a in articles for i, g in enumerate(a.get("events") or [])
             if str(g["code"])[:2] != "01"]
    parent = list(range(len(nodes)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, (a1, _, g1, p1) in enumerate(nodes):
        for j in range(i + 1, len(nodes)):
            a2, _, g2, p2 = nodes[j]
            if a1 == a2 or not codes_compatible(str(g1["code"]), str(g2["code"])) \
                    or g1.get("modality") != g2.get("modality"):
                continue
            s1, t1, s2, t2 = _c(g1.get("source")), _c(g1.get("target")), _c(g2.get("source")), _c(g2.get("target"))
            if not ((s1, t1) == (s2, t2) or (rules.is_symmetric(str(g1["code"])) and (s1, t1) == (t2, s2))):
                continue
            if _same_date(_date_key(g1.get("date"), p1), _date_key(g2.get("date"), p2)):
                parent[find(i)] = find(j)
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
    ce_actions: dict[str, set] = {}
    for story, sarts in by_story.items():
        actions = gold_actions(sarts)
        action_reports: dict[int, list[tuple[str, str]]] = {}  # action -> [(article, corpus id)]
        action_articles: dict[int, set[str]] = {}
        for a in sarts:
            golds = [g for g in a.get("events") or [] if str(g["code"])[:2] != "01"]
            gidx = [i for i, g in enumerate(a.get("events") or []) if str(g["code"])[:2] != "01"]
            sys_evs = [e for e in st.events(EventFilter(article_id=a["id"])) if e["cameo"][:2] != "01"]
            spans = [_spans(a["text"], g.get("evidence") or []) for g in golds]
            pairs = one_to_one(len(sys_evs), len(golds), lambda s, g: matches(sys_evs[s], golds[g], spans[g]),
                               lambda s, g: sys_evs[s]["cameo"] in _codes(golds[g]))
            for k, i in enumerate(gidx):
                act = (story, actions[(a["id"], i)])
                action_articles.setdefault(act, set()).add(a["id"])
                if k in pairs:
                    cid = sys_evs[pairs[k]]["corpus_event_id"]
                    action_reports.setdefault(act, []).append((a["id"], cid))
                    if details is not None:
                        details.append({"action": act, "gold": golds[k]["code"], **sys_evs[pairs[k]]})
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
    tmp.cleanup()
    return rep


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(evaluate_storylines(sys.argv[1]).to_dict(), indent=2))
