"""Articles dated to a month only (` date 2025-12 `, issue 14 item 1): relative expressions get
the month at best, never an invented day, and never a day outside the month.

Texts are invented for this test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import kronika
from kronika.timex import find_timexes

ROOT = Path(__file__).resolve().parents[1]
KRONIKA = Path(sys.executable).with_name("kronika")

TEXT = ("Le Japon a protesté mardi contre les essais de missiles de la Corée du Nord. "
        "Hier, la police a arrêté trois manifestants à Minsk. "
        "Le 3 décembre, la Biélorussie a libéré 123 prisonniers. "
        "Le président a annoncé le mois dernier des sanctions.")


def _values(text: str, published: date, precision: str) -> dict[str, tuple[str | None, str | None]]:
    return {t.text.lower(): (t.value, t.precision) for t in find_timexes(text, published, "fr", precision)}


@pytest.mark.parametrize("month", [date(2025, 12, 1), date(2024, 2, 1), date(2026, 3, 1)])
def test_day_dependent_expressions_get_the_month(month: date) -> None:
    ym = month.isoformat()[:7]
    v = _values("Il est arrivé mardi, reparti hier, reviendra demain ; il y a trois jours, rien.", month, "month")
    for words in ("mardi", "hier", "demain", "il y a trois jours"):
        assert v[words] == (ym, "month"), (words, v)


def test_explicit_and_month_level_expressions_stand() -> None:
    v = _values("Le 3 décembre puis le mois dernier et l'an prochain, le 28 novembre 2025.", date(2025, 12, 1), "month")
    assert v["le 3 décembre"] == ("2025-12-03", "day")
    assert v["le mois dernier"] == ("2025-11", "month")
    assert v["l'an prochain"] == ("2026", "year")
    assert v["le 28 novembre 2025"] == ("2025-11-28", "day")


def test_day_dated_articles_are_unchanged() -> None:
    assert _values("Il est arrivé mardi.", date(2025, 12, 13), "day")["mardi"] == ("2025-12-09", "day")


def _month_days_ok(events, ym: str) -> None:
    for e in events:
        if e.date and e.date_precision == "day":
            # a day only when the text writes it: the value lies in the month or comes from an explicit date
            assert e.date.startswith(ym) or e.date_inferred is False
        if e.date_inferred:
            assert (e.date, e.date_precision) == (ym, "month")


def test_events_of_a_month_dated_article() -> None:
    evs = {e.trigger: e for e in kronika.extract(TEXT, published="2025-12", lang="fr")}
    assert (evs["protesté"].date, evs["protesté"].date_precision) == ("2025-12", "month")
    assert (evs["arrêté"].date, evs["arrêté"].date_precision) == ("2025-12", "month")
    assert (evs["libéré"].date, evs["libéré"].date_precision) == ("2025-12-03", "day")
    _month_days_ok(evs.values(), "2025-12")


def test_undated_news_of_a_month_dated_article_is_the_month() -> None:
    evs = kronika.extract("La Biélorussie a libéré 123 prisonniers politiques.", published="2025-12", lang="fr")
    e = next(e for e in evs if e.trigger == "libéré")
    assert (e.date, e.date_precision, e.date_inferred) == ("2025-12", "month", True)


def test_cli_extract_month_dated_file(tmp_path: Path) -> None:
    """Through the installed entry point, as a user runs it."""
    f = tmp_path / "month.txt"
    f.write_text(" date 2025-12 \n" + TEXT + "\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([str(KRONIKA), "extract", str(f)], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert recs and all(x["published"] == "2025-12" for x in recs)
    for x in recs:
        assert x["date"] is None or x["date"][:7] in ("2025-12", "2025-11"), x  # "le mois dernier" is 2025-11
        if x["date_precision"] == "day":
            assert x["date"] == "2025-12-03"
