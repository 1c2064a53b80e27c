"""Why gold events are missed: one line per cause, over a gold file (default fr-train).

    .venv/bin/python scripts/miss_causes.py [GOLD] [--triggers both|lexicon|model] [--list CAUSE]

``--list CAUSE`` (e.g. ``nothing``, ``"other root"``, ``"actor: target"``) also prints each
such miss: article, gold code, gold source → target countries, the first evidence span, and
the codes of the system events on it.

Causes, for each gold event no system event matches one-to-one: a system event of the same
root on its evidence has a wrong source or target country ("actor"); it is right but already
matched to another gold event ("taken": two gold actions read as one event); only an event
under the minimum confidence is there ("below min confidence": a backed-off party); an event
of another root is there ("other root"); nothing is there ("nothing").
"""

from __future__ import annotations

import argparse
from collections import Counter

from kronika.evaluate import _codes, _overlap, _roots, _spans, _sys_spans, load_gold, matches, one_to_one
from kronika.training import extract_with, parse_articles


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?", default="../shared/eval/fr-train.jsonl")
    ap.add_argument("--triggers", default="both")
    ap.add_argument("--list", metavar="CAUSE", help="print every miss of this cause")
    a = ap.parse_args()
    recs = load_gold(a.gold)
    from kronika.extraction.classifier import active_model, settings

    model = active_model(recs[0].get("lang") or "fr") if a.triggers != "lexicon" else None
    floor = settings().min_confidence
    system = extract_with(recs, parse_articles(recs), model, mode=a.triggers, min_confidence=0.0)
    c: Counter = Counter()
    for art in recs:
        golds = [g for g in art["events"] if str(g["code"])[:2] != "01"]
        every = [e for e in system[art["id"]] if e["cameo"][:2] != "01"]
        kept = [e for e in every if e.get("confidence", 1.0) >= floor]
        spans = [_spans(art["text"], g.get("evidence") or []) for g in golds]
        asg = one_to_one(len(kept), len(golds), lambda si, gi: matches(kept[si], golds[gi], spans[gi]),
                         lambda si, gi: kept[si]["cameo"] in _codes(golds[gi]))
        for gi, g in enumerate(golds):
            if gi in asg:
                c["found"] += 1
                continue
            near = [e for e in kept if _overlap(_sys_spans(e), spans[gi])]
            same = [e for e in near if e["cameo"][:2] in _roots(g)]
            if same:
                e = same[0]
                src_ok = (e.get("source") or {}).get("country") == (g.get("source") or {}).get("country")
                gt = (g.get("target") or {}).get("country")
                tgt_ok = not gt or (e.get("target") or {}).get("country") == gt
                cause = "taken" if src_ok and tgt_ok else "actor: " + ("source " if not src_ok else "") \
                    + ("target" if not tgt_ok else "")
            elif any(e.get("confidence", 1.0) < floor and e["cameo"][:2] in _roots(g)
                     and _overlap(_sys_spans(e), spans[gi]) for e in every):
                cause = "below min confidence"
            elif near:
                cause = "other root"
            else:
                cause = "nothing"
            c[cause] += 1
            if a.list and cause.strip() == a.list.strip():
                src = (g.get("source") or {}).get("country")
                tgt = (g.get("target") or {}).get("country")
                ev = (g.get("evidence") or [""])[0]
                print(f"{art['id']}\t{g['code']}\t{src}->{tgt}\t{[e['cameo'] for e in near]}\t{ev[:160]}")
    total = sum(c.values())
    for k, v in c.most_common():
        print(f"{v:6} {v / total:6.1%}  {k}")


if __name__ == "__main__":
    main()
