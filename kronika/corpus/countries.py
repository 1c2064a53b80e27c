"""ISO codes of the states in kronika/data/countries.tsv (organisation codes are not states)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

COUNTRIES = Path(__file__).resolve().parents[1] / "data" / "countries.tsv"


@lru_cache(maxsize=1)
def _iso2() -> dict[str, str]:
    with open(COUNTRIES, encoding="utf-8") as fh:
        rows = csv.DictReader((l for l in fh if not l.startswith("#")), delimiter="\t")
        return {r["iso3"]: r["iso2"] for r in rows if r.get("iso3")}


def iso2(iso3: str | None) -> str | None:
    """The ISO alpha-2 code of a state's alpha-3 code, None for organisations (UNO, EUR…)."""
    return _iso2().get((iso3 or "").upper())
