"""The CAMEO ontology and its PLOVER mapping, read from ``kronika/data/cameo.tsv``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    root: str
    quad_class: int
    plover_type: str | None
    plover_mode: str | None


class UnknownCode(KeyError):
    """A CAMEO code that is not in the ontology."""


class Ontology:
    """All CAMEO codes by code string ("0841")."""

    def __init__(self, codes: dict[str, CameoCode]):
        self.codes = codes

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __len__(self) -> int:
        return len(self.codes)

    def get(self, code: str) -> CameoCode:
        """The record of ``code``; raises UnknownCode for a code CAMEO does not have."""
        try:
            return self.codes[code]
        except KeyError:
            raise UnknownCode(code) from None

    def roots(self) -> list[CameoCode]:
        return [c for c in self.codes.values() if len(c.code) == 2]

    def children(self, code: str) -> list[CameoCode]:
        return [c for c in self.codes.values() if c.code.startswith(code) and c.code != code]


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    """The ontology shipped with kronika (cached)."""
    text = resources.files("kronika.data").joinpath("cameo.tsv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    codes: dict[str, CameoCode] = {}
    for rec in csv.DictReader(lines, delimiter="\t"):
        codes[rec["code"]] = CameoCode(
            code=rec["code"],
            name=rec["name"],
            goldstein=float(rec["goldstein"]),
            root=rec["root"],
            quad_class=int(rec["quad_class"]),
            plover_type=rec["plover_type"] or None,
            plover_mode=rec["plover_mode"] or None,
        )
    return Ontology(codes)
