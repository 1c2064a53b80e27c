"""Issue 15 items 2 and 8: no single page can freeze the server; long articles in parts with
every event's evidence shown; filters and ids mean what they say."""

from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kronika.server import views

SENT = "Le ministre a condamné l'attaque contre la ville numéro {k}, a indiqué le porte-parole. "


def naive_segments(text: str, events: list[dict]) -> list[tuple[str, int, list[int], list[int]]]:
    """The definition: cut at every boundary, then look at every event for every segment."""
    n = len(text)
    spans = [views.event_spans(ev, n) for ev in events]
    cuts = sorted({0, n, *(x for s, t in spans for a, b in s + t for x in (a, b))})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a < b:
            out.append((text[a:b], a, [i for i, (s, _) in enumerate(spans) if any(x <= a and b <= y for x, y in s)],
                        [i for i, (_, t) in enumerate(spans) if any(x <= a and b <= y for x, y in t)]))
    return out


offsets = st.one_of(st.integers(-5, 60), st.none())
event = st.fixed_dictionaries({"start": offsets, "end": offsets, "trigger_start": offsets, "trigger_end": offsets,
                               "quad_class": st.integers(1, 4)},
                              optional={"mentions": st.lists(st.fixed_dictionaries(
                                  {"start": offsets, "end": offsets, "trigger_start": offsets,
                                   "trigger_end": offsets}), max_size=3)})


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=50), st.lists(event, max_size=6))
def test_linear_segments_are_the_definition(text, events):
    got = [(s.text, s.start, s.events, s.triggers) for s in views.segment_text(text, events)]
    assert got == naive_segments(text, events)


def long_article(n_chars: int = 5_000_000, n_events: int = 3_525) -> tuple[str, list[dict]]:
    paras, k = [], 0
    size = 0
    while size < n_chars:
        p = "".join(SENT.format(k=k + j) for j in range(5)).strip()
        paras.append(p)
        size += len(p) + 2
        k += 5
    text = "\n\n".join(paras)
    starts = [i for i in range(len(text)) if text.startswith("Le ministre", i)] if n_chars < 200_000 else None
    if starts is None:  # fast: sentences are found by splitting
        starts, pos = [], 0
        for p in paras:
            off = 0
            while True:
                j = p.find("Le ministre", off)
                if j < 0:
                    break
                starts.append(pos + j)
                off = j + 1
            pos += len(p) + 2
    step = max(1, len(starts) // n_events)
    events = []
    for e, i in enumerate(range(0, len(starts), step)):
        if len(events) == n_events:
            break
        a = starts[i]
        b = text.find(".", a) + 1
        t = text.find("condamné", a)
        m = starts[(i + 7) % len(starts)]
        events.append({"start": a, "end": b, "trigger_start": t, "trigger_end": t + 8, "quad_class": 3,
                       "event_id": f"long#{e}", "sentence": text[a:b],
                       "mentions": [{"start": a, "end": b, "trigger_start": t, "trigger_end": t + 8},
                                    {"start": m, "end": text.find(".", m) + 1, "trigger_start": m + 14,
                                     "trigger_end": m + 22}]})
    return text, events


def test_five_megabyte_article_is_highlighted_in_linear_time():
    text, events = long_article()
    assert len(text) >= 5_000_000 and len(events) == 3_525
    t0 = time.monotonic()
    segs = views.segment_text(text, events)
    took = time.monotonic() - t0
    assert "".join(s.text for s in segs) == text
    assert len(segs) > 14_000 and took < 5, (len(segs), took)  # 230 s before
    t0 = time.monotonic()
    page = views.article_page({"text": text, "events": events})
    assert time.monotonic() - t0 < 5
    parts = page["parts"]
    assert len(parts) >= 40 and parts[0]["start"] == 0 and parts[-1]["end"] == len(text)
    assert all(p["end"] == q["start"] for p, q in zip(parts, parts[1:]))
    assert sum(p["events"] for p in parts) == len(events)
    for p in parts:  # no evidence sentence is cut by a part
        assert p["end"] - p["start"] <= 2 * views.PART_CHARS
    for ev in events:
        k = views.part_of([(p["start"], p["end"]) for p in parts], ev)
        assert parts[k]["start"] <= ev["start"] and ev["end"] <= parts[k]["end"]
    assert "".join(s.text for s in page["segments"]) == text[:parts[0]["end"]]


def store_long_article(db: Path, n_chars: int, n_events: int, art_id: str = "long") -> tuple[str, list[dict]]:
    from kronika.model import Actor, Article, Event, Mention
    from kronika.store import Store

    text, evs = long_article(n_chars, n_events)
    art = Article(id=art_id, published="2025-12-15", text=text, lang="fr", title="A long article")
    src = Actor(text="Le ministre", name="ministre", country="FRA", sector="GOV", id="group:FRA:GOV")
    events = [Event(article_id=art_id, published=art.published, lang="fr", cameo="111", root="11", quad_class=3,
                    goldstein=-2.0, plover_type="ACCUSE", source=src, target=None, date="2025-12-15",
                    modality="asserted", quantity=None, location=None, sentence=e["sentence"], start=e["start"],
                    end=e["end"], trigger="condamné", trigger_start=e["trigger_start"], trigger_end=e["trigger_end"],
                    event_id=f"{art_id}#{k}", mentions=[Mention(text[m["start"]:m["end"]], m["start"], m["end"],
                                                                "condamné", m["trigger_start"], m["trigger_end"])
                                                        for m in e["mentions"]])
              for k, e in enumerate(evs)]
    Store(db).write_batch([SimpleNamespace(article=art, events=events, learned=[], actors=[])])
    return text, evs


def test_long_article_page_in_parts(tmp_path):
    from fastapi.testclient import TestClient

    from kronika.server.app import create_app

    db = tmp_path / "k.duckdb"
    text, evs = store_long_article(db, 450_000, 300)
    client = TestClient(create_app(db))
    r = client.get("/articles/long")
    assert r.status_code == 200 and 'id="parts"' in r.text
    n_parts = len(views.text_parts(text, evs))
    assert n_parts >= 4
    seen = []
    for k in range(1, n_parts + 1):
        html = client.get(f"/articles/long?part={k}").text
        seen += [int(x.split('"')[0]) for x in html.split('data-i="')[1:]]
        assert f"Part <b>{k}</b> of {n_parts}" in html
    assert sorted(seen) == list(range(len(evs)))  # every event's card, once
    last = len(evs) - 1
    html = client.get(f"/articles/long?focus=long%23{last}").text
    assert f'id="e{last}"' in html and "focus" in html.split(f'id="e{last}"')[0][-200:]
    assert client.get("/articles/long?part=0").status_code == 422
    assert f"Part <b>{n_parts}</b> of" in client.get("/articles/long?part=99999").text  # the last part


@pytest.mark.slow
def test_heavy_page_does_not_stall_light_requests(tmp_path):
    """The page of a 5 MB article with 3,525 events answers in < 5 s, and /api/health
    keeps answering in < 1 s from other clients meanwhile (real server, loopback)."""
    from tests.test_reliab_server import start_server, stop

    db = tmp_path / "k.duckdb"
    store_long_article(db, 5_000_000, 3_525)
    server, port = start_server(db)
    slow: list[float] = []
    done = threading.Event()
    health: list[tuple[int, float]] = []

    def light() -> None:
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while not done.is_set():
            t0 = time.monotonic()
            con.request("GET", "/api/health")
            r = con.getresponse()
            r.read()
            health.append((r.status, time.monotonic() - t0))
            time.sleep(0.05)
        con.close()

    clients = [threading.Thread(target=light, daemon=True) for _ in range(3)]
    try:
        for t in clients:
            t.start()
        for path in ("/articles/long", "/articles/long?part=30", "/api/articles/long", "/articles/long?focus=long%233000"):
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            t0 = time.monotonic()
            con.request("GET", path)
            r = con.getresponse()
            body = r.read()
            slow.append(time.monotonic() - t0)
            assert r.status == 200, (path, body[:300])
            con.close()
    finally:
        done.set()
        for t in clients:
            t.join(30)
        stop(server)
    print(f"heavy pages {[round(x, 2) for x in slow]} s; health max {max(d for _, d in health):.3f} s "
          f"over {len(health)} requests")
    assert max(slow) < 5, slow
    assert len(health) > 20 and all(s == 200 for s, _ in health)
    assert max(d for _, d in health) < 1.0, sorted(d for _, d in health)[-5:]


# --- item 8: filters mean what they say -------------------------------------------------


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    from kronika.model import Actor, Article, Event
    from kronika.store import Store

    db = tmp_path_factory.mktemp("ids") / "k.duckdb"
    rows = []
    for aid, sent, name in (("plain", "Le ministre a condamné l'attaque.", "ministre"),
                            ("odd", "Le taux a atteint 100% selon le_ministre.", "groupe 50%_x")):
        art = Article(id=aid, published="2025-12-15", text=sent, lang="fr")
        src = Actor(text=name, name=name, country="FRA", sector="GOV", id=f"group:{aid}")
        ev = Event(article_id=aid, published=art.published, lang="fr", cameo="111", root="11", quad_class=3,
                   goldstein=-2.0, plover_type="ACCUSE", source=src, target=None, date="2025-12-15",
                   modality="asserted", quantity=None, location=None, sentence=sent, start=0, end=len(sent),
                   trigger="a", trigger_start=3, trigger_end=4, event_id=f"{aid}#0")
        rows.append(SimpleNamespace(article=art, events=[ev], learned=[], actors=[
            {"id": f"group:{aid}", "name": name, "kind": "group", "country": "FRA", "sector": "GOV"}]))
    Store(db).write_batch(rows)
    return db


@pytest.mark.parametrize("flt, want", [({"actor": "%"}, ["odd#0"]), ({"actor": "_"}, ["odd#0"]),
                                       ({"text": "%"}, ["odd#0"]), ({"text": "_"}, ["odd#0"]),
                                       ({"text": "l_attaque"}, []), ({"actor": "minist%"}, [])])
def test_like_wildcards_are_literal(small_db, flt, want):
    from kronika.store import EventFilter, Store

    got = [e["event_id"] for e in Store(small_db, read_only=True).events(EventFilter(**flt))]
    assert got == want


def test_actor_and_article_searches_are_literal(small_db):
    from fastapi.testclient import TestClient

    from kronika.server.app import create_app
    from kronika.store import Store

    st = Store(small_db, read_only=True)
    assert [a["id"] for a in st.actors("%")] == ["group:odd"]
    assert [a["id"] for a in st.actors("_")] == ["group:odd"]
    client = TestClient(create_app(small_db))
    assert [e["event_id"] for e in client.get("/api/events", params={"actor": "%"}).json()["events"]] == ["odd#0"]
    arts = client.get("/api/articles", params={"q": "_"}).json()["articles"]
    assert arts == [], arts  # no id, title or url holds "_"


def test_not_found_never_echoes_a_huge_id(small_db):
    from fastapi.testclient import TestClient

    from kronika.server.app import create_app

    client = TestClient(create_app(small_db))
    huge = "x" * 60_000  # (the test client refuses URLs over 64 KB)
    for path in (f"/articles/{huge}", f"/actors/{huge}", f"/api/articles/{huge}", f"/api/actors/{huge}",
                 f"/corpus/{huge}", f"/api/corpus/{huge}", f"/articles/{'y' * 250}"):
        r = client.get(path)
        assert r.status_code == 404, (path[:40], r.status_code)
        assert len(r.content) < 20_000 and "x" * 500 not in r.text, (path[:40], len(r.content))
