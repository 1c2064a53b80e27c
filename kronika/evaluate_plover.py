"""Scorer of the PLOVER gold standard records (``../shared/eval/plover_gsr_en.jsonl``).

Each record is one English sentence with one gold PLOVER ``event_type`` and the gold
``source`` and ``target`` actors as lists of ``{text, code, sector}`` (``code`` an ISO 3166
alpha-3, or ``IGO``/``NGO``/``IMG`` for international bodies).

* **Event type** — the system's types of a sentence are the PLOVER types of its events
  (CAMEO→PLOVER 2021, as in every kronika record; root 01 statements have none). Per type:
  a true positive when the gold type is among the sentence's system types, a false negative
  when it is not, a false positive for every other type the system gives the sentence.
  The headline is the **macro-F1 over the gold types** (each type's F1, averaged); the
  report also gives micro precision/recall/F1 and each type's figures.
* **Countries, on matched sentences** (the gold type is among the system's): the source is
  right when one system event of the gold type has a source whose country is one of the gold
  source codes; likewise the target, on the matched sentences whose gold has a target.
  ``JAP`` is read as ``JPN`` (a known slip in the set); ``IGO``/``IMG``/``NGO`` match any
  organisation code of kronika (a code that is not an ISO country: ``UNO``, ``EUR``, ``NATO``…).
* The GSR was annotated with an earlier version of PLOVER's types than the 2021
  CAMEO→PLOVER table whose types kronika's records carry: it has FIGHT for conventional
  military force, occupation, blockade and mass violence (CAMEO roots 19 and 20: "shelled",
  "opened fire", "retaken village", "closed borders", "ethnic cleansing"; 2021: ASSAULT or
  COERCE), INVESTIGATE for root 09 and DISAPPROVE for root 11 (2021: both ACCUSE), and DEMAND
  for root 10 (2021: REQUEST). The scorer names events that way (``GSR_ROOT_TYPES``,
  ``GSR_RENAMES``) and every other event by its ``plover_type``.

Usage: ``kronika eval ../shared/eval/plover_gsr_en.jsonl`` or, from Python,
``evaluate_plover_file(path).to_text()``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .evaluate import Counts, Ratio, load_gold
from .evaluate_en import Extractor, run_records

FIXES = {"JAP": "JPN"}
GSR_ROOT_TYPES = {"09": "INVESTIGATE", "11": "DISAPPROVE", "19": "FIGHT", "20": "FIGHT"}
GSR_RENAMES = {"REQUEST": "DEMAND"}
INTERNATIONAL = {"IGO", "IMG", "NGO"}


@lru_cache(maxsize=1)
def iso_countries() -> frozenset[str]:
    text = resources.files("kronika.data").joinpath("countries.tsv").read_text(encoding="utf-8")
    rows = [ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#")]
    return frozenset(r[0] for r in rows[1:] if r and len(r[0]) == 3)


def country_ok(system: str | None, gold_codes: list[str]) -> bool:
    """Whether a system country code stands for one of the gold actor codes."""
    if not system:
        return False
    for g in gold_codes:
        g = FIXES.get(g, g)
        if system == g:
            return True
        if g in INTERNATIONAL and system not in iso_countries():
            return True
    return False


def _codes(actors: list[dict] | None) -> list[str]:
    return [str(a["code"]).upper() for a in actors or [] if a.get("code")]


def _country(a: Any) -> str | None:
    return a.get("country") if isinstance(a, dict) else None


def plover_type(event: dict) -> str | None:
    """The PLOVER type of a kronika event record as the GSR names it."""
    t = GSR_ROOT_TYPES.get(str(event.get("cameo") or "")[:2]) or event.get("plover_type")
    return GSR_RENAMES.get(str(t).upper(), str(t).upper()) if t else None


@dataclass
class PloverReport:
    n: int = 0
    by_type: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    micro: Counts = field(default_factory=Counts)
    source_country: Ratio = field(default_factory=Ratio)
    target_country: Ratio = field(default_factory=Ratio)
    misses: list[dict] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        types = [c for c in self.by_type.values() if c.gold]
        return sum(c.f1 for c in types) / len(types) if types else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"sentences": self.n, "type_macro_f1": round(self.macro_f1, 4), "micro": self.micro.to_dict(),
                "source_country": self.source_country.to_dict(), "target_country": self.target_country.to_dict(),
                "by_type": {k: v.to_dict() for k, v in sorted(self.by_type.items())}, "misses": self.misses}

    def to_text(self, show_errors: bool = False, focus: str | None = None) -> str:
        m = self.micro
        lines = [f"kronika eval (PLOVER GSR) — {self.n} sentences", "",
                 f"event type macro-F1 {self.macro_f1:.3f}   micro P {m.precision:.3f} R {m.recall:.3f} F1 {m.f1:.3f}",
                 f"on matched sentences: source country {self.source_country.value or 0:.3f} "
                 f"({self.source_country.right}/{self.source_country.total}), target country "
                 f"{self.target_country.value or 0:.3f} ({self.target_country.right}/{self.target_country.total})",
                 "", f"{'type':14}{'gold':>6}{'found':>7}{'system':>8}{'correct':>8}{'P':>8}{'R':>8}{'F1':>8}"]
        for t, c in sorted(self.by_type.items()):
            lines.append(f"{t:14}{c.gold:>6}{c.found:>7}{c.tuples:>8}{c.correct:>8}"
                         f"{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}")
        if show_errors:
            lines += ["", f"misses ({len(self.misses)}):"]
            for x in self.misses:
                lines.append(f"  [{x['id']}] {x['gold']} ← system {x['system']}: {x['text']}")
        return "\n".join(lines)


def score_plover(records: list[dict], system: dict[str, list[dict]]) -> PloverReport:
    rep = PloverReport(n=len(records))
    for r in records:
        gold = str(r["event_type"]).upper()
        evs = [e for e in system.get(str(r["id"]), []) if plover_type(e)]
        types = {plover_type(e) for e in evs}
        c = rep.by_type[gold]
        c.gold += 1
        rep.micro.gold += 1
        for t in types:
            rep.by_type[t].tuples += 1
            rep.micro.tuples += 1
        if gold not in types:
            rep.misses.append({"id": r["id"], "gold": gold, "system": sorted(types), "text": str(r.get("text", ""))[:200]})
            continue
        c.found += 1
        c.correct += 1
        rep.micro.found += 1
        rep.micro.correct += 1
        same = [e for e in evs if plover_type(e) == gold]
        src, tgt = _codes(r.get("source")), _codes(r.get("target"))
        if src:
            rep.source_country.add(any(country_ok(_country(e.get("source")), src) for e in same))
        if tgt:
            rep.target_country.add(any(country_ok(_country(e.get("target")), tgt) for e in same))
    return rep


def evaluate_plover_file(path: str | Path, extractor: Extractor | None = None) -> PloverReport:
    """Code every sentence of ``path`` with kronika and score it."""
    recs = load_gold(path)
    return score_plover(recs, run_records(recs, extractor))
