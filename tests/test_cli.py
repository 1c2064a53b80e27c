"""The ``kronika`` command, driven in-process with typer's CliRunner (spaCy loads once).

Inputs are the project's examples/ folder and small files written in tmp by these tests
(invented texts). Event counts are not hard-coded where they depend on the extractor: the
``extract`` output is the reference the database commands are compared with.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kronika.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
N_ARTICLES = 8  # 6 .txt files + 2 lines of illustrative.jsonl

EVENT_FIELDS = {"article_id", "published", "lang", "cameo", "root", "quad_class", "goldstein", "plover_type",
                "source", "target", "date", "modality", "quantity", "location", "sentence", "start", "end",
                "trigger"}
ACTOR_FIELDS = {"text", "name", "country", "sector"}


@pytest.fixture(scope="module")
def runner():
    """A CliRunner; rich tables are drawn 220 columns wide so that headers are not folded."""
    from kronika import cli

    width = cli.out.width
    cli.out.width = 220
    yield CliRunner()
    cli.out.width = width


def run(runner: CliRunner, *args: str, input: str | None = None):
    return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def extracted(runner) -> list[dict]:
    """``kronika extract examples/`` (jsonl), once per module."""
    res = run(runner, "extract", EXAMPLES)
    assert res.exit_code == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def db(runner, tmp_path_factory, extracted) -> dict:
    """examples/ ingested into a fresh database by ``kronika ingest``, with both runs' output."""
    path = tmp_path_factory.mktemp("cli") / "k.duckdb"
    first = run(runner, "ingest", EXAMPLES, "--db", path)
    second = run(runner, "ingest", EXAMPLES, "--db", path)
    return {"path": path, "first": first, "second": second}


def events_jsonl(runner, db_path: Path, *args: str) -> list[dict]:
    res = run(runner, "events", "--db", db_path, "--format", "jsonl", *args)
    assert res.exit_code == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines() if line.strip()]


# --- extract -------------------------------------------------------------------------------

def test_extract_jsonl_records_have_the_contract_fields(extracted):
    assert len(extracted) >= N_ARTICLES  # every example article has at least one event
    assert {r["article_id"] for r in extracted} == {
        "000_999dded07df95737", "illustrative-agreement", "illustrative-arrest", "illustrative-attack",
        "illustrative-protest", "illustrative-visit", "illustrative-sanctions", "illustrative-hostages"}
    for r in extracted:
        assert EVENT_FIELDS <= set(r), r
        assert r["root"] == r["cameo"][:2] and r["lang"] == "fr"
        assert r["modality"] in {"asserted", "planned", "negated", "hypothetical"}
        assert isinstance(r["goldstein"], float) and r["quad_class"] in {1, 2, 3, 4}
        for side in ("source", "target"):
            if r[side] is not None:
                assert ACTOR_FIELDS <= set(r[side])
        if r["location"] is not None:
            assert {"place", "country"} <= set(r["location"])
        assert 0 <= r["start"] < r["end"]
        assert r["trigger"] and r["trigger"] in r["sentence"]
        assert r["date"] is None or r["date"][:4].isdigit()


def test_extract_finds_the_reference_release(extracted):
    rel = [r for r in extracted if r["article_id"] == "000_999dded07df95737" and r["cameo"] == "0841"]
    assert rel, "the release of 123 prisoners is not extracted"
    r = rel[0]
    assert (r["source"]["country"], r["target"]["country"]) == ("BLR", "BLR")
    assert (r["date"], r["quantity"], r["modality"]) == ("2025-12-13", 123, "asserted")
    assert r["published"] == "2025-12-13"


def test_extract_json_is_the_same_records_as_jsonl(runner, extracted):
    res = run(runner, "extract", EXAMPLES, "--format", "json")
    assert res.exit_code == 0
    assert json.loads(res.stdout) == extracted


def test_extract_table(runner):
    res = run(runner, "extract", EXAMPLES / "illustrative-visit.txt", "-f", "table")
    assert res.exit_code == 0
    assert "illustrative-visit" in res.stdout and res.stdout.count("┏") == 1  # one table, the article column
    assert "cameo" in res.stdout and "source" in res.stdout
    assert "VNM" in res.stdout


def test_extract_bad_input_fails_but_prints_the_others(runner, tmp_path, extracted):
    bad = tmp_path / "bad.txt"
    bad.write_text("pas de ligne de date ici\n", encoding="utf-8")
    good = EXAMPLES / "illustrative-visit.txt"
    res = run(runner, "extract", bad, good)
    assert res.exit_code == 1
    err_lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(err_lines) == 1 and str(bad) in err_lines[0] and err_lines[0].startswith("error:")
    printed = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert printed == [r for r in extracted if r["article_id"] == "illustrative-visit"]
    # a missing file is an error too
    res = run(runner, "extract", tmp_path / "absent.txt", good)
    assert res.exit_code == 1
    assert res.stderr.strip() == f"error: {tmp_path / 'absent.txt'}: no such file or directory"
    assert len(res.stdout.splitlines()) == len(printed)


def test_extract_reads_standard_input(runner):
    text = " date 2026-03-02 La police géorgienne a arrêté lundi dix manifestants à Tbilissi.\n"
    res = run(runner, "extract", "-", input=text)
    assert res.exit_code == 0, res.stderr
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert any(r["root"] == "17" and r["source"]["country"] == "GEO" for r in recs)


# --- ingest --------------------------------------------------------------------------------

def test_ingest_summary_and_idempotence(db, extracted):
    first, second = db["first"], db["second"]
    assert first.exit_code == 0, first.stderr
    line = first.stderr.strip()
    assert "\n" not in line
    assert line.startswith(f"{db['path']}: {N_ARTICLES} ingested, 0 updated, 0 skipped (unchanged), 0 failed, "
                           f"0 warnings; {len(extracted)} events in ")
    assert second.exit_code == 0
    assert second.stderr.strip().startswith(
        f"{db['path']}: 0 ingested, 0 updated, {N_ARTICLES} skipped (unchanged), 0 failed, 0 warnings; 0 events")


def test_ingest_exit_code_1_when_an_input_fails(runner, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "date": "2026-01-01"}\n', encoding="utf-8")  # no text
    path = tmp_path / "k.duckdb"
    res = run(runner, "ingest", bad, EXAMPLES / "illustrative-attack.txt", "--db", path, "-q")
    assert res.exit_code == 1
    assert str(bad) in res.stderr
    assert "1 ingested, 0 updated, 0 skipped (unchanged), 1 failed" in res.stderr.splitlines()[-1]
    assert {r["article_id"] for r in events_jsonl(runner, path)} == {"illustrative-attack"}


# --- events --------------------------------------------------------------------------------

def test_events_returns_what_extract_printed(runner, db, extracted):
    recs = events_jsonl(runner, db["path"])
    assert len(recs) == len(extracted)
    key = lambda r: (r["article_id"], r["start"], r["cameo"], r["trigger"])  # noqa: E731
    assert sorted(map(key, recs)) == sorted(map(key, extracted))
    assert len({r["event_id"] for r in recs}) == len(recs)
    dates = [r["date"] or r["published"] for r in recs]
    assert dates == sorted(dates)  # ordered by date


def test_events_root_filter(runner, db, extracted):
    recs = events_jsonl(runner, db["path"], "--root", "08")
    assert recs and all(r["root"] == "08" for r in recs)
    assert len(recs) == sum(r["root"] == "08" for r in extracted)
    assert events_jsonl(runner, db["path"], "--root", "8") == recs  # zero-filled
    code = events_jsonl(runner, db["path"], "--code", "0841")
    assert code and all(r["cameo"].startswith("0841") for r in code)


def test_events_actor_filter(runner, db, extracted):
    recs = events_jsonl(runner, db["path"], "--actor", "blr")
    want = [r for r in extracted if "BLR" in ((r["source"] or {}).get("country"), (r["target"] or {}).get("country"))]
    assert recs and len(recs) >= len(want)
    assert {r["article_id"] for r in recs} == {"000_999dded07df95737"}
    by_name = events_jsonl(runner, db["path"], "--actor", "Loukachenko")
    assert by_name and all("loukachenko" in " ".join(str((r[s] or {}).get("name")) for s in ("source", "target")).lower()
                           for r in by_name)


def test_events_date_filters(runner, db, extracted):
    def when(r):
        return r["date"] or r["published"]

    recs = events_jsonl(runner, db["path"], "--since", "2026-02-14", "--until", "2026-04")
    want = [r for r in extracted if when(r) >= "2026-02-14" and when(r)[:7] <= "2026-04"]
    assert recs and len(recs) == len(want)
    assert all("2026-02-14" <= when(r) and when(r)[:7] <= "2026-04" for r in recs)
    before = events_jsonl(runner, db["path"], "--until", "2025")
    assert before and all(when(r)[:4] <= "2025" for r in before)
    assert len(before) == sum(when(r)[:4] <= "2025" for r in extracted)
    both = events_jsonl(runner, db["path"], "--root", "17", "--since", "2026-03-05")
    assert all(r["root"] == "17" and when(r) >= "2026-03-05" for r in both)


def test_events_csv_and_table_formats(runner, db, extracted):
    res = run(runner, "events", "--db", db["path"], "--format", "csv", "--root", "08")
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and all(r["root"] == "08" for r in rows)
    assert len(rows) == sum(r["root"] == "08" for r in extracted)
    assert {"event_id", "source_country", "target_country", "sentence", "goldstein"} <= set(rows[0])
    res = run(runner, "events", "--db", db["path"], "--limit", "3")
    assert res.exit_code == 0 and "3 events" in res.stdout


def test_events_on_a_missing_database(runner, tmp_path):
    res = run(runner, "events", "--db", tmp_path / "none.duckdb")
    # (this message is wrapped at the console width: compare without line breaks)
    assert res.exit_code == 2 and "no such database" in " ".join(res.stderr.split())


# --- export --------------------------------------------------------------------------------

def test_export_csv_jsonl_parquet(runner, db, extracted, tmp_path):
    import pyarrow.parquet as pq

    n = len(extracted)
    for fmt in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"events.{fmt}"
        res = run(runner, "export", out, "--format", fmt, "--db", db["path"])
        assert res.exit_code == 0, res.stderr
        assert " ".join(res.stderr.split()) == f"{n} events written to {out}"  # wrapped at 80 columns
    rows = list(csv.DictReader(open(tmp_path / "events.csv", encoding="utf-8")))
    assert len(rows) == n and {r["root"] for r in rows} == {r["root"] for r in extracted}
    lines = [json.loads(x) for x in (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == n and EVENT_FIELDS <= set(lines[0])
    table = pq.read_table(tmp_path / "events.parquet")
    assert table.num_rows == n
    assert sorted(table.column("event_id").to_pylist()) == sorted(r["event_id"] for r in lines)


# --- actors --------------------------------------------------------------------------------

def test_actors_listing_from_the_database(runner, db):
    res = run(runner, "actors", "--db", db["path"], "--json")
    assert res.exit_code == 0
    rows = json.loads(res.stdout)
    assert rows and all(r["n_events"] >= 1 for r in rows)
    counts = [r["n_events"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert "country:BLR" in {r["id"] for r in rows}
    blr = run(runner, "actors", "BLR", "--db", db["path"], "--json")
    assert all(r["country"] == "BLR" or "blr" in r["id"].lower() for r in json.loads(blr.stdout))
    table = run(runner, "actors", "--db", db["path"], "--limit", "5")
    assert table.exit_code == 0 and "5 actors" in table.stdout


def test_actors_register_search_by_alias(runner):
    res = run(runner, "actors", "--register", "Lukashenko", "--json")
    assert res.exit_code == 0
    rows = json.loads(res.stdout)
    assert rows[0]["id"] == "person:alexandre-loukachenko"
    assert rows[0]["name"] == "Alexandre Loukachenko" and rows[0]["country"] == "BLR"
    assert "Lukashenko" in rows[0]["aliases"]
    table = run(runner, "actors", "--register", "Lukashenko")
    assert "Loukachenko" in table.stdout


# --- timex ---------------------------------------------------------------------------------

def test_timex_json(runner):
    res = run(runner, "timex", "samedi dernier", "--published", "2025-12-17", "--json")
    assert res.exit_code == 0, res.stderr
    rows = json.loads(res.stdout)
    assert len(rows) == 1
    assert (rows[0]["start"], rows[0]["end"], rows[0]["value"], rows[0]["type"]) == (0, 14, "2025-12-13", "DATE")


# --- eval ----------------------------------------------------------------------------------

GOLD_TEXT = ("La Géorgie a libéré lundi 40 prisonniers politiques. "
             "Les États-Unis ont salué cette décision mardi.")
GOLD = {
    "id": "cli-gold-1", "date": "2026-03-04", "lang": "fr", "text": GOLD_TEXT,
    "events": [
        {"code": "0841", "alt_codes": [], "source": {"text": "La Géorgie", "country": "GEO", "sector": "GOV"},
         "target": {"text": "40 prisonniers politiques", "country": "GEO", "sector": "OPP"},
         "date": "2026-03-02", "modality": "asserted", "quantity": 40, "location": {"country": "GEO", "place": None},
         "focus": "main", "evidence": ["La Géorgie a libéré lundi 40 prisonniers politiques"]},
        {"code": "051", "alt_codes": [], "source": {"text": "Les États-Unis", "country": "USA", "sector": "GOV"},
         "target": {"text": "La Géorgie", "country": "GEO", "sector": "GOV"},
         "date": "2026-03-03", "modality": "asserted", "quantity": None, "location": None,
         "focus": "background", "evidence": ["Les États-Unis ont salué cette décision mardi"]},
    ],
}


def test_eval_prints_precision_recall_f1(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    res = run(runner, "eval", gold)
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "kronika eval — 1 articles"
    assert lines[2].split() == ["gold", "found", "tuples", "correct", "P", "R", "F1"]
    row = next(x.split() for x in lines if x.startswith("all "))
    assert row[1] == "2" and all(0.0 <= float(v) <= 1.0 for v in row[5:8])
    rep = json.loads(run(runner, "eval", gold, "--json").stdout)
    assert rep["articles"] == 1 and rep["all"]["gold"] == 2 and rep["main"]["gold"] == 1
    assert rep["all"]["found"] >= 1  # the plain release sentence is found
    assert rep["all"]["recall"] == round(rep["all"]["found"] / 2, 4)
    main = run(runner, "eval", gold, "--focus", "main", "--show-errors").stdout
    assert not any(x.startswith("all ") for x in main.splitlines())
    assert "misses (" in main and "false positives (" in main


def test_eval_timex(runner, tmp_path):
    gold = tmp_path / "timex.jsonl"
    doc = {"doc_id": "t1", "dct": "2025-12-17", "lang": "fr",
           "text": "Le ministre est venu hier. Il repart le 3 janvier 2026.",
           "timexes": [{"text": "hier", "type": "DATE", "value": "2025-12-16", "relative": True, "mod": None},
                       {"text": "le 3 janvier 2026", "type": "DATE", "value": "2026-01-03", "relative": False,
                        "mod": None}]}
    gold.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    res = run(runner, "eval", "--timex", gold, "--json")
    assert res.exit_code == 0
    rep = json.loads(res.stdout)
    assert (rep["docs"], rep["n_gold"], rep["unlocated"], rep["system"]) == (1, 2, 0, 2)
    assert rep["detection_recall"] == 1.0 and rep["detection_precision"] == 1.0
    assert rep["overall"]["value_accuracy"] == 1.0
    assert rep["relative"]["gold"] == 1 and rep["relative"]["end_to_end"] == 1.0
    text = run(runner, "eval", "--timex", gold).stdout
    assert text.startswith(f"TIMEX evaluation: {gold}")
