"""Score kronika.timex against a TIMEX3 gold file (JSON Lines).

Each gold line has ``dct`` (publication date), ``text``, ``lang`` (optional) and ``timexes``:
``[{text, type, value, relative, mod}]`` without offsets. A gold expression is located at its
first occurrence after the previous located one (falling back to a search from the start,
then a case-insensitive search); it is *found* when a system expression overlaps it, and its
value is *right* when the system value equals the gold value exactly. The "date part"
accuracy compares only what precedes "T" (so "1999-05-18TEV" vs "1999-05-18" counts).
Accuracies are over found expressions; ``end-to-end`` is over all located gold.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kronika.timex import Timex, find_timexes


@dataclass
class _Bucket:
    gold: int = 0
    found: int = 0
    value_ok: int = 0
    date_ok: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "found": self.found,
            "recall": _ratio(self.found, self.gold),
            "value_accuracy": _ratio(self.value_ok, self.found),
            "date_part_accuracy": _ratio(self.date_ok, self.found),
            "end_to_end": _ratio(self.value_ok, self.gold),
        }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


@dataclass
class TimexReport:
    """Detection and value scores of one gold file."""

    path: str
    docs: int = 0
    unlocated: int = 0  # gold strings not found in their text
    system: int = 0  # system expressions
    system_matched: int = 0  # system expressions overlapping a gold one
    overall: _Bucket = field(default_factory=_Bucket)
    relative: _Bucket = field(default_factory=_Bucket)
    by_type: dict[str, _Bucket] = field(default_factory=lambda: defaultdict(_Bucket))
    errors: list[dict[str, Any]] = field(default_factory=list)  # value errors and misses

    @property
    def precision(self) -> float | None:
        return _ratio(self.system_matched, self.system)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "docs": self.docs,
            "n_gold": self.overall.gold,
            "unlocated": self.unlocated,
            "system": self.system,
            "detection_recall": _ratio(self.overall.found, self.overall.gold),
            "detection_precision": self.precision,
            "overall": self.overall.as_dict(),
            "relative": self.relative.as_dict(),
            "by_type": {k: v.as_dict() for k, v in sorted(self.by_type.items())},
        }

    def to_text(self) -> str:
        d = self.to_dict()
        lines = [
            f"TIMEX evaluation: {self.path}",
            f"docs {self.docs}  gold {d['n_gold']} (unlocated {self.unlocated})  system {self.system}",
            f"detection recall {_fmt(d['detection_recall'])}  precision {_fmt(d['detection_precision'])}",
            "",
            f"{'subset':<12}{'gold':>6}{'found':>7}{'recall':>8}{'value':>8}{'date':>8}{'e2e':>8}",
        ]
        rows = [("all", d["overall"]), ("relative", d["relative"])]
        rows += [(k, v) for k, v in d["by_type"].items()]
        for name, b in rows:
            lines.append(
                f"{name:<12}{b['gold']:>6}{b['found']:>7}{_fmt(b['recall']):>8}"
                f"{_fmt(b['value_accuracy']):>8}{_fmt(b['date_part_accuracy']):>8}{_fmt(b['end_to_end']):>8}"
            )
        lines.append("(value/date = accuracy over found; e2e = right value over all gold)")
        return "\n".join(lines)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _date_part(v: str | None) -> str | None:
    return v.split("T")[0] if v else v


def _locate(text: str, needle: str, start: int) -> int:
    """Offset of ``needle`` in ``text`` from ``start``: whole words first, then any substring."""
    if not needle:
        return -1
    rx = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    for flags_text, st in ((text, start), (text, 0)):
        m = rx.search(flags_text, st)
        if m:
            return m.start()
    i = text.find(needle, start)
    if i < 0:
        i = text.find(needle)
    if i < 0:
        low = text.lower()
        i = low.find(needle.lower(), start)
        if i < 0:
            i = low.find(needle.lower())
    return i


def _parse_dct(s: str) -> date:
    s = s.strip()[:10]
    parts = s.split("-")
    if len(parts) == 2:
        return date(int(parts[0]), int(parts[1]), 1)
    return date.fromisoformat(s)


def score_timex(gold_path: Path, lang: str | None = None) -> TimexReport:
    """Run :func:`find_timexes` on every document of ``gold_path`` and score it.

    ``lang`` overrides the documents' ``lang`` field (default "fr").
    """
    gold_path = Path(gold_path)
    rep = TimexReport(path=str(gold_path))
    with open(gold_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            rep.docs += 1
            text = doc.get("text") or ""
            dct = _parse_dct(doc["dct"])
            sys_tx: list[Timex] = find_timexes(text, dct, lang or doc.get("lang") or "fr")
            rep.system += len(sys_tx)
            matched_sys: set[int] = set()
            pos = 0
            for g in doc.get("timexes", []):
                gs = g.get("text") or ""
                i = _locate(text, gs, pos)
                if i < 0:
                    rep.unlocated += 1
                    continue
                gstart, gend = i, i + len(gs)
                pos = gend
                hit = None
                for k, t in enumerate(sys_tx):
                    if t.start < gend and t.end > gstart:
                        hit = k
                        break
                buckets = [rep.overall, rep.by_type[g.get("type") or "?"]]
                if g.get("relative"):
                    buckets.append(rep.relative)
                for b in buckets:
                    b.gold += 1
                if hit is None:
                    rep.errors.append({"doc": doc.get("doc_id"), "dct": doc["dct"], "gold": g, "system": None})
                    continue
                matched_sys.add(hit)
                t = sys_tx[hit]
                ok = t.value == g.get("value")
                dok = _date_part(t.value) == _date_part(g.get("value"))
                for b in buckets:
                    b.found += 1
                    b.value_ok += ok
                    b.date_ok += dok
                if not ok:
                    rep.errors.append(
                        {"doc": doc.get("doc_id"), "dct": doc["dct"], "gold": g,
                         "system": {"text": t.text, "value": t.value, "type": t.type}}
                    )
            # system expressions overlapping any gold occurrence count as correct detections
            rep.system_matched += len(matched_sys)
            for k, t in enumerate(sys_tx):
                if k in matched_sys:
                    continue
                if any(
                    (j := _locate(text, g.get("text") or "", 0)) >= 0
                    and t.start < j + len(g["text"]) and t.end > j
                    for g in doc.get("timexes", [])
                ):
                    rep.system_matched += 1
    return rep


if __name__ == "__main__":  # pragma: no cover - manual use: python -m kronika.evaluate_timex GOLD
    import sys

    r = score_timex(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
    print(r.to_text())
