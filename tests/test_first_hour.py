"""A new user's first hour with the ``kronika`` command (issue 14 items 6, 7, 9), through
the installed entry point: usage errors are one line and exit 2, stdin takes plain text,
help shows flags as flags, tables fit 90 columns. Texts are invented for this test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .cli_run import kronika

TEXT = ("La police biélorusse a arrêté samedi trois opposants à Minsk. "
        "Le Japon a protesté mardi contre les essais de missiles de la Corée du Nord.")


@pytest.mark.parametrize("args,words", [
    (["events", "--since", "garbage"], "--since 'garbage' is not a date"),
    (["events", "--since", "2025-13"], "--since '2025-13' is not a date"),
    (["events", "--until", "2025-02-30"], "--until '2025-02-30' is not a date"),
    (["events", "--root", "99"], "CAMEO root '99' does not exist"),
    (["events", "--code", "99x"], "CAMEO code '99x' is not a code"),
    (["events", "--quad-class", "7"], "QuadClass 7 does not exist"),
    (["events", "--modality", "maybe"], "modality 'maybe' is not one of"),
    (["timex", "hier", "--published", "2025-13-01"], "--published '2025-13-01' is not a date"),
    (["extract", "-", "--published", "garbage"], "--published 'garbage' is not a date"),
])
def test_usage_errors_are_one_line_exit_2(tmp_path: Path, args: list[str], words: str) -> None:
    r = kronika(*args, "--db", str(tmp_path / "none.duckdb")) if args[0] == "events" else kronika(*args, input="")
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in r.stderr, r.stderr
    assert r.stdout == ""


def test_missing_gold_file_is_not_a_traceback() -> None:
    r = kronika("eval", "/nonexistent.jsonl")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "/nonexistent.jsonl" in r.stderr


def test_ingest_of_a_wrong_path_creates_no_database(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    r = kronika("ingest", "/nonexistent", "--db", str(db))
    assert r.returncode == 1 and "/nonexistent" in r.stderr
    assert not db.exists()


def test_help_version_and_flags() -> None:
    r = kronika("-h")
    assert r.returncode == 0 and "extract" in r.stdout and "events" in r.stdout
    r = kronika("--version")
    assert r.returncode == 0 and r.stdout.startswith("kronika ")
    r = kronika("actors", "--help")
    line = next(x for x in r.stdout.splitlines() if "--json" in x)
    assert "<bool>" not in line
    r = kronika("events", "-h")
    for opt in ("--source", "--target", "--quad-class", "--modality", "--article", "--offset", "--order"):
        assert opt in r.stdout
    for x in r.stdout.splitlines():  # every option is described
        if x.strip("│ ").startswith("--") and "--help" not in x:
            assert len(x.strip("│ ").split()) > 2, x


def test_every_option_of_every_command_is_described() -> None:
    """Item 7: each command's help describes every argument and option (``serve --db`` was
    shown bare); the commands are those ``kronika -h`` lists."""
    import re

    listed = re.findall(r"^│ ([a-z]+) {2,}\S", kronika("-h").stdout, flags=re.M)
    assert {"extract", "ingest", "events", "export", "eval", "timex", "actors", "serve", "sql"} <= set(listed)
    import typer.main

    from kronika.cli import app

    cmds = typer.main.get_command(app).commands
    assert set(listed) == set(cmds)
    bare = [(name, p.opts) for name, c in cmds.items() for p in c.params if not getattr(p, "help", None)]
    assert bare == []
    r = kronika("serve", "-h")
    line = next(x for x in r.stdout.splitlines() if "--port" in x)
    assert "Port" in line, line


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> tuple[Path, list[dict]]:
    d = tmp_path_factory.mktemp("first")
    r = kronika("extract", "-", "--published", "2025-12-13", "--id", "mine", input=TEXT)
    assert r.returncode == 0, r.stderr
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    (d / "mine.txt").write_text(" date 2025-12-13 \n" + TEXT + "\n", encoding="utf-8")
    (d / "other.txt").write_text(" date 2025-12-10 \nLa Biélorussie a libéré mercredi 123 prisonniers.\n",
                                 encoding="utf-8")
    db = d / "k.duckdb"
    r = kronika("ingest", str(d / "mine.txt"), str(d / "other.txt"), "--db", str(db))
    assert r.returncode == 0, r.stderr
    return db, recs


@pytest.mark.slow
def test_plain_text_on_stdin(stored) -> None:
    _, recs = stored
    assert recs and {x["article_id"] for x in recs} == {"mine"}
    assert {x["published"] for x in recs} == {"2025-12-13"}
    assert "arrêté" in {x["trigger"] for x in recs}


@pytest.mark.slow
def test_events_filters_of_the_api(stored) -> None:
    db, recs = stored
    every = [json.loads(x) for x in kronika("events", "--db", str(db), "-f", "jsonl").stdout.splitlines()]
    assert len(every) > len(recs) >= 1
    arrest = next(x for x in recs if x["trigger"] == "arrêté")

    def ids(*args: str) -> list[str]:
        r = kronika("events", "--db", str(db), "-f", "jsonl", *args)
        assert r.returncode == 0, r.stderr
        return [json.loads(x)["event_id"] for x in r.stdout.splitlines()]

    assert set(ids("--article", "mine")) == {x["event_id"] for x in every if x["article_id"] == "mine"}
    assert ids("--quad-class", "4") == [x["event_id"] for x in every if x["quad_class"] == 4]
    assert ids("--source", "BLR", "--root", "17") == [
        x["event_id"] for x in every if (x["source"] or {}).get("country") == "BLR" and x["root"] == "17"]
    assert arrest["event_id"].replace("stdin", "mine") in ids("--modality", "asserted")
    by_id = {x["event_id"]: x for x in every}
    newest_first = [by_id[i]["date"] or by_id[i]["published"] for i in ids("--order", "-date")]
    assert newest_first == sorted(newest_first, reverse=True) and len(newest_first) == len(every)
    assert ids("--offset", "1", "--limit", "1") == [every[1]["event_id"]]


@pytest.mark.slow
def test_tables_fit_the_terminal(stored) -> None:
    db, _ = stored
    for cols in ("90", "100"):
        r = kronika("events", "--db", str(db), env={"COLUMNS": cols})
        assert r.returncode == 0, r.stderr
        lines = r.stdout.splitlines()
        assert max(len(x) for x in lines) <= int(cols)
        assert any("2025-12-13" in x for x in lines)  # a whole date on one line
        assert any("asserted" in x for x in lines)  # modality not cut
    r = kronika("actors", "--register", "Lukashenko")
    assert "1 actor" in r.stdout and "1 actors" not in r.stdout


@pytest.mark.slow
def test_extract_table_is_one_table(stored, tmp_path: Path) -> None:
    db, _ = stored
    d = db.parent
    r = kronika("extract", str(d / "mine.txt"), str(d / "other.txt"), "-f", "table")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("┏") == 1


@pytest.mark.slow
def test_actor_filters_use_register_names(stored) -> None:
    """Issue 14 item 5: names and aliases of the register in every language, case and accents
    ignored, find the events; a filter that finds nothing says what it tried."""
    db, _ = stored
    every = [json.loads(x) for x in kronika("events", "--db", str(db), "-f", "jsonl").stdout.splitlines()]
    blr = {x["event_id"] for x in every if "BLR" in ((x["source"] or {}).get("country"), (x["target"] or {}).get("country"))}
    assert blr
    for words in ("Belarus", "bielorussie", "Biélorussie", "BELARUS", "blr"):
        r = kronika("events", "--db", str(db), "--actor", words, "-f", "jsonl")
        assert r.returncode == 0, r.stderr
        assert {json.loads(x)["event_id"] for x in r.stdout.splitlines()} == blr, words
    r = kronika("events", "--db", str(db), "--text", "libere", "-f", "jsonl")
    assert any("libéré" in json.loads(x)["sentence"] for x in r.stdout.splitlines())
    r = kronika("events", "--db", str(db), "--actor", "Poutine", "-f", "jsonl")
    assert r.returncode == 0 and r.stdout == ""
    assert "tried" in r.stderr and "person:vladimir-poutine" in r.stderr


def test_problems_recorded_once_with_a_run_id(tmp_path: Path) -> None:
    """Issue 14 item 15: re-running an ingest does not record the same problems again."""
    import duckdb

    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "a", "date": "2025-12-13", "text": ""}\nnot json\nnot json\n', encoding="utf-8")
    db = tmp_path / "k.duckdb"
    from kronika.store import Store

    Store(db)  # an existing database (ingest creates none when nothing could be read)
    for _ in range(2):
        r = kronika("ingest", str(good), "--db", str(db))
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT path, line, message, run_id FROM problems ORDER BY line").fetchall()
    con.close()
    keys = [(p, line, m) for p, line, m, _ in rows]
    assert rows and len(keys) == len(set(keys))  # each problem once, though met by two runs
    assert all(run for *_, run in rows) and len({run for *_, run in rows}) == 1
