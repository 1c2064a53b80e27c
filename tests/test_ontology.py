"""The CAMEO ontology and PLOVER mapping shipped as kronika/data/cameo.tsv."""

from __future__ import annotations

import csv

import pytest

from kronika.ontology import UnknownCode, load_ontology

from .conftest import SHARED, need


def test_every_root_and_quad_class():
    o = load_ontology()
    roots = [c.code for c in o.roots()]
    assert roots == [f"{i:02d}" for i in range(1, 21)]
    assert {o.get(r).quad_class for r in ("01", "02", "03", "04", "05")} == {1}
    assert {o.get(r).quad_class for r in ("06", "07", "08", "09")} == {2}
    assert {o.get(r).quad_class for r in ("10", "11", "12", "13", "14")} == {3}
    assert {o.get(r).quad_class for r in ("15", "16", "17", "18", "19", "20")} == {4}


def test_frequent_codes():
    o = load_ontology()
    rel = o.get("0841")
    assert rel.root == "08" and rel.goldstein == 7.0 and rel.plover_type == "RETREAT"
    assert o.get("042").plover_type == "CONSULT" and o.get("042").plover_mode == "visit"
    assert o.get("163").goldstein < 0 and o.get("163").quad_class == 4
    assert o.get("0354").root == "03"
    assert [c.code for c in o.children("084")] == ["0841", "0842"]
    with pytest.raises(UnknownCode):
        o.get("999")


def test_matches_reference_facts():
    """Each code, Goldstein value and root agrees with the CAMEO reference."""
    ref = need(SHARED / "reference" / "cameo-codes.csv")
    o = load_ontology()
    with open(ref, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(o) == len(rows)
    for r in rows:
        c = o.get(r["code"])
        assert c.root == r["root_code"]
        assert c.goldstein == pytest.approx(float(r["goldstein"]))
