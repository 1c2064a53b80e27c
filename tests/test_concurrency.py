"""Issue 7.3: queries keep answering while an ingest runs, for real, with separate processes.

A long ``kronika ingest`` (many tiny articles, ``--batch-size 5``) runs in a subprocess.
Meanwhile the test repeatedly runs ``kronika events --format jsonl`` and GETs
``/api/events`` from a ``kronika serve`` subprocess on a free loopback port. Every query
must answer (exit code 0 / HTTP 200), the counts must never decrease, and the ingest itself
must finish without error (its writes also wait for the readers' short read locks).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_robustness import consistency, tiny_jsonl

ROOT = Path(__file__).resolve().parents[1]
KRONIKA = [sys.executable, "-m", "kronika.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str, timeout: float = 30) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, {"detail": e.read().decode(errors="replace")}


def server_available() -> bool:
    try:
        import kronika.server.app  # noqa: F401
    except Exception:
        return False
    return True


@pytest.mark.slow
def test_queries_answer_while_ingest_runs(tmp_path):
    src = tmp_path / "in.jsonl"
    tiny_jsonl(src, 600)
    db = tmp_path / "k.duckdb"
    ingest = subprocess.Popen(KRONIKA + ["ingest", str(src), "--db", str(db), "-q", "--batch-size", "5"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    server = None
    try:
        t0 = time.monotonic()
        while not db.exists() or _articles(db) == 0:
            assert ingest.poll() is None, ingest.stderr.read()
            assert time.monotonic() - t0 < 300, "the ingest stored nothing"
            time.sleep(0.2)
        url = None
        if server_available():
            port = free_port()
            server = subprocess.Popen(KRONIKA + ["serve", "--db", str(db), "--port", str(port)], cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            url = f"http://127.0.0.1:{port}/api/events?limit=1"
            t0 = time.monotonic()
            while True:
                try:
                    get_json(f"http://127.0.0.1:{port}/api/health", timeout=5)
                    break
                except OSError:
                    assert server.poll() is None, server.stderr.read()
                    assert time.monotonic() - t0 < 60, "the server did not start"
                    time.sleep(0.2)
        cli_counts: list[int] = []
        api_counts: list[int] = []
        while ingest.poll() is None:
            r = subprocess.run(KRONIKA + ["events", "--db", str(db), "--format", "jsonl"], cwd=ROOT,
                               capture_output=True, text=True, timeout=120)
            assert r.returncode == 0, r.stderr[-2000:]
            recs = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
            cli_counts.append(len(recs))
            if url:
                for _ in range(3):
                    status, body = get_json(url)
                    assert status == 200, body
                    api_counts.append(body["total"])
        assert ingest.wait(60) == 0, ingest.stderr.read()
    finally:
        for p in (ingest, server):
            if p is not None and p.poll() is None:
                p.terminate()
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
    print(f"{len(cli_counts)} CLI queries {cli_counts[:3]}…{cli_counts[-3:]}; {len(api_counts)} API queries")
    assert len(cli_counts) >= 3, "the ingest ended before the readers could check anything"
    assert cli_counts == sorted(cli_counts) and cli_counts[-1] > cli_counts[0]
    assert api_counts == sorted(api_counts)
    if url:
        assert len(api_counts) >= 6
    final = consistency(db)
    assert final["articles"] == 600 and cli_counts[-1] <= final["events"]


def _articles(db: Path) -> int:
    try:
        return consistency(db)["articles"]
    except Exception:  # held by the writer at this moment
        return 0
