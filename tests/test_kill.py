"""Issue 7.2: an ingest killed with SIGKILL leaves a consistent database, and running the
same command again finishes the job without duplicates.

Two ways of killing:
- deterministic: a child process runs the real ``ingest()`` with the COMMIT of its third
  batch delayed, and is killed while that transaction is open (rows inserted, not committed);
- realistic (slow): the real ``kronika ingest`` command is killed at several moments.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_robustness import consistency, tiny_jsonl

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
    # a connection whose third COMMIT waits (so that the parent can kill us inside it)
    def __init__(self, con):
        self._con = con
    def __getattr__(self, name):
        return getattr(self._con, name)
    def execute(self, sql, *args):
        if sql == "COMMIT":
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


@pytest.mark.slow
def test_kill_real_command_at_several_moments(tmp_path):
    src = tmp_path / "in.jsonl"
    tiny_jsonl(src, 1500)
    db = tmp_path / "k.duckdb"
    seen = []
    for delay in (0.0, 0.7, 1.9):
        before = consistency(db)["articles"] if db.exists() else 0
        child = subprocess.Popen(KRONIKA + ["ingest", str(src), "--db", str(db), "-q", "--batch-size", "10"],
                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            # wait until this run has committed something new, then let it run a little more
            def progressed() -> bool:
                if child.poll() is not None:
                    return True
                try:
                    return db.exists() and consistency(db)["articles"] > before
                except Exception:  # locked by the writer right now
                    return False
            wait_for(progressed, 300, "progress")
            time.sleep(delay)
            assert child.poll() is None, "the ingest finished before it could be killed"
            os.kill(child.pid, signal.SIGKILL)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait(30)
        seen.append(consistency(db)["articles"])
    assert seen == sorted(seen) and 0 < seen[-1] < 1500
    r = finish(src, db)
    last = r.stderr.strip().splitlines()[-1]
    assert f"{1500 - seen[-1]} ingested" in last and f"{seen[-1]} skipped" in last, last
    assert consistency(db)["articles"] == 1500
