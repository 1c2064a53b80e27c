"""The HTTP API and pages of ``kronika serve`` (kronika.server), through FastAPI's TestClient
on a small hand-made database (no NLP: fast)."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from kronika.model import Actor, Article, Event, Mention, Place  # noqa: E402
from kronika.server import views  # noqa: E402
from kronika.server.app import _clean, create_app  # noqa: E402
from kronika.store import Store, StoreBusy  # noqa: E402

EVIL = "<script>alert('pwned')</script>"

TEXT_A = ("Le gouvernement français a signé lundi un accord avec le Niger à Niamey. "
          "La France a ensuite critiqué le Mali.")
TEXT_B = (f"Des manifestants ont écrit {EVIL} sur un mur à Minsk. "
          "La police biélorusse a arrêté douze manifestants.")


def _actor(name: str, country: str, sector: str, aid: str, text: str | None = None) -> Actor:
    return Actor(text=text or name, name=name, country=country, sector=sector, id=aid)


def _event(art: Article, n: int, cameo: str, quad: int, gold: float, src: Actor | None, tgt: Actor | None,
           sentence: str, trigger: str, date: str | None, place: Place | None = None,
           quantity: int | None = None) -> Event:
    start = art.text.index(sentence)
    ts = art.text.index(trigger, start)
    return Event(
        article_id=art.id, published=art.published, lang="fr", cameo=cameo, root=cameo[:2], quad_class=quad,
        goldstein=gold, plover_type=None, source=src, target=tgt, date=date, modality="asserted",
        quantity=quantity, location=place, sentence=sentence, start=start, end=start + len(sentence),
        trigger=trigger, cameo_name=f"name of {cameo}", trigger_start=ts, trigger_end=ts + len(trigger),
        mentions=[Mention(sentence, start, start + len(sentence), trigger, ts, ts + len(trigger))],
        event_id=f"{art.id}#{n}", date_precision="day" if date and len(date) == 10 else None,
    )


FRA = _actor("France", "FRA", "GOV", "country:FRA", "Le gouvernement français")
NER = _actor("Niger", "NER", "GOV", "country:NER")
MLI = _actor("Mali", "MLI", "GOV", "country:MLI")
PROT = _actor(f"Manifestants {EVIL}", "BLR", "CVL", "group:BLR:CVL", "Des manifestants")
POL = _actor("Biélorussie (COP)", "BLR", "COP", "group:BLR:COP", "La police biélorusse")
NIAMEY = Place("Niamey", "NER", 13.51, 2.11, 2440485, "city")
MINSK = Place("Minsk", "BLR", 53.9, 27.57, 625144, "city")


def build_db(path: Path) -> None:
    """Two articles, five events (cooperation and conflict), one with markup in its text."""
    a = Article(id="art-a", published="2025-11-03", text=TEXT_A, title="Accord France–Niger")
    b = Article(id="art-b", published="2025-12-13", text=TEXT_B, title=f"Minsk {EVIL}")
    s1 = "Le gouvernement français a signé lundi un accord avec le Niger à Niamey."
    s2 = "La France a ensuite critiqué le Mali."
    s3 = f"Des manifestants ont écrit {EVIL} sur un mur à Minsk."
    s4 = "La police biélorusse a arrêté douze manifestants."
    evs_a = [
        _event(a, 0, "057", 1, 8.0, FRA, NER, s1, "signé", "2025-11-03", NIAMEY),
        _event(a, 1, "111", 3, -2.0, FRA, MLI, s2, "critiqué", "2025-11-04"),
    ]
    evs_b = [
        _event(b, 0, "141", 3, -6.5, PROT, None, s3, "écrit", "2025-12-12", MINSK),
        _event(b, 1, "173", 4, -5.0, POL, PROT, s4, "arrêté", "2025-12-13", MINSK, quantity=12),
        _event(b, 2, "0841", 2, 7.0, FRA, NER, s4, "douze", "2026-01-02"),
    ]
    actors = [{"id": "country:FRA", "name": "France", "kind": "country", "country": "FRA", "sector": "GOV",
               "aliases": ["France", "République française"]}]
    Store(path).write_batch([
        SimpleNamespace(article=a, events=evs_a, learned=[], actors=actors),
        SimpleNamespace(article=b, events=evs_b, learned=[], actors=[]),
    ])


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("api") / "api.duckdb"
    build_db(path)
    return path


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    with TestClient(create_app(db)) as c:
        yield c


# --- API ---------------------------------------------------------------------------------


def test_health(client):
    r = client.get("/api/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "api.duckdb", "articles": 2, "events": 5}


def test_events_all_sorted_by_date_with_total(client):
    body = client.get("/api/events").json()
    assert body["total"] == 5 and body["limit"] == 50 and body["offset"] == 0
    dates = [e["date"] for e in body["events"]]
    assert dates == sorted(dates) == ["2025-11-03", "2025-11-04", "2025-12-12", "2025-12-13", "2026-01-02"]
    assert client.get("/api/events", params={"order": "-date"}).json()["events"][0]["date"] == "2026-01-02"


def test_events_pagination(client):
    body = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert body["total"] == 5
    assert [e["event_id"] for e in body["events"]] == ["art-b#0", "art-b#1"]
    assert client.get("/api/events", params={"offset": 10}).json() == {
        "total": 5, "limit": 50, "offset": 10, "order": "date", "events": []}


@pytest.mark.parametrize("params, ids", [
    ({"actor": "country:FRA"}, ["art-a#0", "art-a#1", "art-b#2"]),
    ({"actor": "police"}, []),  # actor words match names, not the text
    ({"actor": "biélorussie"}, ["art-b#0", "art-b#1"]),  # the register's Belarus: every BLR actor
    ({"actor": "Belarus"}, ["art-b#0", "art-b#1"]),
    ({"actor": "COP)"}, ["art-b#1"]),  # words of an actor's name
    ({"country": "ner"}, ["art-a#0", "art-b#2"]),
    ({"root": "17"}, ["art-b#1"]),
    ({"root": "8"}, ["art-b#2"]),
    ({"code": "08"}, ["art-b#2"]),
    ({"code": "0841"}, ["art-b#2"]),
    ({"quad_class": 3}, ["art-a#1", "art-b#0"]),
    ({"since": "2025-12"}, ["art-b#0", "art-b#1", "art-b#2"]),
    ({"until": "2025-11"}, ["art-a#0", "art-a#1"]),
    ({"since": "2025-11-04", "until": "2025-12-12"}, ["art-a#1", "art-b#0"]),
    ({"text": "DOUZE"}, ["art-b#1", "art-b#2"]),
    ({"text": "100%_"}, []),
    ({"actor": "country:FRA", "quad_class": 1}, ["art-a#0"]),
])
def test_event_filters(client, params, ids):
    r = client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [e["event_id"] for e in body["events"]] == ids
    assert body["total"] == len(ids)


def test_article_with_text_events_and_spans(client):
    art = client.get("/api/articles/art-b").json()
    assert art["id"] == "art-b" and art["text"] == TEXT_B and art["published"] == "2025-12-13"
    assert [e["event_id"] for e in art["events"]] == ["art-b#0", "art-b#1", "art-b#2"]
    ev = art["events"][1]
    assert TEXT_B[ev["start"]:ev["end"]] == ev["sentence"] == "La police biélorusse a arrêté douze manifestants."
    assert TEXT_B[ev["trigger_start"]:ev["trigger_end"]] == ev["trigger"] == "arrêté"
    assert ev["mentions"] == [{"sentence": ev["sentence"], "start": ev["start"], "end": ev["end"],
                               "trigger": "arrêté", "trigger_start": ev["trigger_start"],
                               "trigger_end": ev["trigger_end"]}]
    assert ev["source"]["country"] == "BLR" and ev["target"]["id"] == "group:BLR:CVL"
    assert ev["quantity"] == 12 and ev["location"]["place"] == "Minsk"


def test_articles_list(client):
    body = client.get("/api/articles", params={"limit": 1}).json()
    assert [a["id"] for a in body["articles"]] == ["art-b"]


def test_actors(client):
    actors = client.get("/api/actors").json()["actors"]
    assert actors[0]["id"] == "country:FRA" and actors[0]["n_events"] == 3
    assert {a["id"] for a in actors} == {"country:FRA", "country:NER", "country:MLI", "group:BLR:CVL",
                                         "group:BLR:COP"}
    assert [a["id"] for a in client.get("/api/actors", params={"q": "république"}).json()["actors"]] == [
        "country:FRA"]
    act = client.get("/api/actors/country:FRA").json()
    assert act["name"] == "France" and act["aliases"] == ["France", "République française"]
    partners = {p["partner"]: p for p in act["partners"]}
    assert partners["country:NER"]["n_events"] == 2 and partners["country:NER"]["mean_goldstein"] == 7.5
    assert partners["country:MLI"]["mean_goldstein"] == -2.0
    assert len(act["events"]) == 3


def test_stats_dyad_and_country(client):
    body = client.get("/api/stats", params={"actor": "country:FRA", "partner": "country:NER"}).json()
    # a real time axis: the empty month between is present (issue 14 item 13)
    assert [(m["month"], m["n_events"], m["mean_goldstein"]) for m in body["months"]] == [
        ("2025-11", 1, 8.0), ("2025-12", 0, None), ("2026-01", 1, 7.0)]
    assert [d["date"] for d in body["days"]] == ["2025-11-03", "2026-01-02"]
    body = client.get("/api/stats", params={"country": "BLR"}).json()
    assert [(m["month"], m["n_events"], m["n_conflict"]) for m in body["months"]] == [("2025-12", 2, 2)]
    # the dyad in the other direction gives the same months
    rev = client.get("/api/stats", params={"actor": "NER", "partner": "FRA"}).json()["months"]
    assert [m["n_events"] for m in rev] == [1, 0, 1]


def test_locations(client):
    locs = client.get("/api/locations").json()["locations"]
    assert [(loc["place"], loc["n_events"]) for loc in locs] == [("Minsk", 2), ("Niamey", 1)]
    assert {e["event_id"] for e in locs[0]["events"]} == {"art-b#0", "art-b#1"}
    assert client.get("/api/locations", params={"quad_class": 1}).json()["locations"][0]["place"] == "Niamey"


def test_openapi_describes_the_routes(client):
    spec = client.get("/openapi.json").json()
    for p in ("/api/events", "/api/articles/{article_id}", "/api/actors", "/api/actors/{actor_id}",
              "/api/stats", "/api/health", "/api/locations"):
        assert p in spec["paths"], p
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"actor", "country", "code", "root", "quad_class", "since", "until", "text", "limit", "offset"} <= names
    assert "/" not in spec["paths"]  # pages are not part of the API description


# --- bad input: 4xx, never 500 ------------------------------------------------------------


@pytest.mark.parametrize("params", [
    {"since": "yesterday"}, {"until": "2025-13"}, {"since": "2025-02-30x"}, {"root": "ab"}, {"root": "123"},
    {"code": "08a"}, {"code": "12345"}, {"quad_class": 5}, {"quad_class": 0}, {"quad_class": "x"},
    {"limit": 0}, {"limit": 1001}, {"limit": "many"}, {"offset": -1}, {"offset": 10**12}, {"country": "FRANCE"},
    {"country": "1"}, {"order": "random"}, {"text": "a\x00b"}, {"actor": "x" * 201}, {"modality": "DROP TABLE"},
])
def test_bad_event_parameters_are_422(client, params):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422, (params, r.status_code, r.text)
    assert r.json()["detail"]


def test_bad_stats_parameters_are_422(client):
    assert client.get("/api/stats", params={"partner": "FRA"}).json()["actor"] == "FRA"
    assert client.get("/api/stats", params={"country": "12"}).status_code == 422


def test_unknown_article_and_actor_are_404(client):
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/articles/" + "x" * 400).status_code == 404
    assert client.get("/api/actors/country:XYZ").status_code == 404
    assert client.get("/articles/nope").status_code == 404
    assert client.get("/actors/nope").status_code == 404
    assert "No article" in client.get("/articles/nope").text


ODD = ["", " ", "'", "%", "_", "\\", "' OR 1=1 --", "😀", "-1", "NaN", "x" * 300, "%00"]


def test_odd_values_never_give_500(client):
    for param in ("actor", "country", "source", "target", "code", "root", "quad_class", "since", "until", "text",
                  "article_id", "modality", "limit", "offset", "order"):
        for val in ODD:
            r = client.get("/api/events", params={param: val, "limit": 1})
            assert r.status_code < 500, (param, val, r.status_code)
    for param in ("actor", "quad_class", "since", "text"):  # pages share the validation
        for val in ODD:
            assert client.get("/", params={param: val, "limit": 1}).status_code < 500, (param, val)
    for val in ODD + ["a/b", "../../etc/passwd"]:
        for route in ("/api/articles/", "/api/actors/", "/articles/", "/actors/"):
            assert client.get(route + val).status_code in (200, 404, 307), (route, val)
        assert client.get("/api/actors", params={"q": val}).status_code in (200, 422)
        assert client.get("/api/stats", params={"actor": val, "partner": val}).status_code in (200, 422)


# --- safety: escaping, read-only, bounded time, busy store -------------------------------


def test_markup_in_article_is_escaped(client):
    html = client.get("/articles/art-b").text
    assert EVIL not in html
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html
    table = client.get("/", params={"country": "BLR"}).text
    assert EVIL not in table and "Manifestants &lt;script&gt;" in table
    actor_page = client.get("/actors/group:BLR:CVL").text
    assert EVIL not in actor_page
    # JSON keeps the text as it is (escaping is the page's job)
    assert EVIL in client.get("/api/articles/art-b").json()["text"]


def test_security_headers(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_server_opens_the_store_read_only(client, db):
    app = client.app
    assert app.state.store.read_only is True
    size = db.stat().st_size
    client.get("/api/events")
    assert db.stat().st_size == size


def test_busy_store_is_503_with_retry_after(db, monkeypatch):
    app = create_app(db)

    def busy(*a, **k):
        raise StoreBusy("locked")

    monkeypatch.setattr(app.state.store, "count_events", busy)
    with TestClient(app) as c:
        r = c.get("/api/events")
        assert r.status_code == 503 and r.headers["retry-after"] == "2"
        assert "busy" in r.json()["detail"]
        page = c.get("/")
        assert page.status_code == 503 and page.headers["retry-after"] == "2"


def test_slow_query_is_503(db, monkeypatch):
    app = create_app(db, query_timeout=0.2)
    monkeypatch.setattr(app.state.store, "summary", lambda: time.sleep(1.0) or {})
    with TestClient(app) as c:
        t0 = time.monotonic()
        r = c.get("/api/health")
        assert r.status_code == 503 and r.headers["retry-after"]
        assert time.monotonic() - t0 < 0.9


def test_file_locked_by_a_writer_is_503_then_served(db):
    """Another process holding the file for writing (as ``kronika ingest`` does for a batch)
    gives a 503 with Retry-After once ``store_wait`` has passed; then answers again."""
    import subprocess
    import sys

    from kronika.store.connection import release_readers

    release_readers()  # the earlier tests' idle reader would hold the file for IDLE_HOLD s more
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); c.execute('SELECT 1');"
         " print('locked', flush=True); time.sleep(3)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with TestClient(create_app(db, store_wait=0.3)) as c:
            r = c.get("/api/events")
            assert r.status_code == 503, r.text
            assert r.headers["retry-after"] == "2" and "busy" in r.json()["detail"]
            holder.wait(timeout=10)
            assert c.get("/api/events").status_code == 200
    finally:
        holder.kill()
        holder.wait()


def test_missing_database_is_503(tmp_path):
    with TestClient(create_app(tmp_path / "none.duckdb")) as c:
        r = c.get("/api/events")
        assert r.status_code == 503 and "no database" in r.json()["detail"]
    assert not (tmp_path / "none.duckdb").exists()


# --- pages -------------------------------------------------------------------------------


def test_pages_render(client):
    for url in ("/", "/?root=17", "/actors", "/actors/country:FRA", "/map", "/map?extent=world", "/docs",
                "/articles/art-a"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith("text/html")
        assert "https://" not in r.text.split("<main>")[0]  # nothing loaded from elsewhere
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/explorer.js").status_code == 200
    assert client.get("/?since=bad").status_code == 422


def test_event_table_page_filters(client):
    html = client.get("/", params={"quad_class": 3}).text
    assert "art-a#1" in html and "art-b#0" in html and "art-b#1" not in html
    assert "1–2 of 2 matching events" in html


def test_article_page_highlights_evidence(client):
    html = client.get("/articles/art-a").text
    assert '<mark class="trigger" data-trig="0">signé</mark>' in html
    assert 'id="e1"' in html and "name of 111" in html


# --- pure helpers ------------------------------------------------------------------------


def test_segment_text_covers_text_and_spans():
    text = "Aaa bbb. Ccc ddd eee."
    evs = [
        {"start": 0, "end": 8, "trigger_start": 4, "trigger_end": 7, "mentions": []},
        {"start": 9, "end": 21, "trigger_start": 13, "trigger_end": 16, "quad_class": 4,
         "mentions": [{"start": 0, "end": 8, "trigger_start": 0, "trigger_end": 3}]},
        {"start": None, "end": None, "trigger_start": 50, "trigger_end": 60},  # broken spans are ignored
    ]
    segs = views.segment_text(text, evs)
    assert "".join(s.text for s in segs) == text
    by_text = {s.text: s for s in segs}
    assert by_text["bbb"].triggers == [0] and by_text["bbb"].events == [0, 1]
    assert by_text["Aaa"].triggers == [1]
    assert by_text["ddd"].events == [1] and by_text["ddd"].quad_class == 4


def test_clean_json_values():
    assert _clean({"a": float("nan"), "b": [float("inf"), 1.5], "c": (1, None)}) == {
        "a": None, "b": [None, 1.5], "c": [1, None]}


def test_map_projection_and_extent():
    ext = views.WORLD
    assert ext.project(-180, 90, 1000, 500) == (0, 0)
    assert ext.project(0, 0, 1000, 500) == (500, 250)
    fit = views.fit_extent([(27.57, 53.9), (2.11, 13.51)])
    assert fit.lon0 < 2.11 < 27.57 < fit.lon1 and fit.lat0 < 13.51 < 53.9 < fit.lat1
    assert abs((fit.lon1 - fit.lon0) / (fit.lat1 - fit.lat0) - 2.0) < 1e-9
    assert views.fit_extent([]) == views.WORLD


def test_a_write_through_the_servers_connection_is_refused(client, db):
    """Issue 15 item 9: the connection the server's queries use cannot write; the file is
    byte-identical (sha256, mtime) after the API and the pages were read."""
    import hashlib

    import duckdb

    before = (hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_mtime_ns)
    for route in ("/api/events", "/api/actors", "/api/health", "/", "/actors", "/api/articles/art-b"):
        assert client.get(route).status_code == 200, route
    store = client.app.state.store
    for sql in ("INSERT INTO meta VALUES ('x', 'y')", "CREATE TABLE t(x INTEGER)", "DELETE FROM events"):
        with pytest.raises(duckdb.Error, match="read-only|read only"):
            with store.connect() as con:
                con.execute(sql)
    assert (hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_mtime_ns) == before
