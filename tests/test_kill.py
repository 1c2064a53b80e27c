"""Issue 7.2: an ingest killed with SIGKILL leaves a consistent database, and running the
same command again finishes the job without duplicates.

Two ways of killing:
- deterministic: a child process runs the real ``ingest()`` with the COMMIT of its third
  batch delayed, and is killed while that transaction is open (rows inserted, not committed);
- realistic (slow, issue 15 item 9): the real ``kronika ingest`` command over 5,000 distinct
  articles is killed three times at different moments (while it creates the file, between
  batches, the instant a batch's write-ahead log appears), in process and with ``--workers 2``;
  a last run converges on the events of one uninterrupted reference run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import duckdb

from kronika.store.schema import EVENT_COLUMNS
from tests.test_robustness import CITIES, consistency, tiny_jsonl

ROOT = Path(__file__).resolve().parents[1]
KRONIKA = [sys.executable, "-m", "kronika.cli"]

CHILD = r"""
import sys, time, pathlib
from contextlib import contextmanager
import kronika.store as S

marker, src, db = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
orig = S.Store.connect
commits = {"n": 0}

class Slow:
    # a connection whose third COMMIT of a batch of articles waits (so that the parent can kill
    # us inside it; the schema's own transaction is not counted)
    def __init__(self, con):
        self._con = con
        self._articles = False
    def __getattr__(self, name):
        return getattr(self._con, name)
    def execute(self, sql, *args):
        self._articles = self._articles or "INTO articles" in sql
        if sql == "COMMIT" and self._articles:
            self._articles = False
            commits["n"] += 1
            if commits["n"] == 3:
                marker.write_text("in transaction")
                time.sleep(120)
        return self._con.execute(sql, *args)

@contextmanager
def connect(self, read_only=None):
    with orig(self, read_only) as con:
        yield Slow(con)

S.Store.connect = connect
from kronika.ingest import ingest
ingest([src], db=db, batch_size=10)
"""


def wait_for(pred, timeout: float, what: str) -> None:
    t0 = time.monotonic()
    while not pred():
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def finish(src: Path, db: Path) -> subprocess.CompletedProcess:
    r = subprocess.run(KRONIKA + ["ingest", str(src), "--db", str(db), "-q", "--batch-size", "10"],
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr
    return r


def test_kill_inside_a_transaction_then_rerun(tmp_path):
    src = tmp_path / "in.jsonl"
    tiny_jsonl(src, 60)
    db = tmp_path / "k.duckdb"
    marker = tmp_path / "marker"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(marker), str(src), str(db)], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: marker.exists() or child.poll() is not None, 300, "the third batch")
        assert child.poll() is None, child.stderr.read().decode()[-2000:]
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(30)
    # the two committed batches are there, the one in flight is not, nothing half-written
    state = consistency(db)
    assert state["articles"] == 20
    r = finish(src, db)
    last = r.stderr.strip().splitlines()[-1]
    assert "40 ingested" in last and "20 skipped" in last, last
    assert consistency(db)["articles"] == 60
    r = finish(src, db)  # and once more: nothing to do
    assert "0 ingested" in r.stderr and "60 skipped" in r.stderr
    assert consistency(db)["articles"] == 60


N_BIG = 5000
BIG_BATCH = 500  # ten transactions: a kill costs at most one batch of work


def distinct_jsonl(path: Path, n: int) -> None:
    """``n`` small articles with distinct texts (none is a duplicate of another: every one is coded)."""
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"k{i}", "date": f"2025-01-{i % 28 + 1:02d}",
                                 "text": f"La police a arrêté {i + 2} militants à {CITIES[i % 8]}."},
                                ensure_ascii=False) + "\n")


def stored(db: Path) -> dict:
    """What a run must converge on: every article once (id, hash, event count), every event
    row, and the corpus-event grouping."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "articles": con.execute("SELECT id, text_hash, n_events FROM articles ORDER BY id").fetchall(),
            "events": con.execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events ORDER BY event_id").fetchall(),
            "corpus": con.execute("SELECT event_id, corpus_event_id FROM events ORDER BY event_id").fetchall(),
        }
    finally:
        con.close()


def n_stored(db: Path) -> int | None:
    """Articles committed so far, or None while the writer holds the file."""
    if not db.exists():
        return 0
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    except duckdb.Error:
        return None
    finally:
        con.close()


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """The 5,000-article input and what one uninterrupted ingest of it stores (shared by the
    two kill tests; in process, through the function the CLI calls)."""
    from kronika.ingest import ingest

    d = tmp_path_factory.mktemp("kill5000")
    src = d / "big.jsonl"
    distinct_jsonl(src, N_BIG)
    ref = d / "ref.duckdb"
    rep = ingest([src], db=ref, batch_size=BIG_BATCH)
    assert rep.ingested == N_BIG and rep.ok and not rep.duplicates
    state = stored(ref)
    assert len(state["articles"]) == N_BIG and len(state["events"]) > 0.9 * N_BIG
    return src, state


def children_of(pid: int) -> list[int]:
    out = []
    for st in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = st.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(st.parent.name))
    return out


def kill_at(src: Path, db: Path, moments: list[str], extra: list[str]) -> list[int]:
    """Run the real command once per moment, each killed (SIGKILL) at that moment; returns
    the committed article counts after each kill. Its worker processes must exit."""
    wal = Path(str(db) + ".wal")
    seen = []
    for moment in moments:
        before = n_stored(db) or 0
        child = subprocess.Popen(KRONIKA + ["ingest", str(src), "--db", str(db), "-q",
                                            "--batch-size", str(BIG_BATCH)] + extra,
                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers: set[int] = set()
        try:
            if moment == "creating the file":  # the instant a file of the database appears
                wait_for(lambda: any(db.parent.glob(db.name + "*")) or child.poll() is not None, 120,
                         "the file's creation")
            elif moment == "workers loading":  # the worker processes are up, loading their model
                wait_for(lambda: len(children_of(child.pid)) >= 2 or child.poll() is not None, 120, "workers")
                time.sleep(1.0)
            else:
                def progressed() -> bool:
                    if child.poll() is not None:
                        return True
                    workers.update(children_of(child.pid))
                    n = n_stored(db)
                    return n is not None and n > before
                wait_for(progressed, 300, "a committed batch")
                if moment == "between batches":
                    time.sleep(0.3)
                else:  # "write-ahead log": the next batch's commit, killed the instant its log exists
                    wait_for(lambda: wal.exists() or child.poll() is not None, 300, "the next commit")
            assert child.poll() is None, f"the ingest finished before it could be killed ({moment})"
            workers.update(children_of(child.pid))
            os.kill(child.pid, signal.SIGKILL)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait(30)
        # a new file appears whole or not at all; opening it replays or drops the log; the invariants hold
        seen.append(consistency(db)["articles"] if db.exists() else 0)
        if "--workers" in extra and moment != "creating the file":
            assert workers, "no worker process was seen"
        # the workers notice that their parent is gone and exit (no orphan keeps its model in memory)
        wait_for(lambda: not any(_alive(w) for w in workers), 20, f"the orphaned workers {sorted(workers)} to exit")
    return seen


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0]
    except (OSError, IndexError):
        return False
    return "zombie" not in state.lower()


def converge(src: Path, db: Path, seen: list[int], reference: dict, extra: list[str]) -> None:
    print(f"committed after each kill: {seen}")
    assert seen == sorted(seen) and 0 < seen[-1] < N_BIG, seen
    assert all(n % BIG_BATCH == 0 for n in seen), seen  # whole batches, never part of one
    r = subprocess.run(KRONIKA + ["ingest", str(src), "--db", str(db), "-q", "--batch-size", str(BIG_BATCH)] + extra,
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    last = r.stderr.strip().splitlines()[-1]
    assert f"{N_BIG - seen[-1]} ingested" in last and f"{seen[-1]} skipped" in last, last
    assert consistency(db)["articles"] == N_BIG
    got = stored(db)
    assert got["articles"] == reference["articles"]  # every article once, with its events
    assert got["events"] == reference["events"]  # the same event rows as the uninterrupted run
    assert got["corpus"] == reference["corpus"]
    assert sorted(p.name for p in db.parent.glob(db.name + "*")) == [db.name]  # no half-made file left


@pytest.mark.slow
def test_kill_5000_articles_three_times_then_converge(big, tmp_path):
    src, reference = big
    db = tmp_path / "k.duckdb"
    seen = kill_at(src, db, ["creating the file", "between batches", "write-ahead log"], [])
    converge(src, db, seen, reference, [])


@pytest.mark.slow
def test_kill_5000_articles_with_two_workers_three_times_then_converge(big, tmp_path):
    """The same with ``--workers 2``: killed while the workers load their model, and while
    they code batches (the instant a commit's log exists); the orphaned workers exit."""
    src, reference = big
    db = tmp_path / "k.duckdb"
    seen = kill_at(src, db, ["creating the file", "workers loading", "write-ahead log"], ["--workers", "2"])
    converge(src, db, seen, reference, ["--workers", "2"])
