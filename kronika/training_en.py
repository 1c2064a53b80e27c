"""Training the English side of the trigger model from the English sentence-level gold sets.

../shared/eval holds no English articles annotated by GUIDELINES.md, but three English sets
label single sentences or snippets (kronika/evaluate_en.py). Each record becomes a one-
sentence training article for kronika.training, whose events carry a CAMEO root and the
record's text (or, where the set names them, its event words) as evidence:

* **PLOVER GSR** — the sentence's PLOVER type gives the roots whose codes kronika names that
  way (kronika/evaluate_plover.py: AGREE → 03, FIGHT → 19 or 20…); the evidence is the
  set's ``event_text`` words ("agreed cooperate"), so the labelled word is the trigger.
* **PETRARCH-2** — each gold ``eventcode`` gives its root; the whole sentence is evidence.
* **CASE 2021** — the snippet's ACLED-style type gives the roots of the CAMEO codes that
  kronika/data/case2021.yaml maps onto it (ARREST → 17, DIPLO → 02–13…); a snippet of a
  disaster type (no CAMEO code reaches it) gives negatives only; other types with no CAMEO
  code are left out.

A PLOVER or CASE record names one type, not every action of its sentence, so its other
candidates taught as "none" are noisy negatives; leaving the other lexicon triggers out
instead (``prepare(leave_out_other_hits=True)``) was measured and is not better (5-fold CV on
the development part, both: PLOVER macro-F1 0.614 against 0.620). Because of those negatives
the English model never vetoes a lexicon trigger (``veto`` in its meta, chosen by the same
cross-validation: 0.620 / 0.280 / 0.211 without the veto against 0.620 / 0.280 / 0.209 with
0.97, PLOVER / PETRARCH-2 / CASE); it only adds triggers the lexicon lacks.

When a type allows several roots, the root the lexicon finds in the sentence is chosen, else
the root with the most codes of the type when the type names one root far more often (FIGHT,
ASSAULT, COERCE, AGREEMENT), else the record is left out (it would teach "none" on its
trigger).

Held out: the split of ``scripts/en_split.py`` (SHA-1 of the document id divisible by 3;
one PETRARCH-2 story on one side). The model is trained and cross-validated on the
development part only and measured on the held-out part, never trained on; the figures of
``train_sentences`` are those two. Command: ``kronika train --lang en GOLD…`` with the
sentence sets as GOLD.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .evaluate import load_gold
from .evaluate_en import gold_kind, record_date

NEGATIVE_CASE_TYPES = {"NATURAL_DISASTER", "MAN_MADE_DISASTER"}
NO_VETO = 1.01  # P(no event) never exceeds it: lexicon triggers are kept (see above)
# The English model's own open-stage threshold and sample weighting, stored in its meta: the
# values its development CV was run with. The French ones (0.8, event samples 2x) were chosen
# on fr-train alone; applied to the English model they cut PETRARCH-2 F1 from 0.238 to 0.204.
THRESHOLD = 0.65
POS_WEIGHT = 1.0
ONE_TYPE_KINDS = {"plover", "case"}  # one label per record: other lexicon triggers are left out, not "none"
MODES = ("lexicon", "model", "both")


def document_id(kind: str, rec: dict) -> str:
    """The document of a record: a PETRARCH-2 story (id before the last ``_``), else the record."""
    rid = str(rec["id"])
    return rid.rsplit("_", 1)[0] if kind == "petr2" else rid


def held_out(doc_id: str) -> bool:
    """The held-out third of the English sets (the rule of scripts/en_split.py)."""
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 3 == 0


def _plover_roots() -> dict[str, Counter]:
    from .evaluate_plover import plover_type
    from .ontology import load_ontology

    out: dict[str, Counter] = {}
    for c in load_ontology().codes.values():
        t = plover_type({"cameo": c.code, "plover_type": c.plover_type})
        if t:
            out.setdefault(t, Counter())[c.root] += 1
    return out


def _case_roots() -> dict[str, Counter]:
    from .evaluate_case import case_map

    out: dict[str, Counter] = {}
    m = case_map()
    for prefix, t in m["codes"].items():
        out.setdefault(t, Counter())[str(prefix)[:2]] += 1
    for prefix, by in (m.get("by_source_sector") or {}).items():
        for t in by.values():
            out.setdefault(t, Counter())[str(prefix)[:2]] += 1
    return out


def _event_words(text: str, event_text: str | None) -> list[str]:
    words = [w for w in str(event_text or "").split() if len(w) >= 3 and w in text]
    return words or [text]


def sentence_records(path: str | Path) -> list[dict]:
    """Every record of one English sentence set as a training article: each event has
    ``roots`` (a Counter of the roots its label allows) and ``evidence``; ``story`` is the
    document id; ``train`` is False for a record whose label names no CAMEO root (scored,
    not learned from)."""
    kind = gold_kind(path)
    if kind not in ("plover", "petr2", "case"):
        raise ValueError(f"{path}: not an English sentence set (PLOVER, PETRARCH-2 or CASE 2021)")
    table = _plover_roots() if kind == "plover" else _case_roots() if kind == "case" else {}
    out = []
    for r in load_gold(path):
        text = str(r["text"])
        events: list[dict] = []
        train = True
        if kind == "petr2":
            events = [{"roots": Counter({str(e["eventcode"])[:2]: 1}), "evidence": [text]}
                      for e in r.get("events") or [] if e.get("eventcode")]
        else:
            t = str(r["event_type"]).upper()
            if t in table:
                ev = _event_words(text, r.get("event_text")) if kind == "plover" else [text]
                events = [{"roots": table[t], "evidence": ev}]
            elif not (kind == "case" and t in NEGATIVE_CASE_TYPES):
                train = False
        out.append({"id": f"{kind}:{r['id']}", "date": record_date(r), "text": text, "lang": "en",
                    "events": events, "story": document_id(kind, r), "kind": kind, "gold": r, "train": train})
    return out


def choose_roots(records: list[dict], docs: list[Any], coder: Any) -> list[dict]:
    """The records with one root (``code``) for each event: the lexicon's root in the
    sentence among the allowed ones, else the type's dominant root; a record left undecided
    is not learned from (``train`` False)."""
    out = []
    for rec, doc in zip(records, docs):
        if not rec["train"]:
            out.append(rec)
            continue
        found = {t.entry.code[:2] for s in doc.sents for t in coder.find_triggers(s)}
        events, ok = [], True
        for e in rec["events"]:
            roots: Counter = e["roots"]
            hit = [r for r, _ in roots.most_common() if r in found]
            top = roots.most_common(2)
            if hit:
                code = hit[0]
            elif len(top) == 1 or top[0][1] >= 3 * top[1][1]:
                code = top[0][0]
            else:
                ok = False
                break
            events.append({"code": code, "evidence": e["evidence"]})
        out.append(dict(rec, events=events if ok else [], train=ok))
    return out


def score_kind(kind: str, records: list[dict], system: dict[str, list[dict]]) -> Any:
    """The report of the set's own scorer on ``records`` (training articles of ``kind``)."""
    gold = [r["gold"] for r in records]
    sys_by_id = {str(r["gold"]["id"]): system.get(r["id"], []) for r in records}
    if kind == "plover":
        from .evaluate_plover import score_plover

        return score_plover(gold, sys_by_id)
    if kind == "case":
        from .evaluate_case import score_case

        return score_case(gold, sys_by_id)
    from .evaluate import score_sentences

    return score_sentences(gold, sys_by_id)


def headline(kind: str, rep: Any) -> str:
    if kind == "plover":
        return (f"type macro-F1 {rep.macro_f1:.3f}, source country {rep.source_country.value or 0:.3f}, "
                f"target country {rep.target_country.value or 0:.3f}")
    if kind == "case":
        return f"type macro-F1 {rep.macro_f1:.3f}, accuracy {rep.accuracy:.3f}"
    a = rep.all
    return f"P {a.precision:.3f} R {a.recall:.3f} F1 {a.f1:.3f}"


@dataclass
class Prepared:
    """The parsed English records, split, and the samples of the development part."""

    dev_records: list[dict]
    dev_docs: list[Any]
    test_records: list[dict]
    test_docs: list[Any]
    samples: list[Any]


def prepare(paths: Iterable[str | Path], log: Callable[[str], None] = print, leave_out_other_hits: bool = False) -> Prepared:
    """Read, parse and label the sentence sets (samples of the development part only)."""
    from .extraction.classifier import NONE
    from .pipeline import _coder
    from .training import build_samples, parse_articles

    records = [r for p in paths for r in sentence_records(p)]
    t0 = time.time()
    docs = parse_articles(records)
    records = choose_roots(records, docs, _coder("en"))
    dev = [(r, d) for r, d in zip(records, docs) if not held_out(r["story"])]
    test = [(r, d) for r, d in zip(records, docs) if held_out(r["story"])]
    learn = [(r, d) for r, d in dev if r["train"]]
    samples = build_samples([r for r, _ in learn], [d for _, d in learn], "en")
    one_type = {r["id"] for r, _ in learn if r["kind"] in ONE_TYPE_KINDS and leave_out_other_hits}
    for s in samples:
        if s.article in one_type and s.label == NONE and any(f.startswith("hit=") for f in s.feats):
            s.label = None  # another action the lexicon found: the record's one type says nothing of it
    log(f"{len(records)} English records ({len(dev)} development, {len(test)} held out), "
        f"{len(learn)} development records learned from, {len(samples)} candidates, "
        f"{sum(1 for s in samples if s.label not in (None, NONE))} labelled events ({time.time() - t0:.0f} s)")
    return Prepared([r for r, _ in dev], [d for _, d in dev], [r for r, _ in test], [d for _, d in test], samples)


def train_sentences(gold: Iterable[str | Path], out: Path | None = None, k: int = 5, c: float = 0.5,
                    log: Callable[[str], None] = print) -> tuple[Any, dict[str, dict[str, str]]]:
    """Cross-validate on the development part, measure the held-out part with the model
    trained on the whole development part (lexicon / model / both), save that model."""
    from .extraction.classifier import model_stem
    from .training import cross_validate, extract_with, fit

    paths = [Path(p) for p in gold]
    data = prepare(paths, log=log)
    dev_recs, dev_docs, samples = data.dev_records, data.dev_docs, data.samples
    kinds = sorted({r["kind"] for r in dev_recs + data.test_records})
    figures: dict[str, dict[str, str]] = {}
    if k > 1:
        systems = cross_validate(dev_recs, dev_docs, samples, k=k, c=c, lang="en", log=log, modes=MODES,
                                 veto=NO_VETO, threshold=THRESHOLD, gated_threshold=THRESHOLD,
                                 pos_weight=POS_WEIGHT)
        for mode, system in systems.items():
            for kind in kinds:
                part = [r for r in dev_recs if r["kind"] == kind]
                line = headline(kind, score_kind(kind, part, system))
                figures.setdefault(f"dev CV {kind}", {})[mode] = line
                log(f"development part, {k}-fold CV, triggers {mode}, {kind} ({len(part)}): {line}")
    model = fit(samples, lang="en", c=c, meta={"trained_on": [p.name for p in paths], "records": len(dev_recs),
                                                "split": "development part of scripts/en_split.py",
                                                "veto": NO_VETO, "threshold": THRESHOLD,
                                                "gated_threshold": THRESHOLD}, pos_weight=POS_WEIGHT)
    test_recs, test_docs = data.test_records, data.test_docs
    for mode in MODES:
        system = extract_with(test_recs, test_docs, model, mode=mode)
        for kind in kinds:
            part = [r for r in test_recs if r["kind"] == kind]
            line = headline(kind, score_kind(kind, part, system))
            figures.setdefault(f"held-out {kind}", {})[mode] = line
            log(f"held-out part, triggers {mode}, {kind} ({len(part)}): {line}")
    stem = Path(out) if out else model_stem("en")
    model.save(stem)
    log(f"model saved to {stem}.npz / .json")
    return model, figures
