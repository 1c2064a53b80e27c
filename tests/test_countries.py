"""kronika/data/countries.tsv is complete and in sync with scripts/build_countries.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _builder():
    spec = importlib.util.spec_from_file_location("build_countries", ROOT / "scripts" / "build_countries.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_tsv_matches_builder():
    rows = [line.split("\t") for line in (ROOT / "kronika" / "data" / "countries.tsv").read_text(
        encoding="utf-8").splitlines() if line and not line.startswith("#")][1:]
    assert rows == _builder().build()


def test_tsv_content():
    rows = {r[0]: r for r in _builder().build()}
    assert len(rows) >= 195
    assert rows["BLR"][2] == "Biélorussie" and rows["BLR"][4] == "Minsk"
    assert "Bélarus" in rows["BLR"][5].split("|")
    assert "RDC" in rows["COD"][5].split("|")
    for code in ("PSE", "XKX", "ESH", "TWN"):
        assert code in rows
