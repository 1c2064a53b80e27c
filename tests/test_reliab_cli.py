"""Issue 15 items 4, 5, 7: storage problems in one line (exit 3), no network, verbatim lines."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from kronika.store import CONFIG, Store, StorageError
from kronika.store.connection import release_readers

ROOT = Path(__file__).resolve().parents[1]
KRONIKA = [sys.executable, "-m", "kronika.cli"]
EXAMPLE = ROOT / "examples" / "000_999dded07df95737.txt"


def run(args: list[str], home: Path, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run(KRONIKA + args, cwd=home, env=env, capture_output=True, text=True, timeout=300, **kw)


def one_line(r: subprocess.CompletedProcess) -> str:
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr[-3000:]
    return lines[0]


def broken_files(tmp: Path) -> dict[str, Path]:
    good = tmp / "good.duckdb"
    Store(good)
    data = good.read_bytes()
    files = {}
    sq = tmp / "s.sqlite"
    sqlite3.connect(sq).execute("CREATE TABLE t(x)").connection.commit()
    files["sqlite"] = sq
    (tmp / "empty.duckdb").write_bytes(b"")
    files["empty"] = tmp / "empty.duckdb"
    (tmp / "text.duckdb").write_text("date 2025-01-01\nhello\n")
    files["text"] = tmp / "text.duckdb"
    (tmp / "trunc.duckdb").write_bytes(data[:5000])
    files["truncated"] = tmp / "trunc.duckdb"
    (tmp / "zero.duckdb").write_bytes(b"\0" * len(data))
    files["zeroed"] = tmp / "zero.duckdb"
    (tmp / "dir.duckdb").mkdir()
    files["directory"] = tmp / "dir.duckdb"
    c = duckdb.connect(str(tmp / "bare.duckdb"))
    c.execute("CREATE TABLE other(x INTEGER)")
    c.close()
    files["table-less"] = tmp / "bare.duckdb"
    return files


def test_every_connection_is_offline_and_locked(tmp_path):
    st = Store(tmp_path / "k.duckdb")
    for ro in (False, True):
        with st.connect(read_only=ro) as con:
            vals = con.execute("SELECT current_setting('autoinstall_known_extensions'), "
                               "current_setting('autoload_known_extensions'), "
                               "current_setting('enable_external_access')").fetchone()
            assert vals == (False, False, False)
            with pytest.raises(duckdb.Error):
                con.execute("SET autoload_known_extensions = true")
    assert CONFIG["lock_configuration"] is True


@pytest.mark.parametrize("kind", ["sqlite", "empty", "text", "truncated", "zeroed", "directory", "table-less"])
def test_broken_files_are_one_storage_error(tmp_path, kind):
    path = broken_files(tmp_path)[kind]
    with pytest.raises(StorageError) as ei:
        Store(path, read_only=True).events()
    msg = str(ei.value)
    assert "\n" not in msg and str(path) in msg and len(msg) < 400


def test_failed_creation_leaves_no_file(tmp_path, monkeypatch):
    import kronika.store.connection as C

    monkeypatch.setattr(C, "SCHEMA", "CREATE TABLE meta (key VARCHAR PRIMARY KEY); THIS IS NOT SQL;")
    db = tmp_path / "new.duckdb"
    with pytest.raises(duckdb.Error):
        Store(db)
    assert not db.exists() and not (tmp_path / "new.duckdb.wal").exists()


@pytest.mark.slow
def test_cli_storage_problems_one_line_exit_3_no_network(tmp_path):
    """Every command on every broken file: one line naming the file, exit 3, and DuckDB
    never created its extension directory (no download attempt)."""
    home = tmp_path / "home"
    home.mkdir()
    files = broken_files(tmp_path)
    for kind, path in files.items():
        for args in (["events", "--db", str(path)], ["actors", "--db", str(path)],
                     ["export", str(tmp_path / "o.csv"), "--format", "csv", "--db", str(path)]):
            r = run(args, home)
            line = one_line(r)
            assert r.returncode == 3, (kind, args, r.stderr)
            assert str(path) in line, line
    r = run(["ingest", str(EXAMPLE), "--db", str(files["sqlite"]), "-q"], home)
    assert r.returncode == 3 and "SQLite" in one_line(r)
    assert not (home / ".duckdb").exists()


@pytest.mark.slow
def test_cli_lines_are_verbatim_and_busy_is_exit_3(tmp_path):
    home = tmp_path
    weird = tmp_path / "a[" / "b]"
    weird.mkdir(parents=True)
    db = weird / "[bold]k.duckdb"
    src = tmp_path / "in"
    src.mkdir()
    (src / "bad\nname.txt").write_text("no header here\n", encoding="utf-8")
    (src / "ok.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    r = run(["ingest", str(src), "--db", str(db), "-q"], home)
    lines = r.stderr.splitlines()
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert len(lines) == 2, lines
    assert "bad\\nname.txt" in lines[0] and lines[1].startswith(f"{db}: 1 ingested"), lines
    # a writer holding the file: `events` and `actors` end with one line and exit 3
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        for args in (["events", "--db", str(db)], ["actors", "--db", str(db)]):
            r = run(args, home)
            assert r.returncode == 3 and "locked" in one_line(r), r.stderr
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_full_disk_is_one_line_exit_3_and_leaves_no_empty_file(tmp_path):
    """A full disk (a real tmpfs of a few KB or MB): at creation nothing is left behind; in a
    write (the COMMIT itself fails) the cause is said, not DuckDB's "cannot rollback"."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    for size in ("8k", "2m"):
        if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)],
                          capture_output=True).returncode != 0:
            pytest.skip("cannot mount a small tmpfs here (needs CAP_SYS_ADMIN)")
        try:
            db = mnt / "k.duckdb"
            r = run(["ingest", str(EXAMPLE), "--db", str(db), "-q"], tmp_path)
            line = one_line(r)
            assert r.returncode == 3 and line == f"error: {db}: no space left on device", (size, r.stderr)
            if size == "8k":
                assert not db.exists() and not Path(str(db) + ".wal").exists()
            else:  # what was committed before the disk filled is a usable kronika database
                assert Store(db, read_only=True).summary()["articles"] in (0, 1)
        finally:
            release_readers()  # this process's shared reader, before unmounting
            subprocess.run(["umount", str(mnt)], check=True)


INJECT = '''import os
if os.environ.get("KRONIKA_TEST_FAIL_ON"):
    import kronika.pipeline as P
    _code_doc = P._code_doc
    def failing(article, *a, **kw):
        if os.environ["KRONIKA_TEST_FAIL_ON"] in article.id:
            raise ValueError("injected failure in the coder")
        return _code_doc(article, *a, **kw)
    P._code_doc = failing
'''


@pytest.mark.slow
def test_extraction_failure_is_one_line_also_in_workers(tmp_path):
    """Item 7: an article whose coding fails (a fault injected through ``sitecustomize``, so
    that the spawned worker processes fail too) is one ``error`` line naming file:line, the
    others are stored; the logging traceback only with ``--debug``."""
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(INJECT, encoding="utf-8")
    src = tmp_path / "in.jsonl"
    sentence = "Le président français a rencontré le Premier ministre allemand à Paris le {} mars."
    src.write_text("".join(json.dumps({"id": ("BOOM" if i == 2 else "ok") + str(i), "date": f"2025-03-0{i + 1}",
                                       "text": sentence.format(i + 1)}) + "\n" for i in range(6)), encoding="utf-8")
    env = {**os.environ, "HOME": str(tmp_path), "PYTHONPATH": f"{inject}{os.pathsep}{ROOT}",
           "KRONIKA_TEST_FAIL_ON": "BOOM"}
    for k, (pre, extra) in enumerate([([], ["--workers", "2"]), ([], []), (["--debug"], [])]):
        db = tmp_path / f"k{k}.duckdb"
        r = subprocess.run(KRONIKA + pre + ["ingest", str(src), "--db", str(db), "-q", "--batch-size", "2", *extra],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 1, r.stderr[-3000:]
        assert f"error: {src}:3: extraction failed: ValueError: injected failure in the coder" in r.stderr
        assert Store(db, read_only=True).summary()["articles"] == 5
        if pre:
            assert "Traceback" in r.stderr
        else:
            lines = [x for x in r.stderr.splitlines() if x.strip()]
            assert len(lines) == 2 and "Traceback" not in r.stderr, r.stderr[-3000:]
            assert lines[1].startswith(f"{db}: 5 ingested"), lines
