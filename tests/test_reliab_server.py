"""Issue 15: the server under load — reads never race an ingest, a heavy page never
freezes it, health tells the truth, the file is never written by the server."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.test_concurrency import free_port
from tests.test_robustness import consistency, tiny_jsonl

ROOT = Path(__file__).resolve().parents[1]
KRONIKA = [sys.executable, "-m", "kronika.cli"]
ROUTES = ["/api/events?limit=5", "/api/health", "/api/actors?limit=5", "/api/stats?actor=FRA",
          "/api/articles?limit=5", "/api/events?limit=5&actor=police&order=-date", "/api/locations?limit=5"]


def start_server(db: Path, *extra: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    srv = subprocess.Popen(KRONIKA + ["serve", "--db", str(db), "--port", str(port), *extra], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    t0 = time.monotonic()
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/api/health")
            c.getresponse().read()
            c.close()
            return srv, port
        except OSError:
            assert srv.poll() is None, srv.stderr.read()
            assert time.monotonic() - t0 < 60, "the server did not start"
            time.sleep(0.2)


def stop(*procs: subprocess.Popen | None) -> None:
    for p in procs:
        if p is not None and p.poll() is None:
            p.terminate()
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()


def hammer(port: int, stop_evt: threading.Event, statuses: Counter, errors: list, k: int) -> None:
    """One client: keep-alive requests over the routes until ``stop_evt``."""
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = k
    while not stop_evt.is_set():
        path = ROUTES[i % len(ROUTES)]
        i += 1
        try:
            con.request("GET", path)
            r = con.getresponse()
            body = r.read()
        except (OSError, http.client.HTTPException) as exc:
            statuses["exception"] += 1
            errors.append(f"{path}: {exc!r}")
            con.close()
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        statuses[r.status] += 1
        if r.status != 200:
            errors.append(f"{path}: {r.status} {body[:200]!r}")
    con.close()


@pytest.mark.slow
def test_sixteen_clients_through_a_long_ingest_get_only_200(tmp_path):
    """Item 1: 16 concurrent loopback clients over the usual routes while a long ingest
    (many small transactions) runs: every answer is a 200 and the ingest succeeds."""
    src = tmp_path / "in.jsonl"
    tiny_jsonl(src, 200)
    db = tmp_path / "k.duckdb"
    first = subprocess.run(KRONIKA + ["ingest", str(src), "--db", str(db), "-q"], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    more = tmp_path / "more.jsonl"
    tiny_jsonl(more, 150)
    more.write_text(more.read_text(encoding="utf-8").replace('"id": "t', '"id": "m'), encoding="utf-8")
    server, port = start_server(db)
    ingest = None
    stop_evt = threading.Event()
    statuses: Counter = Counter()
    errors: list[str] = []
    threads = [threading.Thread(target=hammer, args=(port, stop_evt, statuses, errors, k), daemon=True)
               for k in range(16)]
    try:
        for t in threads:
            t.start()
        ingest = subprocess.Popen(KRONIKA + ["ingest", str(more), "--db", str(db), "-q", "--batch-size", "1"],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            rc = ingest.wait(240)
        finally:
            stop_evt.set()
            for t in threads:
                t.join(60)
    finally:
        stop_evt.set()
        stop(ingest, server)
    total = sum(statuses.values())
    print(f"{total} requests during the ingest: {dict(statuses)} {errors[:3]}")
    assert rc == 0, ingest.stderr.read()[-3000:]
    assert total >= 200, statuses
    assert statuses[200] == total, errors[:10]
    assert consistency(db)["articles"] == 350


@pytest.mark.slow
def test_health_tells_the_truth_on_broken_files(tmp_path):
    """Item 4: over a foreign, truncated or table-less file the server starts (saying so in
    one line), and /api/health, the API and the pages answer 503 with one line naming the
    file and the cause, without ``Retry-After`` (waiting will not mend the file)."""
    from tests.test_reliab_cli import broken_files

    files = broken_files(tmp_path)
    wanted = {"sqlite": "SQLite", "truncated": "truncated", "table-less": "not a kronika database"}
    servers = {k: start_server(files[k]) for k in wanted}
    try:
        for kind, (srv, port) in servers.items():
            path = str(files[kind])
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for route in ("/api/health", "/api/events?limit=5", "/api/actors"):
                con.request("GET", route)
                r = con.getresponse()
                detail = json.loads(r.read())["detail"]
                assert r.status == 503 and r.getheader("Retry-After") is None, (kind, route, r.status)
                assert "\n" not in detail and detail.startswith(path + ": ") and wanted[kind] in detail, detail
            con.request("GET", "/")
            r = con.getresponse()
            page = r.read().decode("utf-8")
            assert r.status == 503 and wanted[kind] in page, (kind, r.status)
            con.close()
    finally:
        stop(*(s for s, _ in servers.values()))
    for kind, (srv, _) in servers.items():
        err = [x for x in srv.stderr.read().splitlines() if x.strip()]
        assert err[0].startswith(f"warning: {files[kind]}: ") and wanted[kind] in err[0], err
        assert "Traceback" not in "\n".join(err), err
