"""Issue 15 items 3, 6, 8: one bad value never costs a batch, nothing is lost silently,
ids mean what they say."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kronika.model import Article
from kronika.reader import ReadProblem, read_jsonl_lines, read_path, read_stream

ROOT = Path(__file__).resolve().parents[1]
KRONIKA = [sys.executable, "-m", "kronika.cli"]
GOOD = "La France a condamné lundi la Russie pour ses frappes, a déclaré le ministre."


def items_of(lines: list[str]):
    return list(read_jsonl_lines(lines, "x.jsonl"))


def arts(items):
    return [i for i in items if isinstance(i, Article)]


def errors(items):
    return [i for i in items if isinstance(i, ReadProblem) and i.level == "error"]


def rec(**kw) -> str:
    base = {"id": "a", "date": "2025-12-15", "text": GOOD}
    base.update(kw)
    return json.dumps(base)


BAD_RECORDS = {  # line text -> words of its error
    rec(id={"a": 1}): "id",
    rec(id=[1]): "id",
    rec(id=True): "id",
    rec(id=1.5): "id",
    rec(id=""): "id",
    rec(id="x" * 301): "id",
    rec(id="a\nb"): "id",
    rec(url={"x": 1}): "url",
    rec(url=3): "url",
    rec(title=["t"]): "title",
    rec(lang=1): "lang",
    rec(date=20251215): "date",
    rec(text=None): "text",
    '{"id": "s\\udc80", "date": "2025-12-15", "text": "x y z"}': "id",
    '{"id": "t1", "date": "2025-12-15", "text": "a", "title": "\\ud800"}': "title",
}


def test_every_field_is_type_checked_and_each_bad_record_named():
    lines = list(BAD_RECORDS) + [rec(id="good", url="https://e.fr/a", title="Titre")]
    items = items_of(lines)
    errs = errors(items)
    assert [e.line for e in errs] == list(range(1, len(BAD_RECORDS) + 1)), [str(e) for e in errs]
    for e, want in zip(errs, BAD_RECORDS.values()):
        assert want in e.message, str(e)
        assert "\n" not in e.message and len(e.message) < 300, e.message
    good = arts(items)
    assert [(a.id, a.url, a.title, a.source_line) for a in good] == [("good", "https://e.fr/a", "Titre", len(lines))]


def test_integer_ids_and_absent_fields():
    items = items_of([rec(id=0), rec(id=17), rec(id=None), json.dumps({"date": "2025-12-15", "text": GOOD}),
                      rec(id="b", url=None, title=None)])
    assert [a.id for a in arts(items)] == ["0", "17", "x-3", "x-4", "b"]
    assert not errors(items)


def test_lone_surrogate_in_text_is_replaced_and_warned():
    items = items_of(['{"id": "s", "date": "2025-12-15", "text": "La France \\ud800 a condamné la Russie."}'])
    (a,) = arts(items)
    assert "\ud800" not in a.text and "\ufffd" in a.text and len(a.text) == len("La France X a condamné la Russie.")
    a.text.encode("utf-8")  # storable
    assert any(p.level == "warning" and "surrogate" in p.message and p.line == 1 for p in items
               if isinstance(p, ReadProblem))


def _stdin(data: bytes):
    """What Python gives a program as sys.stdin when its input is not UTF-8."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")


def test_stdin_is_decoded_like_files(monkeypatch):
    body = " date 2025-12-15 \nLe président a salué l'accord signé à Genève.\n".encode("cp1252")
    items = list(read_stream(_stdin(body)))
    (a,) = arts(items)
    assert "président" in a.text and "Genève" in a.text
    assert any(p.level == "warning" and "cp1252" in p.message for p in items if isinstance(p, ReadProblem))
    monkeypatch.setattr(sys, "stdin", _stdin(b"\x00\x01binary"))
    items = list(read_path(Path("-")))
    assert not arts(items) and "binary" in errors(items)[0].message
    jl = (rec(id="c1") + "\n" + rec(id="c2", text="Le ministre a réuni l'équipe à Orléans.")).encode("latin-1")
    items = list(read_stream(_stdin(jl)))
    assert [a.id for a in arts(items)] == ["c1", "c2"] and "Orléans" in arts(items)[1].text


def test_one_unstorable_record_does_not_cost_its_batch(tmp_path):
    """The bulk write of a batch fails on one record (an integer too big for its column):
    the others are stored with their corpus events, the bad one is refused with its reason,
    and the problems of the batch are stored."""
    import duckdb

    from kronika.corpus.db import CorpusWriter
    from kronika.ingest import store_results
    from kronika.pipeline import extract_articles
    from kronika.store import Store, text_hash
    from tests.test_robustness import consistency

    arts_ = [Article(id=f"a{i}", published="2025-12-15", text=f"La police a arrêté {n} militants à {c} mardi.",
                     source_path="in.jsonl", source_line=i)
             for i, (n, c) in enumerate([(12, "Lyon"), (20, "Lille"), (30, "Nantes")], start=1)]
    results = extract_articles(arts_)
    assert all(r.events for r in results)
    results[1].events[0].quantity = 10 ** 30
    db = tmp_path / "k.duckdb"
    store = Store(db)
    with store.connect(read_only=False) as con:
        corpus = CorpusWriter(con)
    for a in arts_:
        corpus.check(a.id, a.text, text_hash(a.text))
    w, refused, corpus = store_results(store, results, [ReadProblem("in.jsonl", 9, "something", "warning")], corpus)
    assert sorted(w.inserted) == ["a1", "a3"]
    assert [(r.article.id, "Overflow" in why or "out of range" in why.lower()) for r, why in refused] == [("a2", True)], refused
    assert consistency(db)["articles"] == 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM events WHERE corpus_event_id IS NULL").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM article_minhash").fetchone()[0] == 2
        assert con.execute("SELECT line FROM problems").fetchall() == [(9,)]
    finally:
        con.close()


@pytest.mark.slow
def test_bad_records_beside_good_files_cli(tmp_path):
    """The bar of item 3: good files beside a JSON Lines file of bad records: the good
    articles are stored, each bad line is named, no traceback, exit 1; stdin with
    Windows-1252 bytes is read."""
    d = tmp_path / "good"
    d.mkdir()
    (d / "g1.txt").write_text(" date 2025-12-15 \n" + GOOD + "\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    lines = list(BAD_RECORDS) + ['{"id": "sur", "date": "2025-12-15", "text": "La France \\ud800 a condamné la Russie."}',
                                 rec(id="ok", text="Le Mali a accusé mardi la France.", url="https://x.ml/1")]
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    r = subprocess.run(KRONIKA + ["ingest", str(d), str(bad), "--db", str(db), "-q"], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr[-3000:]
    named = {int(x.split(f"{bad}:")[1].split(":")[0]) for x in r.stderr.splitlines()
             if x.startswith("error:") and f"{bad}:" in x}
    assert named == set(range(1, len(BAD_RECORDS) + 1)), r.stderr
    assert f"3 ingested, 0 updated, 0 skipped (unchanged), {len(BAD_RECORDS)} failed" in r.stderr.splitlines()[-1]
    stdin = " date 2025-12-16 \nLe président a salué l'accord signé à Genève.\n".encode("cp1252")
    r = subprocess.run(KRONIKA + ["ingest", "-", "--db", str(db), "-q"], cwd=ROOT, input=stdin,
                       capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        assert "Genève" in con.execute("SELECT text FROM articles WHERE id = 'stdin'").fetchone()[0]
        assert con.execute("SELECT url FROM articles WHERE id = 'ok'").fetchone()[0] == "https://x.ml/1"
    finally:
        con.close()


# --- item 9: a property test of the whole path, from JSON Lines to the database --------

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

BASE = ("La police a arrêté mardi à Paris trois militants qui manifestaient contre le gouvernement "
        "et contre la réforme, a indiqué la préfecture dans un communiqué.")
# arbitrary Unicode with what breaks readers most: lone surrogates, combining marks, RTL and
# bidi controls, emoji, NUL and other controls, line and paragraph separators
weird_chars = st.one_of(
    st.characters(codec=None),
    st.characters(categories=["Cs"]),
    st.characters(categories=["Mn", "Me"]),
    st.sampled_from(["\u202e", "\u200f", "\u05d0", "\u0627", "\U0001f600", "\U0001f1eb\U0001f1f7", "\x00", "\x1b",
                     "\u2028", "\u2029", "\x85", "\r", "\ufeff", "\ufffd", "<p>", "{", "\"", "\\"]),
)
weird = st.lists(weird_chars, max_size=12).map("".join)
json_any = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | weird
                        | st.text(max_size=40),
                        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
                        max_leaves=6)


@st.composite
def good_record(draw, k: int) -> dict:
    cut = draw(st.integers(0, len(BASE)))
    text = BASE[:cut] + draw(weird) + BASE[cut:]
    if draw(st.booleans()):  # an arbitrary size: the sentence several times
        text = "\n\n".join([text] * draw(st.integers(1, 8)))
    rec = {"id": f"g{k}" + draw(st.text(st.characters(categories=["L", "M", "So", "Zs"]), max_size=6)),
           "date": draw(st.dates(date(1990, 1, 1), date(2025, 12, 31))).isoformat(), "text": text}
    for key in ("url", "title"):
        if draw(st.booleans()):
            rec[key] = draw(st.text(st.characters(categories=["L", "N", "P", "So", "Zs"]), max_size=30))
    if draw(st.booleans()):
        rec["lang"] = "fr"
    return rec


@st.composite
def any_record(draw, k: int) -> dict:
    rec = {}
    for key in ("id", "date", "text", "url", "title", "lang"):
        if draw(st.booleans()):
            rec[key] = draw(st.one_of(json_any, st.just(BASE)) if key == "text" else json_any)
    if isinstance(rec.get("id"), str):
        rec["id"] = f"x{k}" + rec["id"]  # distinct ids (one id twice is its own, tested case)
    return rec


@st.composite
def jsonl_file(draw) -> tuple[list[str], set[int]]:
    lines, good = [], set()
    for k in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(["good", "good", "any", "garbage"]))
        if kind == "garbage":
            lines.append(draw(st.text(st.characters(codec=None, exclude_characters="\n"), max_size=60)))
            continue
        rec = draw(good_record(k) if kind == "good" else any_record(k))
        lines.append(json.dumps(rec, ensure_ascii=draw(st.booleans())))
        if kind == "good":
            good.add(len(lines))
    return lines, good


from datetime import date  # noqa: E402


@pytest.mark.slow
@settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking (minutes)
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                   HealthCheck.function_scoped_fixture])
@given(jsonl_file(), st.integers(1, 4))
def test_whole_path_never_raises_and_accounts_for_every_line(tmp_path_factory, case, batch_size):
    """Arbitrary JSON Lines through ``kronika.ingest``: it never raises, every good record is
    stored under its line, every other line is stored or reported as an error at its line."""
    import duckdb

    from kronika.ingest import ingest

    lines, good = case
    d = tmp_path_factory.mktemp("prop")
    src = d / "in.jsonl"
    src.write_bytes(("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass"))
    rep = ingest([src], db=d / "k.duckdb", batch_size=batch_size)
    stored = set()
    if (d / "k.duckdb").exists():
        con = duckdb.connect(str(d / "k.duckdb"), read_only=True)
        try:
            stored = {r[0] for r in con.execute("SELECT source_line FROM articles").fetchall()}
        finally:
            con.close()
    errors_at = {p.line for p in rep.problems if p.level == "error"}
    assert all(p.line is None or 1 <= p.line <= len(lines) for p in rep.problems)
    assert good <= stored, (sorted(good - stored), lines, [str(p) for p in rep.problems])
    for n, line in enumerate(lines, start=1):
        if line.strip():
            assert n in stored or n in errors_at, (n, line[:200], [str(p) for p in rep.problems])
    assert rep.ingested == len(stored) and rep.failed == len(errors_at)


# --- item 6: nothing is lost silently ----------------------------------------------------


def test_directory_walk_reports_every_skipped_path(tmp_path):
    import os

    d = tmp_path / "corpus"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "b.txt").write_text(" date 2025-12-15 \n" + GOOD, encoding="utf-8")
    (d / "a.txt").write_text(" date 2025-12-15 \n" + GOOD, encoding="utf-8")
    os.symlink(d / "gone.txt", d / "dangling.txt")
    os.symlink(d, d / "sub" / "loop")
    os.mkfifo(d / "pipe")
    os.symlink(d / "sub", d / "z-link")  # the same directory again through a link
    items = list(read_path(d))
    assert [a.source_path for a in arts(items)] == [str(d / "a.txt"), str(d / "sub" / "b.txt")]
    probs = {p.path: p for p in items if isinstance(p, ReadProblem)}
    assert set(probs) == {str(d / "dangling.txt"), str(d / "sub" / "loop"), str(d / "pipe"), str(d / "z-link")}
    assert "dangling" in probs[str(d / "dangling.txt")].message and "loop" in probs[str(d / "sub" / "loop")].message
    assert "regular file" in probs[str(d / "pipe")].message


def test_unreadable_directory_is_an_error_cli(tmp_path):
    """An unreadable subdirectory: one line naming it, exit 1 (root drops its override)."""
    import os
    import shutil

    d = tmp_path / "corpus"
    (d / "locked").mkdir(parents=True)
    (d / "locked" / "a.txt").write_text(" date 2025-12-15 \n" + GOOD, encoding="utf-8")
    os.chmod(d / "locked", 0)
    cmd = KRONIKA + ["ingest", str(d), "--db", str(tmp_path / "k.duckdb"), "-q"]
    if os.geteuid() == 0:  # root reads everything: run without the capabilities that allow it
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv")
        caps = "-dac_override,-dac_read_search"
        cmd = [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}", *cmd]
    try:
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        os.chmod(d / "locked", 0o755)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    first = r.stderr.splitlines()[0]
    assert first.startswith("error: ") and str(d / "locked") in first and "cannot read directory" in first, r.stderr


def test_changed_date_is_re_coded_and_changed_title_is_stored(tmp_path):
    """A corrected publication date re-codes the article (its relative dates move); a
    corrected title or url is stored without coding again; the same input again is unchanged."""
    import duckdb

    from kronika.ingest import ingest

    db = tmp_path / "k.duckdb"
    f = tmp_path / "a.txt"
    body = "La police a arrêté samedi douze militants à Lyon, a indiqué la préfecture."
    f.write_text(" date 2025-12-15 \n" + body, encoding="utf-8")

    def dates():
        con = duckdb.connect(str(db), read_only=True)
        try:
            return (con.execute("SELECT published FROM articles").fetchall(),
                    con.execute("SELECT date, published FROM events ORDER BY event_id").fetchall())
        finally:
            con.close()

    assert ingest([f], db=db).ingested == 1
    before = dates()
    assert before[1] and before[1][0] == ("2025-12-13", "2025-12-15")
    f.write_text(" date 2025-11-17 \n" + body, encoding="utf-8")
    rep = ingest([f], db=db)
    assert (rep.updated, rep.unchanged, rep.events) == (1, 0, len(before[1])), rep.summary()
    assert dates() == ([("2025-11-17",)], [("2025-11-15", "2025-11-17")] * len(before[1]))
    assert ingest([f], db=db).unchanged == 1
    j = tmp_path / "a.jsonl"
    body2 = GOOD
    j.write_text(rec(id="j", text=body2) + "\n", encoding="utf-8")
    first = ingest([j], db=db)
    assert first.ingested == 1 and first.events >= 1
    j.write_text(rec(id="j", text=body2, title="Titre corrigé", url="https://e.fr/j") + "\n", encoding="utf-8")
    rep = ingest([j], db=db)
    assert (rep.updated, rep.unchanged, rep.events) == (1, 0, 0), rep.summary()  # not coded again
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT title, url, n_events FROM articles WHERE id = 'j'").fetchone()[:2] == (
            "Titre corrigé", "https://e.fr/j")
        assert con.execute("SELECT count(*) FROM events WHERE article_id = 'j'").fetchone()[0] == first.events
    finally:
        con.close()
    assert ingest([j], db=db).unchanged == 1
