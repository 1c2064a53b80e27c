"""Issue 15 item 9: a property test of the whole path. JSON Lines records with arbitrary
Unicode (lone surrogates, combining marks, right-to-left text, emoji, NUL), arbitrary JSON
types in every field and arbitrary sizes are written to a file and ingested by the function
the CLI calls into a real DuckDB file. The ingest never raises; every good record is stored;
every bad one is reported at its line (and stored nowhere); a record of unknown fate is stored
or reported, never lost in silence; the file keeps its invariants.

Three kinds of line, each knowing what must become of it:
- good: valid by construction (fields of the right types, a French or English body with
  arbitrary Unicode around it, which may only cost a warning);
- bad: a good record with one known defect (wrong type, malformed date, empty or overlong id,
  surrogate outside the text, unread language, not JSON, not an object);
- fuzzy: arbitrary JSON values in every field.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kronika.ingest import ingest
from tests.test_robustness import consistency

BASES = {"fr": ["La police a arrêté trois militants à Lyon.", "Le gouvernement a condamné les violences à Dakar.",
                "L'armée a bombardé la ville et le président a rencontré son homologue à Paris."],
         "en": ["The police arrested three protesters in London.", "The president met his counterpart in Paris."]}

# every kind of character: combining marks, right-to-left, emoji, NUL and other controls, lone surrogates
any_char = st.characters(codec=None, categories=None)
noise = st.one_of(
    st.text(any_char, max_size=40),
    st.sampled_from(["\u0301\u0308", "\u202eعربي\u202c", "שלום", "👩‍👩‍👧🇫🇷", "\x00", "\ud800", "\udfff x \ud83d",
                     "\u2028\u2029\u0085\r", "e\u0301", "\ufeff", "\\", '"', "<b>"]),
)
json_scalar = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(any_char, max_size=20)
json_any = st.recursive(json_scalar, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
                        max_leaves=6)
good_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2035, 12, 31)).map(str) | st.sampled_from(
    ["2025-02", "2024-02-29"])
id_text = st.text(st.characters(codec=None, exclude_categories=("Cs", "Cc")), max_size=30)


@st.composite
def good_record(draw, k: int) -> dict:
    lang = draw(st.sampled_from(["fr", "en", None]))
    base_lang = lang or "fr"
    sentences = draw(st.lists(st.sampled_from(BASES[base_lang]), min_size=1, max_size=draw(st.sampled_from([2, 40]))))
    parts = []
    for s in sentences:
        parts += [s, draw(noise) if lang else draw(st.sampled_from(["", " ", "\n\n", "🇫🇷", "e\u0301"]))]
    rec = {"text": " ".join(parts), "date": draw(good_dates)}
    if lang:
        rec["lang"] = lang
    rec["id"] = draw(st.sampled_from(["str", "int"])) if draw(st.booleans()) else "str"
    rec["id"] = 1_000_000 + k if rec["id"] == "int" else f"g{k}-" + draw(id_text)
    for key in ("url", "title"):
        v = draw(st.none() | st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=60))
        if v is not None or draw(st.booleans()):
            rec[key] = v
    return rec


DEFECTS = {
    "text not a string": lambda r, v: r.update(text=v if not isinstance(v, str) else [v]),
    "no text": lambda r, v: r.pop("text"),
    "blank text": lambda r, v: r.update(text=" \x00\x07\n\t "),
    "date not a string": lambda r, v: r.update(date=v if not isinstance(v, str) else {"d": v}),
    "malformed date": lambda r, v: r.update(date=["2025-13-45", "hier", "", "2025-02-30", "31/31/2025", "0000-00-00",
                                                  "2025-01-01\ud800"][hash(str(v)) % 7]),
    "id of a wrong type": lambda r, v: r.update(id=[1.5, True, False, [1], {"a": 1}, -0.0][hash(str(v)) % 6]),
    "empty id": lambda r, v: r.update(id=["", " ", "\u3000\t"][hash(str(v)) % 3]),
    "overlong id": lambda r, v: r.update(id=r["id"] + "x" * 301 if isinstance(r["id"], str) else "y" * 400),
    "control character in the id": lambda r, v: r.update(id=f"{r['id']}\x00\n"),
    "surrogate in the id": lambda r, v: r.update(id=f"{r['id']}\udc80"),
    "surrogate in the title": lambda r, v: r.update(title="titre \ud800"),
    "url not a string": lambda r, v: r.update(url=v if not isinstance(v, str) and v is not None else 3),
    "title not a string": lambda r, v: r.update(title=v if not isinstance(v, str) and v is not None else [v]),
    "lang not a string": lambda r, v: r.update(lang=v if not isinstance(v, str) and v is not None else True),
    "unread language": lambda r, v: r.update(lang=["xx", "de", "", "FR ", "fr\ud800"][hash(str(v)) % 5]),
}


@st.composite
def line(draw, k: int) -> tuple[str, str, dict | None]:
    """(kind, the JSON line's text, the record or None)."""
    kind = draw(st.sampled_from(["good", "good", "bad", "bad", "fuzzy", "not json", "not an object"]))
    if kind == "not json":
        raw = draw(st.text(any_char, min_size=1, max_size=50).filter(lambda s: "\n" not in s and s.strip()
                                                                     and not _parses(s)))
        return kind, raw, None
    if kind == "not an object":
        return kind, json.dumps(draw(json_any.filter(lambda v: not isinstance(v, dict) and v is not None))), None
    if kind == "fuzzy":
        rec = {key: draw(json_any) for key in ("id", "date", "text", "url", "title", "lang")
               if draw(st.integers(0, 3))}
        if draw(st.booleans()):  # often something that might pass, to reach the coding too
            rec["text"] = draw(st.sampled_from(BASES["fr"])) + draw(noise)
            rec["date"] = draw(good_dates | st.text(max_size=12))
        extra = draw(st.dictionaries(st.text(max_size=5), json_any, max_size=2))
        rec.update({k2: v for k2, v in extra.items() if k2 not in rec})
        return kind, None, rec
    rec = draw(good_record(k))
    if kind == "bad":
        defect = draw(st.sampled_from(sorted(DEFECTS)))
        if isinstance(rec["id"], str):
            rec["id"] = "b" + rec["id"][1:]
        DEFECTS[defect](rec, draw(json_any))
        kind = f"bad: {defect}"
    return kind, None, rec


def _parses(s: str) -> bool:
    try:
        json.loads(s)
    except ValueError:
        return False
    return True


def encode(rec: dict, ascii_only: bool) -> bytes:
    text = json.dumps(rec, ensure_ascii=ascii_only)
    # a lone surrogate is written as its JSON escape ("\ud800", what JSON producers write);
    # raw in the file it would not be UTF-8 at all (that case: tests/test_reliab_input.py)
    return text.encode("utf-8") if not any(0xD800 <= ord(c) <= 0xDFFF for c in text) else \
        json.dumps(rec, ensure_ascii=True).encode("ascii")


def expected_id(rec: dict, stem: str, n: int):
    v = rec.get("id")
    if v is None:
        return f"{stem}-{n}"
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    return v if isinstance(v, str) else None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_jsonl_is_ingested_or_reported_line_by_line(data):
    from kronika.pipeline import warm_up

    warm_up(("fr", "en"))  # loaded once per process (lru_cache): later examples pay nothing
    n_lines = data.draw(st.integers(1, 14))
    lines = [data.draw(line(k)) for k in range(n_lines)]
    ascii_only = data.draw(st.booleans())
    batch_size = data.draw(st.sampled_from([1, 3, 50]))
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.jsonl"
        good_ids = set()
        chunks = []
        kept = []  # (line number, kind, record)
        for kind, raw, rec in lines:
            n = len(chunks) + 1
            if rec is not None and kind == "fuzzy" and expected_id(rec, src.stem, n) in good_ids | {
                    expected_id(r, src.stem, m) for m, _k, r in kept if r is not None}:
                continue  # the same id as another line: "the later one wins" is tested elsewhere
            chunks.append(raw.encode("utf-8", "surrogatepass") if rec is None else encode(rec, ascii_only))
            kept.append((n, kind, rec))
            if kind == "good":
                good_ids.add(expected_id(rec, src.stem, n))
        src.write_bytes(b"\n".join(chunks) + b"\n")
        db = Path(d) / "k.duckdb"

        rep = ingest([src], db=db, batch_size=batch_size)  # never raises

        problems: dict[int, list] = {}
        if not any(c.lstrip().startswith(b"{") for c in chunks) and any(b"\x00" in c for c in chunks):
            # no line is a JSON object and the bytes hold NULs: a binary file, one error for the file
            assert [(p.line, p.message) for p in rep.problems] == [(None, "binary file (NUL bytes), not text")]
            assert rep.ingested == 0
            return
        for p in rep.problems:
            assert p.path == str(src) and p.line is not None and 1 <= p.line <= len(chunks), p
            assert "\n" not in p.message and "Traceback" not in p.message, p
            problems.setdefault(p.line, []).append(p)
        stored = set()
        if db.exists():
            con = duckdb.connect(str(db), read_only=True)
            try:
                stored = {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}
                logged = {r[0] for r in con.execute("SELECT line FROM problems WHERE level = 'error'").fetchall()}
            finally:
                con.close()
            assert logged == {p.line for p in rep.problems if p.level == "error"}  # the problems table says it too
            consistency(db)
        for n, kind, rec in kept:
            errors = [p for p in problems.get(n, []) if p.level == "error"]
            if kind == "good":
                assert expected_id(rec, src.stem, n) in stored and not errors, (n, rec, problems.get(n))
            elif kind == "fuzzy":
                assert expected_id(rec, src.stem, n) in stored or problems.get(n), (n, rec)
            else:  # bad, not JSON, not an object: an error at its line, nothing stored
                assert errors, (n, kind, rec)
                if rec is not None and isinstance(rec.get("id"), str):
                    assert rec["id"] not in stored, (n, kind, rec)
        assert len(stored) == rep.ingested
        assert rep.failed == sum(1 for p in rep.problems if p.level == "error")
