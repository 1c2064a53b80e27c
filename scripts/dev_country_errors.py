"""Development aid: loose-matched events whose source/target country differs from gold.

    .venv/bin/python scripts/dev_country_errors.py [GOLD] [--triggers both|lexicon|model]

One line per gold event (default gold: fr-dev) that a system event of its root matches on
its evidence with another source country, or another target country when the gold target
has one: SRC, TGT or SRC+TGT, gold and system countries, the phrases, the evidence."""
from __future__ import annotations

import argparse

from kronika.evaluate import _country, _spans, load_gold, matches
from kronika.training import extract_with, parse_articles


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?", default="../shared/eval/fr-dev.jsonl")
    ap.add_argument("--triggers", default="both")
    a = ap.parse_args()
    recs = load_gold(a.gold)
    from kronika.extraction.classifier import active_model, settings

    model = active_model(recs[0].get("lang") or "fr") if a.triggers != "lexicon" else None
    floor = settings().min_confidence
    system = extract_with(recs, parse_articles(recs), model, mode=a.triggers, min_confidence=0.0)
    for d in recs:
        evs = [e for e in system[d["id"]] if e.get("confidence", 1.0) >= floor]
        for g in d["events"]:
            if str(g["code"])[:2] == "01":
                continue
            sp = _spans(d["text"], g.get("evidence") or [])
            loose = [e for e in evs if matches(e, g, sp, strict=False)]
            if not loose:
                continue
            e = ([x for x in loose if matches(x, g, sp)] or loose)[0]
            gs, gt = _country(g.get("source")), _country(g.get("target"))
            ss, st = _country(e.get("source")), _country(e.get("target"))
            kind = "+".join(k for k, bad in (("SRC", gs != ss), ("TGT", bool(gt) and gt != st)) if bad)
            if kind:
                print(f"{kind} {d['id']} {g['code']} G {gs}->{gt}  S {e['cameo']} {ss}->{st} [{e['trigger']}] "
                      f"src={(e.get('source') or {}).get('text')!r} tgt={(e.get('target') or {}).get('text')!r} "
                      f"| {(g.get('evidence') or [''])[0][:100]}")


if __name__ == "__main__":
    main()
