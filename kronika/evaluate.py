"""Score extracted events against gold articles written by ``eval/GUIDELINES.md`` (§5).

A system event matches a gold event of the same article when
1. its CAMEO root equals the root of the gold ``code`` or of one of its ``alt_codes``;
2. its source country equals the gold source country;
3. its target country equals the gold target country, when the gold target has one;
4. one of its mentions (the evidence sentence) overlaps one of the gold ``evidence`` strings.

Matching is one-to-one (a maximum bipartite matching per article): a system event finds
at most one gold event and a gold event is found at most once, so two system events for
one gold action count once, and one system event whose mentions span two gold actions
finds only one of them.

Precision is counted over the system's distinct (article, root, source country, target
country) tuples, root 01 ignored on both sides: a tuple is correct when one of its events
is matched to a gold event. Recall is counted over gold events: a gold event is found when
a system event is matched to it.

``focus: main``: recall over the gold events marked main; precision over the system tuples
whose evidence overlaps the evidence of a main gold event (the sentences that carry the
news of the day), correct when they match any gold event there.

On matched pairs (each gold event with its best matching system event) the report gives the
accuracy of the full code (equal to ``code`` or one of ``alt_codes``), the source and target
sectors, the date at the gold precision (gold events with a date), the modality, the
quantity (gold events with a quantity) and the location country (gold events with a
location). Country accuracy is measured on *loose* pairs (same root and overlapping
evidence, countries not required; the strictly matching event when there is one), since
strict pairs agree on countries by definition.

Usage from Python::

    from kronika.evaluate import evaluate_file
    report = evaluate_file("gold.jsonl")
    print(report.to_text())
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .model import Article


def _roots(gold: dict) -> set[str]:
    codes = [gold["code"]] + list(gold.get("alt_codes") or [])
    return {str(c)[:2] for c in codes}


def _codes(gold: dict) -> set[str]:
    return {str(gold["code"])} | {str(c) for c in gold.get("alt_codes") or []}


def _spans(text: str, evidence: Iterable[str]) -> list[tuple[int, int]]:
    out = []
    for ev in evidence:
        if not ev:
            continue
        i = text.find(ev)
        while i >= 0:
            out.append((i, i + len(ev)))
            i = text.find(ev, i + 1)
    return out


def _country(a: Any) -> str | None:
    return a.get("country") if isinstance(a, dict) else None


def _sector(a: Any) -> str | None:
    return a.get("sector") if isinstance(a, dict) else None


def _sys_spans(ev: dict) -> list[tuple[int, int]]:
    spans = [(ev["start"], ev["end"])]
    for m in ev.get("mentions") or []:
        spans.append((m["start"], m["end"]))
    return spans


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def matches(sys_ev: dict, gold: dict, gold_spans: list[tuple[int, int]], strict: bool = True) -> bool:
    """Whether a system event (JSON record) matches a gold event (GUIDELINES §5)."""
    if sys_ev["cameo"][:2] not in _roots(gold):
        return False
    if not _overlap(_sys_spans(sys_ev), gold_spans):
        return False
    if not strict:
        return True
    if _country(sys_ev.get("source")) != _country(gold.get("source")):
        return False
    gt = _country(gold.get("target"))
    if gt is not None and _country(sys_ev.get("target")) != gt:
        return False
    return True


def one_to_one(n_sys: int, n_gold: int, edge: Callable[[int, int], bool],
               prefer: Callable[[int, int], bool] | None = None) -> dict[int, int]:
    """A maximum matching of system events to gold events (Kuhn's augmenting paths):
    ``{gold index: system index}``. Gold events are served in order, each trying first the
    system events no one has taken, and among them those ``prefer`` picks (the right full
    code), so the matching is as large as possible and its pairs as good as possible."""
    adj = [sorted((s for s in range(n_sys) if edge(s, g)), key=lambda s: not (prefer and prefer(s, g)))
           for g in range(n_gold)]
    owner: dict[int, int] = {}  # system index -> gold index

    def augment(g: int, seen: set[int]) -> bool:
        for s in sorted(adj[g], key=lambda s: s in owner):
            if s in seen:
                continue
            seen.add(s)
            if s not in owner or augment(owner[s], seen):
                owner[s] = g
                return True
        return False

    for g in range(n_gold):
        augment(g, set())
    return {g: s for s, g in owner.items()}


def _date_ok(sys_date: str | None, gold_date: str) -> bool:
    return sys_date is not None and sys_date[: len(gold_date)] == gold_date


@dataclass
class Counts:
    gold: int = 0
    found: int = 0
    tuples: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.tuples if self.tuples else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {"gold": self.gold, "found": self.found, "tuples": self.tuples, "correct": self.correct,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += int(ok)

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"right": self.right, "total": self.total,
                "accuracy": round(self.value, 4) if self.value is not None else None}


@dataclass
class EvalReport:
    all: Counts = field(default_factory=Counts)
    main: Counts = field(default_factory=Counts)
    by_root: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    attributes: dict[str, Ratio] = field(default_factory=lambda: defaultdict(Ratio))
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)
    n_articles: int = 0
    by_confidence: dict[float, tuple[Counts, Counts]] = field(default_factory=dict)  # threshold → (all, main)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.n_articles,
            "all": self.all.to_dict(),
            "main": self.main.to_dict(),
            "by_root": {k: v.to_dict() for k, v in sorted(self.by_root.items())},
            "attributes": {k: v.to_dict() for k, v in sorted(self.attributes.items())},
            "misses": self.misses,
            "false_positives": self.false_positives,
            "by_confidence": {f"{t:.1f}": {"all": a.to_dict(), "main": m.to_dict()}
                              for t, (a, m) in sorted(self.by_confidence.items())},
        }

    def to_text(self, show_errors: bool = False, focus: str | None = None) -> str:
        lines = [f"kronika eval — {self.n_articles} articles", ""]
        lines.append(f"{'':12}{'gold':>6}{'found':>7}{'tuples':>8}{'correct':>8}{'P':>8}{'R':>8}{'F1':>8}")
        rows = [("main", self.main)] if focus == "main" else [("all", self.all), ("main", self.main)]
        for name, c in rows:
            lines.append(f"{name:12}{c.gold:>6}{c.found:>7}{c.tuples:>8}{c.correct:>8}"
                         f"{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}")
        if self.by_confidence:
            lines += ["", "at confidence thresholds (events kept: confidence >= t):",
                      f"  {'t':>4}{'all P':>8}{'all R':>8}{'all F1':>8}{'main P':>8}{'main R':>8}{'main F1':>8}"]
            for t, (a, m) in sorted(self.by_confidence.items()):
                lines.append(f"  {t:>4.1f}{a.precision:>8.3f}{a.recall:>8.3f}{a.f1:>8.3f}"
                             f"{m.precision:>8.3f}{m.recall:>8.3f}{m.f1:>8.3f}")
        lines += ["", "per CAMEO root:"]
        for root, c in sorted(self.by_root.items()):
            lines.append(f"  {root:10}{c.gold:>6}{c.found:>7}{c.tuples:>8}{c.correct:>8}"
                         f"{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}")
        lines += ["", "on matched pairs (countries on loose pairs):"]
        for k, r in sorted(self.attributes.items()):
            v = f"{r.value:.3f}" if r.value is not None else "  n/a"
            lines.append(f"  {k:24}{v:>7}  ({r.right}/{r.total})")
        if show_errors:
            lines += ["", f"misses ({len(self.misses)}):"]
            for m in self.misses:
                lines.append(f"  [{m['article_id']}] {m['code']} {m['source']}→{m['target']} ({m['focus']}): "
                             f"{m['evidence']}")
                for s in m.get("system", []):
                    lines.append(f"      system there: {s}")
            lines += ["", f"false positives ({len(self.false_positives)}):"]
            for f_ in self.false_positives:
                lines.append(f"  [{f_['article_id']}] {f_['cameo']} {f_['source']}→{f_['target']} "
                             f"«{f_['trigger']}»: {f_['sentence']}")
        return "\n".join(lines)


def _brief(ev: dict) -> str:
    return (f"{ev['cameo']} {_country(ev.get('source'))}/{_sector(ev.get('source'))}→"
            f"{_country(ev.get('target'))}/{_sector(ev.get('target'))} «{ev.get('trigger')}»")


def score(gold_articles: list[dict], system: dict[str, list[dict]]) -> EvalReport:
    """Score system events (JSON records by article id) against gold articles."""
    rep = EvalReport(n_articles=len(gold_articles))
    for art in gold_articles:
        aid = art["id"]
        text = art["text"]
        golds = [g for g in art.get("events", []) if str(g["code"])[:2] != "01"]
        sys_evs = [e for e in system.get(aid, []) if e["cameo"][:2] != "01"]
        gspans = [_spans(text, g.get("evidence") or []) for g in golds]
        main_spans = [s for g, sp in zip(golds, gspans) if g.get("focus") == "main" for s in sp]
        # one-to-one assignment of system events to gold events
        assigned = one_to_one(len(sys_evs), len(golds), lambda si, gi: matches(sys_evs[si], golds[gi], gspans[gi]),
                              lambda si, gi: sys_evs[si]["cameo"] in _codes(golds[gi]))
        taken = set(assigned.values())
        # recall and attributes
        for gi, (g, sp) in enumerate(zip(golds, gspans)):
            root = str(g["code"])[:2]
            rep.all.gold += 1
            rep.by_root[root].gold += 1
            is_main = g.get("focus") == "main"
            if is_main:
                rep.main.gold += 1
            best = sys_evs[assigned[gi]] if gi in assigned else None
            loose = [e for e in sys_evs if matches(e, g, sp, strict=False)]
            if loose:
                # the system's reading of this action: the event matched to it, if one is
                best_l = best if best is not None else next(
                    (e for e in loose if matches(e, g, sp)), loose[0])
                rep.attributes["source_country"].add(_country(best_l.get("source")) == _country(g.get("source")))
                if _country(g.get("target")):
                    rep.attributes["target_country"].add(_country(best_l.get("target")) == _country(g.get("target")))
            if best is None:
                rep.misses.append({
                    "article_id": aid, "code": g["code"], "focus": g.get("focus"),
                    "source": _country(g.get("source")), "target": _country(g.get("target")),
                    "evidence": (g.get("evidence") or [""])[0],
                    "system": [_brief(e) for e in loose],
                })
                continue
            rep.all.found += 1
            rep.by_root[root].found += 1
            if is_main:
                rep.main.found += 1
            rep.attributes["code"].add(best["cameo"] in _codes(g))
            rep.attributes["code_exact"].add(best["cameo"] == str(g["code"]))
            rep.attributes["source_sector"].add(_sector(best.get("source")) == _sector(g.get("source")))
            if _sector(g.get("target")):
                rep.attributes["target_sector"].add(_sector(best.get("target")) == _sector(g.get("target")))
            if g.get("date"):
                rep.attributes["date"].add(_date_ok(best.get("date"), str(g["date"])))
            rep.attributes["modality"].add(best.get("modality") == g.get("modality"))
            if g.get("quantity") is not None:
                rep.attributes["quantity"].add(best.get("quantity") == g.get("quantity"))
            if g.get("location") and g["location"].get("country"):
                loc = best.get("location") or {}
                rep.attributes["location_country"].add(loc.get("country") == g["location"]["country"])
        # precision over distinct tuples
        tuples: dict[tuple, list[int]] = defaultdict(list)
        for si, e in enumerate(sys_evs):
            tuples[(e["cameo"][:2], _country(e.get("source")), _country(e.get("target")))].append(si)
        for key, idx in tuples.items():
            ok = any(si in taken for si in idx)
            evs = [sys_evs[si] for si in idx]
            in_main = any(_overlap(_sys_spans(e), main_spans) for e in evs)
            rep.all.tuples += 1
            rep.all.correct += int(ok)
            rep.by_root[key[0]].tuples += 1
            rep.by_root[key[0]].correct += int(ok)
            if in_main:
                rep.main.tuples += 1
                rep.main.correct += int(ok)
            if not ok:
                e = evs[0]
                rep.false_positives.append({
                    "article_id": aid, "cameo": e["cameo"], "source": key[1], "target": key[2],
                    "trigger": e.get("trigger"), "sentence": e.get("sentence", "")[:300],
                })
    return rep


def load_gold(path: str | Path) -> list[dict]:
    """Gold articles from a JSON Lines file (GUIDELINES §2)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return out


THRESHOLDS = (0.0, 0.3, 0.5, 0.7, 0.9)


def score_with_thresholds(gold_articles: list[dict], system: dict[str, list[dict]],
                          min_confidence: float | None = None) -> EvalReport:
    """The report of the events at the default minimum confidence (or ``min_confidence``),
    with precision and recall at each of ``THRESHOLDS`` beside it; ``system`` holds every
    event whatever its confidence."""
    from .extraction.classifier import settings

    def kept(t: float) -> dict[str, list[dict]]:
        return {k: [e for e in v if e.get("confidence", 1.0) >= t] for k, v in system.items()}

    floor = settings().min_confidence if min_confidence is None else min_confidence
    rep = score(gold_articles, kept(floor))
    for t in THRESHOLDS:
        r = score(gold_articles, kept(t))
        rep.by_confidence[t] = (r.all, r.main)
    return rep


def evaluate_file(path: str | Path, extractor: Callable[[Article], list[dict]] | None = None) -> EvalReport:
    """Run kronika on every gold article of ``path`` and score it (at the default minimum
    confidence, and at each of ``THRESHOLDS``)."""
    from .extraction.classifier import configured, settings

    gold = load_gold(path)
    floor = settings().min_confidence
    if extractor is None:
        from .pipeline import extract_article

        def extractor(a: Article) -> list[dict]:
            return [e.to_dict() for e in extract_article(a).events]

    system = {}
    with configured(min_confidence=0.0):
        for g in gold:
            art = Article(id=g["id"], published=g["date"], text=g["text"], lang=g.get("lang") or "fr")
            system[g["id"]] = extractor(art)
    return score_with_thresholds(gold, system, floor)


# --- sentence-level gold with CAMEO actor codes (PETRARCH-2 validation style) -------------

def _actor_country(code: str | None) -> str | None:
    """The country of a CAMEO actor code ("GUYJUD" → "GUY"); for an IGO the organisation
    ("IGOEUREEC" → "EUR"); "---" (unknown) matches nothing."""
    if not code:
        return None
    code = code.strip().upper()
    if code.startswith("IGO") and len(code) >= 6:
        return code[3:6]  # "IGOEUREEC" → EUR, "IGOUNO…" → UNO
    return code[:3] if len(code) >= 3 else code


def score_sentences(records: list[dict], system: dict[str, list[dict]]) -> EvalReport:
    """Score sentence records whose gold ``events`` carry ``eventcode``, ``source_code`` and
    ``target_code`` (CAMEO actor codes). A system event of the sentence matches a gold event
    when the roots agree, the source countries agree and, when the gold has a target, the
    target countries agree (the whole record is the evidence); a gold target coded ``---``
    (not identified) counts as no target, while a ``---`` source matches nothing. Precision over distinct
    (sentence, root, source, target) tuples, root 01 ignored, as in ``score``."""
    rep = EvalReport(n_articles=len(records))
    for r in records:
        golds = [g for g in r.get("events") or [] if str(g.get("eventcode", ""))[:2] not in ("", "01")]
        evs = [e for e in system.get(r["id"], []) if e["cameo"][:2] != "01"]

        def ok(e: dict, g: dict) -> bool:
            if e["cameo"][:2] != str(g["eventcode"])[:2]:
                return False
            if _country(e.get("source")) != _actor_country(g.get("source_code")):
                return False
            gt = _actor_country(g.get("target_code"))
            if gt == "---":
                gt = None  # a target the coder could not identify sets no condition (GUIDELINES §5, rule 3)
            return gt is None or _country(e.get("target")) == gt

        for g in golds:
            root = str(g["eventcode"])[:2]
            rep.all.gold += 1
            rep.by_root[root].gold += 1
            m = [e for e in evs if ok(e, g)]
            if m:
                rep.all.found += 1
                rep.by_root[root].found += 1
                rep.attributes["code"].add(m[0]["cameo"] == str(g["eventcode"]))
            else:
                rep.misses.append({"article_id": r["id"], "code": g["eventcode"], "focus": "-",
                                   "source": g.get("source_code"), "target": g.get("target_code"),
                                   "evidence": r["text"][:200], "system": [_brief(e) for e in evs]})
        tuples: dict[tuple, list[dict]] = defaultdict(list)
        for e in evs:
            tuples[(e["cameo"][:2], _country(e.get("source")), _country(e.get("target")))].append(e)
        for key, group in tuples.items():
            good = any(ok(e, g) for e in group for g in golds)
            rep.all.tuples += 1
            rep.all.correct += int(good)
            rep.by_root[key[0]].tuples += 1
            rep.by_root[key[0]].correct += int(good)
            if not good:
                e = group[0]
                rep.false_positives.append({"article_id": r["id"], "cameo": e["cameo"], "source": key[1],
                                            "target": key[2], "trigger": e.get("trigger"),
                                            "sentence": e.get("sentence", "")[:300]})
    rep.main = rep.all
    return rep


def evaluate_sentences_file(path: str | Path) -> EvalReport:
    """Run kronika on each sentence record of ``path`` (``eventcode`` gold) and score it."""
    from .evaluate_en import run_records

    recs = load_gold(path)
    return score_sentences(recs, run_records(recs))


def is_sentence_gold(path: str | Path) -> bool:
    """Whether a gold file holds PETRARCH-2-style sentence records (``eventcode`` events)."""
    from .evaluate_en import gold_kind

    return gold_kind(path) == "petr2"
