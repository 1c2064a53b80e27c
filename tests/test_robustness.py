"""Issue 7.1/7.2: every kind of bad input gets a one-line problem naming the file (and the
line for JSONL) or a warned fallback, the batch goes on, the summary counts what happened,
the exit code says whether anything failed; re-ingesting is idempotent and a changed text
replaces the stored version.

Run with ``.venv/bin/python -m pytest tests/test_robustness.py -q``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from kronika.ingest import ingest
from kronika.model import Article
from kronika.reader import ReadProblem, read_inputs, read_path

ROOT = Path(__file__).resolve().parents[1]
KRONIKA = [sys.executable, "-m", "kronika.cli"]
GOOD = " date 2025-01-0{d} La police a arrêté trois militants à Lyon. Le gouvernement a condamné les violences."
CITIES = ["Lyon", "Dakar", "Paris", "Minsk", "Bamako", "Alger", "Tunis", "Rennes"]


@pytest.fixture(scope="module", autouse=True)
def _warm():
    from kronika.pipeline import warm_up

    warm_up(("fr",))


def consistency(db: Path) -> dict:
    """Articles, events and the invariants of a kronika file (opened read-only)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        n_art, sum_n = con.execute("SELECT count(*), coalesce(sum(n_events), 0) FROM articles").fetchone()
        n_ev = con.execute("SELECT count(*) FROM events").fetchone()[0]
        orphans = con.execute(
            "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = e.article_id)"
        ).fetchone()[0]
        mismatched = con.execute(
            "SELECT count(*) FROM articles a WHERE a.n_events <> "
            "(SELECT count(*) FROM events e WHERE e.article_id = a.id)"
        ).fetchone()[0]
        dup_ids = con.execute("SELECT count(*) - count(DISTINCT event_id) FROM events").fetchone()[0]
    finally:
        con.close()
    assert orphans == 0 and mismatched == 0 and dup_ids == 0 and sum_n == n_ev
    return {"articles": n_art, "events": n_ev}


def bad_corpus(d: Path) -> dict[str, str]:
    """Write one file per kind of bad input; returns file name -> expected kind of report."""
    d.mkdir(parents=True, exist_ok=True)
    (d / "good1.txt").write_text(GOOD.format(d=1), encoding="utf-8")
    (d / "good2.txt").write_text(GOOD.format(d=2).replace("Lyon", "Rennes"), encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_bytes(b"  \n\n ")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "latin1.txt").write_bytes(GOOD.format(d=3).replace("Lyon", "Orléans").encode("latin-1"))
    (d / "cp1252.txt").write_bytes(" date 2025-01-04 L’armée a bombardé la ville d’Alep.".encode("cp1252"))
    (d / "bom.txt").write_bytes(b"\xef\xbb\xbf" + GOOD.format(d=5).replace("Lyon", "Nantes").encode())
    (d / "noheader.txt").write_text("La police a arrêté trois militants à Lyon.", encoding="utf-8")
    (d / "baddate.txt").write_text(" date 2025-13-45 La police a arrêté trois militants.", encoding="utf-8")
    (d / "hier.txt").write_text(" date hier La police a arrêté trois militants.", encoding="utf-8")
    (d / "future.txt").write_text(" date 2099-01-01 La police a arrêté deux militants à Brest.", encoding="utf-8")
    (d / "page.txt").write_text(
        " date 2025-01-06 <!DOCTYPE html><html><head><script>var x = 1;</script></head><body>"
        "<p>La police a arrêté trois militants à Toulouse.</p></body></html>", encoding="utf-8")
    (d / "ctrl.txt").write_text(" date 2025-01-07 La police a\x07 arrêté\x1b trois militants à Caen.",
                                encoding="utf-8")
    (d / "spanish.txt").write_text(" date 2025-01-08 El ejército bombardeó la región y la policía detuvo a los "
                                   "manifestantes en la capital durante la noche.", encoding="utf-8")
    lines = [
        json.dumps({"id": "j1", "date": "2025-02-01", "text": "Le président a visité Dakar."}),
        "{this is not json",
        json.dumps({"id": "j3", "date": "2025-02-01"}),
        json.dumps({"id": "j4", "text": "La police a arrêté deux militants."}),
        json.dumps([1, 2]),
        json.dumps({"id": "j6", "date": "2025-02-30", "text": "La police a arrêté deux militants."}),
        json.dumps({"id": "j7", "date": "2025-02-02", "text": "Les manifestants ont défilé à Lille."}),
    ]
    (d / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {
        "empty.txt": "empty", "blank.txt": "empty", "binary.txt": "binary", "noheader.txt": "missing date header",
        "baddate.txt": "date", "hier.txt": "malformed date", "spanish.txt": "language es",
        "batch.jsonl:2": "not JSON", "batch.jsonl:3": "text", "batch.jsonl:4": "date",
        "batch.jsonl:5": "not a JSON object", "batch.jsonl:6": "impossible date",
    }


def test_every_bad_input_is_named_and_the_batch_goes_on(tmp_path):
    expected = bad_corpus(tmp_path / "in")
    db = tmp_path / "k.duckdb"
    rep = ingest([tmp_path / "in"], db=db, batch_size=3)
    errors = [p for p in rep.problems if p.level == "error"]
    warnings = [p for p in rep.problems if p.level == "warning"]
    # one error per bad input, each on one line naming the file (and the JSONL line)
    got = {}
    for p in errors:
        line = str(p)
        assert "\n" not in line and p.path in line
        key = Path(p.path).name + (f":{p.line}" if p.path.endswith(".jsonl") else "")
        got[key] = p.message
    assert set(got) == set(expected), got
    for key, words in expected.items():
        assert words in got[key], (key, got[key])
    assert all(f"batch.jsonl:{n}" in str(p) for n, p in zip((2, 3, 4, 5, 6), [p for p in errors
                                                                             if p.path.endswith(".jsonl")]))
    # fallbacks that keep the article are warnings naming the file
    kinds = {Path(p.path).name: p.message for p in warnings}
    assert "decoded as" in kinds["latin1.txt"] and "decoded as" in kinds["cp1252.txt"]
    assert "HTML" in kinds["page.txt"] and "control character" in kinds["ctrl.txt"]
    assert "future" in kinds["future.txt"]
    assert "bom.txt" not in kinds  # a BOM is simply removed
    # the rest of the batch was ingested
    kept = {"good1", "good2", "latin1", "cp1252", "bom", "future", "page", "ctrl", "j1", "j7"}
    assert rep.ingested == len(kept) and rep.failed == len(expected) and rep.warnings == len(warnings)
    assert not rep.ok
    con = duckdb.connect(str(db), read_only=True)
    rows = dict(con.execute("SELECT id, text FROM articles").fetchall())
    logged = con.execute("SELECT count(*) FROM problems WHERE level = 'error'").fetchone()[0]
    con.close()
    assert set(rows) == kept
    assert rows["latin1"].endswith("Le gouvernement a condamné les violences.") and "Orléans" in rows["latin1"]
    assert rows["bom"].startswith("La police") and "\ufeff" not in rows["bom"]
    assert rows["page"] == "La police a arrêté trois militants à Toulouse."
    assert not any(c in rows["ctrl"] for c in "\x07\x1b")
    assert logged == len(expected)  # problems are also kept in the database
    assert consistency(db)["articles"] == len(kept)
    s = rep.summary()
    assert f"{len(kept)} ingested" in s and f"{len(expected)} failed" in s and "skipped" in s


def test_cli_summary_and_exit_code(tmp_path):
    """The real command: one summary line on stderr, exit 1 when something failed, 0 when not."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD.format(d=1), encoding="utf-8")
    (src / "bad.txt").write_text(" date hier rien", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    r = subprocess.run(KRONIKA + ["ingest", str(src), "--db", str(db), "-q"], capture_output=True, text=True,
                       cwd=ROOT, timeout=300)
    assert r.returncode == 1, r.stderr
    assert f"{src / 'bad.txt'}" in r.stderr and "malformed date" in r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert "1 ingested" in last and "1 failed" in last and "0 skipped" in last
    (src / "bad.txt").unlink()
    r = subprocess.run(KRONIKA + ["ingest", str(src), "--db", str(db), "-q"], capture_output=True, text=True,
                       cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert "0 ingested" in last and "1 skipped (unchanged)" in last and "0 failed" in last


def test_idempotent_and_changed_article_is_updated(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i, city in enumerate(CITIES[:4]):
        (src / f"a{i}.txt").write_text(GOOD.format(d=i + 1).replace("Lyon", city), encoding="utf-8")
    db = tmp_path / "k.duckdb"
    r1 = ingest([src], db=db, batch_size=2)
    assert (r1.ingested, r1.updated, r1.unchanged, r1.failed) == (4, 0, 0, 0)
    before = consistency(db)
    r2 = ingest([src], db=db, batch_size=2)
    assert (r2.ingested, r2.updated, r2.unchanged, r2.events) == (0, 0, 4, 0)
    assert consistency(db) == before
    # a changed text under the same id replaces the stored version and is reported as updated
    (src / "a1.txt").write_text(" date 2025-01-02 Le Premier ministre a rencontré le président sénégalais à Dakar.",
                                encoding="utf-8")
    r3 = ingest([src], db=db, batch_size=2)
    assert (r3.ingested, r3.updated, r3.unchanged) == (0, 1, 3)
    con = duckdb.connect(str(db), read_only=True)
    text = con.execute("SELECT text FROM articles WHERE id = 'a1'").fetchone()[0]
    sentences = [s for (s,) in con.execute("SELECT sentence FROM events WHERE article_id = 'a1'").fetchall()]
    con.close()
    assert "Dakar" in text and all("militants" not in s for s in sentences)
    assert consistency(db)["articles"] == 4


def test_same_id_twice_in_one_input(tmp_path):
    p = tmp_path / "dup.jsonl"
    recs = [{"id": "x", "date": "2025-03-01", "text": "La police a arrêté deux militants à Lyon."},
            {"id": "x", "date": "2025-03-01", "text": "La police a arrêté deux militants à Lyon."},
            {"id": "y", "date": "2025-03-01", "text": "Les manifestants ont défilé à Paris."},
            {"id": "y", "date": "2025-03-01", "text": "Les manifestants ont défilé à Marseille."}]
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs), encoding="utf-8")
    rep = ingest([p], db=tmp_path / "k.duckdb")
    assert rep.ingested == 2 and rep.unchanged == 1 and rep.warnings == 1 and rep.ok
    assert "dup.jsonl:4" in str(rep.problems[0]) and "appears twice" in rep.problems[0].message
    con = duckdb.connect(str(tmp_path / "k.duckdb"), read_only=True)
    assert "Marseille" in con.execute("SELECT text FROM articles WHERE id = 'y'").fetchone()[0]
    con.close()


# --- size: a 5 MB article and 10,000 tiny ones ------------------------------------------------

def test_five_megabyte_article_is_read_and_chunked(tmp_path):
    from kronika.pipeline import CHUNK_CHARS, split_chunks

    para = ("La police a arrêté trois militants à Lyon mardi, selon le ministère de l'Intérieur. "
            "Les manifestants ont ensuite défilé dans le centre de la ville.")
    text = "\n\n".join(f"{para} ({i})" for i in range(32_000))
    assert len(text.encode()) > 5_000_000
    p = tmp_path / "huge.txt"
    p.write_text(" date 2025-01-01 " + text, encoding="utf-8")
    t0 = time.monotonic()
    items = list(read_path(p))
    assert time.monotonic() - t0 < 20
    [art] = [i for i in items if isinstance(i, Article)]
    [warn] = [i for i in items if isinstance(i, ReadProblem)]
    assert warn.level == "warning" and "chunks" in warn.message and str(p) in str(warn)
    chunks = split_chunks(art.text)
    assert "".join(c for _, c in chunks) == art.text
    assert all(len(c) <= CHUNK_CHARS for _, c in chunks) and len(chunks) >= 50
    for off, c in chunks:
        assert art.text.startswith(c, off)
        assert c.endswith("\n\n") or off + len(c) == len(art.text)  # cut on paragraph breaks


def test_long_text_chunks_keep_offsets(monkeypatch):
    """Chunked coding (forced with a small chunk size and a small spaCy limit) gives events
    whose offsets point into the full text, in every chunk, with unique ids."""
    import kronika.pipeline as P
    from kronika.nlp import load_pipeline

    seed = [i for i in read_path(ROOT / "examples" / "000_999dded07df95737.txt") if isinstance(i, Article)][0]
    single = P.extract_article(seed).events
    text = "\n\n".join([seed.text] * 4)
    nlp = load_pipeline("fr")
    monkeypatch.setattr(nlp, "max_length", 4 * len(seed.text))  # the whole text is over spaCy's limit
    monkeypatch.setattr(P, "CHUNK_CHARS", len(seed.text) + 10)
    with pytest.raises(ValueError):
        nlp(text)
    res = P.extract_article(Article(id="long", published=seed.published, text=text, lang="fr"))
    assert res.error is None
    evs = res.events
    assert len(evs) == 4 * len(single)
    assert len({e.event_id for e in evs}) == len(evs)
    starts = sorted({e.start // (len(seed.text) + 2) for e in evs})
    assert starts == [0, 1, 2, 3]
    for e in evs:
        assert text[e.start:e.end] == e.sentence
        assert text[e.trigger_start:e.trigger_end] == e.trigger
        for a in (e.source, e.target):
            if a is not None and a.start is not None:
                assert text[a.start:a.end] == a.text
        for m in e.mentions:
            assert text[m.start:m.end] == m.sentence and text[m.trigger_start:m.trigger_end] == m.trigger


def tiny_jsonl(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"t{i}", "date": f"2025-01-{i % 28 + 1:02d}",
                                 "text": f"La police a arrêté {i % 50 + 2} militants à {CITIES[i % 8]} mardi."},
                                ensure_ascii=False) + "\n")


def test_ten_thousand_tiny_articles_read_and_skip(tmp_path, monkeypatch):
    """10,000 tiny articles: read fast; a subset is ingested; re-reading all of them and
    skipping the stored ones does no NLP at all."""
    src = tmp_path / "tiny.jsonl"
    tiny_jsonl(src, 10_000)
    t0 = time.monotonic()
    items = list(read_inputs([src]))
    t_read = time.monotonic() - t0
    assert sum(isinstance(i, Article) for i in items) == 10_000 and t_read < 30
    sub = tmp_path / "sub.jsonl"
    sub.write_text("".join(src.read_text(encoding="utf-8").splitlines(keepends=True)[:300]), encoding="utf-8")
    db = tmp_path / "k.duckdb"
    rep = ingest([sub], db=db, batch_size=100)
    # the generated texts repeat every 200 articles (i % 50, i % 8): the repeats are stored as
    # exact duplicates of their first copy and not coded again (docs/corpus.md)
    assert len(rep.duplicates) == 100 and all(d.exact for d in rep.duplicates)
    assert rep.ingested == 300 and rep.events >= 300 - len(rep.duplicates) and rep.ok

    import kronika.ingest as I

    def no_nlp(batch):  # every article is already stored: extraction must not run
        raise AssertionError("extraction ran for stored articles")

    monkeypatch.setattr(I, "extract_articles", no_nlp)
    monkeypatch.setattr(I, "safe_extract", no_nlp)
    t0 = time.monotonic()
    again = ingest([sub], db=db, batch_size=100)
    assert (again.ingested, again.unchanged, again.failed) == (0, 300, 0)
    assert time.monotonic() - t0 < 20
    assert consistency(db) == {"articles": 300, "events": rep.events}


@pytest.mark.slow
def test_ten_thousand_tiny_articles_full_ingest(tmp_path):
    """The full ingest of 10,000 tiny articles (nlp.pipe batching, bulk writes)."""
    src = tmp_path / "tiny.jsonl"
    tiny_jsonl(src, 10_000)
    db = tmp_path / "k.duckdb"
    t0 = time.monotonic()
    rep = ingest([src], db=db, batch_size=500)
    took = time.monotonic() - t0
    print(f"10,000 tiny articles ingested in {took:.1f} s")
    assert rep.ingested == 10_000 and rep.ok
    assert took < 240
    assert consistency(db)["articles"] == 10_000
