"""Scorer of CASE 2021 task 2 (``../shared/eval/case2021_task2_test_en.jsonl``).

Each record is a short English news snippet with one ACLED-style ``event_type`` (30 types:
ARMED_CLASH, AIR_STRIKE, PEACE_PROTEST, ARREST, DIPLO, AGREEMENT, NATURAL_DISASTER…).
kronika codes CAMEO, so its events are mapped onto those types by
``kronika/data/case2021.yaml`` (most specific CAMEO prefix; an occupation of territory by
state forces is GOV_REGAINS_TERIT, by anyone else NON_STATE_ACTOR_OVERTAKES_TER). The
snippet's system type is the type of its events that comes first in the file's
``priority`` list; a snippet without a mapped event has no type (a miss).

The headline is the **macro-F1 over the gold types** (each type's F1 with the snippet as
the unit, averaged over the 30 gold types, including those no CAMEO code reaches:
NATURAL_DISASTER, MAN_MADE_DISASTER, ORG_CRIME, GRENADE, MOB_VIOL, HQ_ESTABLISHED…, which
therefore score 0); the report also gives accuracy and each type's figures.

Usage: ``kronika eval ../shared/eval/case2021_task2_test_en.jsonl``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .evaluate import Counts, load_gold
from .evaluate_en import Extractor, run_records


@lru_cache(maxsize=1)
def case_map() -> dict[str, Any]:
    text = resources.files("kronika.data").joinpath("case2021.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def case_type(event: dict) -> str | None:
    """The CASE 2021 type of one kronika event record (or None)."""
    m = case_map()
    code = str(event.get("cameo") or "")
    sector = (event.get("source") or {}).get("sector") if isinstance(event.get("source"), dict) else None
    for k in (code[:4], code[:3], code[:2]):
        by_sector = (m.get("by_source_sector") or {}).get(k)
        if by_sector and sector in by_sector:
            return by_sector[sector]
        if k in m["codes"]:
            return m["codes"][k]
    return None


def snippet_type(events: list[dict]) -> str | None:
    """The system type of a snippet: its events' types, the first in priority order."""
    prio = {t: i for i, t in enumerate(case_map()["priority"])}
    types = [t for t in (case_type(e) for e in events) if t]
    return min(types, key=lambda t: prio.get(t, len(prio))) if types else None


@dataclass
class CaseReport:
    n: int = 0
    right: int = 0
    by_type: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    confusions: Counter = field(default_factory=Counter)

    @property
    def macro_f1(self) -> float:
        types = [c for c in self.by_type.values() if c.gold]
        return sum(c.f1 for c in types) / len(types) if types else 0.0

    @property
    def accuracy(self) -> float:
        return self.right / self.n if self.n else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"snippets": self.n, "macro_f1": round(self.macro_f1, 4), "accuracy": round(self.accuracy, 4),
                "by_type": {k: v.to_dict() for k, v in sorted(self.by_type.items())},
                "confusions": [{"gold": g, "system": s, "n": n} for (g, s), n in self.confusions.most_common()]}

    def to_text(self, show_errors: bool = False, focus: str | None = None) -> str:
        lines = [f"kronika eval (CASE 2021 task 2) — {self.n} snippets", "",
                 f"type macro-F1 {self.macro_f1:.3f}   accuracy {self.accuracy:.3f} ({self.right}/{self.n})", "",
                 f"{'type':30}{'gold':>6}{'system':>8}{'correct':>8}{'P':>8}{'R':>8}{'F1':>8}"]
        for t, c in sorted(self.by_type.items()):
            lines.append(f"{t:30}{c.gold:>6}{c.tuples:>8}{c.correct:>8}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}")
        if show_errors:
            lines += ["", "most frequent confusions (gold ← system):"]
            for (g, s), n in self.confusions.most_common(25):
                lines.append(f"  {n:4}  {g} ← {s}")
        return "\n".join(lines)


def score_case(records: list[dict], system: dict[str, list[dict]]) -> CaseReport:
    rep = CaseReport(n=len(records))
    for r in records:
        gold = str(r["event_type"])
        got = snippet_type(system.get(str(r["id"]), []))
        rep.by_type[gold].gold += 1
        if got:
            rep.by_type[got].tuples += 1
        if got == gold:
            rep.right += 1
            rep.by_type[gold].found += 1
            rep.by_type[gold].correct += 1
        else:
            rep.confusions[(gold, got or "-")] += 1
    return rep


def evaluate_case_file(path: str | Path, extractor: Extractor | None = None) -> CaseReport:
    """Code every snippet of ``path`` with kronika and score it."""
    recs = load_gold(path)
    return score_case(recs, run_records(recs, extractor))
