"""Issue 15 item 10: the server keeps API answers while the file cannot have changed
(kronika/server/cache.py); an ingest's events are in the very next answer after it commits.
Real server, real ingest, loopback clients."""

from __future__ import annotations

import http.client
import json
import threading
from collections import Counter
from pathlib import Path

from kronika.ingest import ingest
from tests.test_reliab_server import start_server, stop
from tests.test_robustness import tiny_jsonl

ROUTES = ["/api/events?limit=1000", "/api/health", "/api/actors", "/api/articles?limit=100"]


def get(con: http.client.HTTPConnection, path: str) -> tuple[int, dict, bool]:
    con.request("GET", path)
    r = con.getresponse()
    body = json.loads(r.read())
    return r.status, body, r.getheader("x-kronika-cache") == "hit"


def test_an_ingest_is_in_the_next_answer(tmp_path: Path) -> None:
    src, more = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    tiny_jsonl(src, 12)
    tiny_jsonl(more, 24)  # the first 12 again (skipped) and 12 new ones
    db = tmp_path / "k.duckdb"
    first = ingest([src], db=db)
    assert first.ingested == 12 and first.events > 0
    server, port = start_server(db)
    stop_evt = threading.Event()
    statuses: Counter = Counter()

    def client() -> None:  # load meanwhile: the answers come from the cache, the reader stays open
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = 0
        while not stop_evt.is_set():
            c.request("GET", ROUTES[i % len(ROUTES)])
            r = c.getresponse()
            r.read()
            statuses[(r.status, r.getheader("x-kronika-cache"))] += 1
            i += 1
        c.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(4)]
    try:
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        before = {path: get(con, path) for path in ROUTES}
        again = {path: get(con, path) for path in ROUTES}
        assert all(s == 200 for s, _b, _h in before.values())
        assert all(hit for _s, _b, hit in again.values()), "the same question twice is answered from the cache"
        assert all(again[p][1] == before[p][1] for p in ROUTES)
        for t in threads:
            t.start()
        second = ingest([more], db=db)  # waits for the server's reader to let it in
        assert (second.ingested, second.unchanged) == (12, 12) and second.events > 0
        status, after, hit = get(con, "/api/events?limit=1000")  # the very next answer
        assert status == 200 and not hit
        assert after["total"] == first.events + second.events
        assert {e["article_id"] for e in after["events"]} & {f"t{i}" for i in range(12, 24)}
        status, health, _hit = get(con, "/api/health")
        assert status == 200 and health["articles"] == 24 and health["events"] == after["total"]
        status, arts, _hit = get(con, "/api/articles?limit=100")
        assert status == 200 and len(arts["articles"]) == 24
        con.close()
    finally:
        stop_evt.set()
        for t in threads:
            t.join(30)
        stop(server)
    assert set(s for s, _h in statuses) == {200}, statuses
    assert statuses[(200, "hit")] > 0, statuses
