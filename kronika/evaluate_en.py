"""The English sentence-level gold sets of ../shared/eval, and which scorer reads which file.

Three public English sets code single sentences or short snippets, each in its own labels;
each has its own scorer module:

========================================  ==========================  =======================
file                                      labels                      scorer
========================================  ==========================  =======================
``petr2_gsr_validation_en.jsonl``         CAMEO code + CAMEO actors   ``kronika.evaluate``
                                                                      (``score_sentences``)
``plover_gsr_en.jsonl``                   PLOVER type + ISO3 actors   ``kronika.evaluate_plover``
``case2021_task2_test_en.jsonl``          ACLED-style snippet types   ``kronika.evaluate_case``
========================================  ==========================  =======================

:func:`gold_kind` tells them apart by their fields (not their names), and :func:`run_records`
codes every record with the ordinary pipeline (``extract_article``), so the figures are
those of ``kronika extract`` on the same text. Records without a usable date are coded as
published on 2000-01-01 (the PLOVER dates are placeholders; relative expressions do not
matter to these scorers).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from .model import Article
from .reader import parse_date

PLACEHOLDER_DATE = "2000-01-01"


def _first_record(path: str | Path) -> dict | None:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                return json.loads(line)
    return None


def gold_kind(path: str | Path) -> str:
    """``articles`` (GUIDELINES articles), ``petr2`` (sentences with CAMEO ``eventcode``),
    ``plover`` (sentences with a PLOVER ``event_type`` and actor lists) or ``case``
    (snippets with an ACLED-style ``event_type`` only)."""
    rec = _first_record(path) or {}
    evs = rec.get("events")
    if isinstance(evs, list) and evs and "eventcode" in evs[0]:
        return "petr2"
    if "event_type" in rec and "events" not in rec:
        return "plover" if "source" in rec or "target" in rec else "case"
    if "events" in rec and "category" in rec and "date" in rec and not evs:
        return "petr2"
    return "articles"


def record_date(rec: dict) -> str:
    """The publication date of a sentence record (``20080804``, ``080804``, ISO), or the
    placeholder when it has none."""
    d = str(rec.get("date") or "")
    if len(d) == 8 and d.isdigit():
        d = f"{d[:4]}-{d[4:6]}-{d[6:]}"
    elif len(d) == 6 and d.isdigit():  # YYMMDD
        d = f"20{d[:2]}-{d[2:4]}-{d[4:]}"
    try:
        return parse_date(d)
    except ValueError:
        return PLACEHOLDER_DATE


Extractor = Callable[[Article], list[dict]]


def default_extractor() -> Extractor:
    from .pipeline import extract_article

    def run(a: Article) -> list[dict]:
        return [e.to_dict() for e in extract_article(a).events]

    return run


def run_records(records: list[dict], extractor: Extractor | None = None) -> dict[str, list[dict]]:
    """System events (JSON records) of every sentence record, by record id."""
    extractor = extractor or default_extractor()
    out: dict[str, list[dict]] = {}
    for r in records:
        art = Article(id=str(r["id"]), published=record_date(r), text=r["text"], lang=r.get("lang") or "en")
        out[str(r["id"])] = extractor(art)
    return out


def evaluate_any(path: str | Path) -> Any:
    """The report of the scorer that reads ``path`` (see the table above)."""
    kind = gold_kind(path)
    if kind == "plover":
        from .evaluate_plover import evaluate_plover_file

        return evaluate_plover_file(path)
    if kind == "case":
        from .evaluate_case import evaluate_case_file

        return evaluate_case_file(path)
    from .evaluate import evaluate_file, evaluate_sentences_file

    return evaluate_sentences_file(path) if kind == "petr2" else evaluate_file(path)
