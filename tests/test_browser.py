"""The explorer in a real browser: headless Chromium (Playwright) against ``kronika serve``'s
app on a database built by really ingesting examples/ (plus one article carrying markup).

Slow (spaCy ingestion + a browser): ``pytest -m slow tests/test_browser.py``. Skipped when
/usr/bin/chromium or Playwright is missing; never downloads a browser."""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "docs" / "explorer.png"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EVIL_TITLE = "Markup test <script>window.__pwned = 1; alert('pwned')</script>"
EVIL_TEXT = ("La police a arrêté mardi à Minsk douze manifestants qui scandaient "
             "<script>window.__pwned = 1; alert('pwned')</script> devant le ministère. "
             "<img src=x onerror=\"window.__pwned = 2\"> Le gouvernement a dénoncé une provocation.")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _markup_article():
    """An article whose stored text and names hold markup. The reader strips tags from what it
    ingests, so this one is written directly with a hand-made event, as a hostile or buggy
    source could leave it in the database."""
    from types import SimpleNamespace

    from kronika.model import Actor, Article, Event, Mention

    art = Article(id="markup-test", published="2026-08-04", text=EVIL_TEXT, title=EVIL_TITLE, lang="fr")
    sent = EVIL_TEXT[:EVIL_TEXT.index("ministère.") + len("ministère.")]
    ts = EVIL_TEXT.index("arrêté")
    src = Actor(text="La police", name="Police <b>biélorusse</b>", country="BLR", sector="COP", id="group:BLR:COP")
    ev = Event(article_id=art.id, published=art.published, lang="fr", cameo="173", root="17", quad_class=4,
               goldstein=-5.0, plover_type="ARREST", source=src, target=None, date="2026-08-04",
               modality="asserted", quantity=12, location=None, sentence=sent, start=0, end=len(sent),
               trigger="arrêté", cameo_name="Arrest, detain, or charge with legal action",
               trigger_start=ts, trigger_end=ts + 6, event_id="markup-test#0",
               mentions=[Mention(sent, 0, len(sent), "arrêté", ts, ts + 6)])
    return SimpleNamespace(article=art, events=[ev], learned=[], actors=[])


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """examples/ really ingested (NLP and all), plus an article with markup in its text."""
    from kronika.ingest import ingest
    from kronika.store import Store

    path = tmp_path_factory.mktemp("browser") / "examples.duckdb"
    report = ingest([str(ROOT / "examples")], db=path)
    assert report.events > 10, report.summary()
    from types import SimpleNamespace

    skipped = SimpleNamespace(path="feed/broken.jsonl", line=7, level="error", message="line 7: not JSON")
    Store(path).write_batch([_markup_article(), _dates_article()], problems=[skipped])
    return path


def _dates_article():
    """Two hand-made events: one dated from the story's day (inferred), one undated."""
    from types import SimpleNamespace

    from kronika.model import Actor, Article, Event

    text = "La Biélorussie a libéré 12 prisonniers. La police avait arrêté des opposants."
    art = Article(id="dates-test", published="2026-08-05", text=text, lang="fr")
    src = Actor(text="La Biélorussie", name="Biélorussie", country="BLR", sector="GOV", id="country:BLR")
    common = dict(article_id=art.id, published=art.published, lang="fr", source=src, target=None,
                  modality="asserted", quantity=None, location=None)
    s1, s2 = text[:39], text[40:]
    e1 = Event(cameo="0841", root="08", quad_class=2, goldstein=7.0, plover_type="RETREAT", date="2026-08-04",
               date_precision="day", date_inferred=True, sentence=s1, start=0, end=39, trigger="libéré",
               trigger_start=17, trigger_end=23, event_id="dates-test#0", **common)
    e2 = Event(cameo="173", root="17", quad_class=4, goldstein=-5.0, plover_type="ARREST", date=None,
               sentence=s2, start=40, end=len(text), trigger="arrêté", trigger_start=57, trigger_end=63,
               event_id="dates-test#1", **common)
    return SimpleNamespace(article=art, events=[e1, e2], learned=[], actors=[])


@pytest.fixture(scope="module")
def server(db):
    """The app of ``kronika serve`` under uvicorn in a thread, on a free loopback port."""
    import uvicorn

    from kronika.server.app import create_app

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = ctx.new_page()
    pg.dialogs = []
    pg.errors = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    # everything must come from the server itself: record any other request
    pg.outside = []
    pg.on("request", lambda r: None if r.url.startswith("http://127.0.0.1:") else pg.outside.append(r.url))
    yield pg
    assert pg.errors == [], pg.errors
    assert pg.outside == [], pg.outside
    ctx.close()


def api(page, base: str, path: str) -> dict:
    resp = page.request.get(base + path)
    assert resp.ok, (path, resp.status)
    return resp.json()


def test_explorer_in_a_browser(server, page):
    base = server
    t0 = time.monotonic()

    # 1. the event table: every event, sorted by date
    total = api(page, base, "/api/events?limit=1")["total"]
    page.goto(base + "/")
    rows = page.locator("#events tbody tr")
    assert rows.count() == min(total, 50)
    assert page.locator("#count").inner_text().endswith(f"of {total} matching events")
    dates = [d.strip().split(" ")[0] for d in page.locator("#events td.date").all_inner_texts()
             if d.strip() != "undated"]  # undated events sort at their publication date
    assert dates == sorted(dates)

    # 2. a filter: CAMEO root 17 (coerce) in Georgia, through the form
    page.select_option("select[name=root]", "17")
    page.fill("input[name=country]", "GEO")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*root=17.*"))
    expected = api(page, base, "/api/events?root=17&country=GEO")
    assert expected["total"] >= 1
    rows = page.locator("#events tbody tr")
    assert rows.count() == expected["total"]
    shown = [r.get_attribute("data-event") for r in rows.all()]
    assert shown == [e["event_id"] for e in expected["events"]]
    for code in page.locator("#events td.code b").all_inner_texts():
        assert code.startswith("17")
    for cell in page.locator("#events tbody tr").all_inner_texts():
        assert "GEO" in cell

    # 3. the article view: evidence sentence and trigger highlighted, coding beside it
    first = expected["events"][0]
    page.locator("#events tbody tr").first.locator("td.ev a").first.click()
    page.wait_for_url(re.compile(r".*/articles/.*"))
    card = page.locator(".coding.focus")
    assert card.count() == 1
    assert card.locator(".code").inner_text() == first["cameo"]
    assert card.locator(".cname").inner_text() == first["cameo_name"]
    card_text = card.inner_text()
    assert first["source"]["country"] in card_text and "→" in card_text
    assert first["date"] in card_text and first["modality"] in card_text
    if first.get("location"):
        assert (first["location"].get("place") or first["location"]["country"]) in card_text
    active = page.locator("#article-text .hl.active")
    assert active.count() >= 1
    highlighted = "".join(active.all_inner_texts())
    assert first["sentence"] in highlighted or highlighted in first["sentence"]
    triggers = page.locator("#article-text .hl.active mark.trigger").all_inner_texts()
    assert first["trigger"] in triggers
    # every event of the article has a card and a highlighted sentence
    art = api(page, base, "/api/articles/" + quote(first["article_id"], safe=""))
    assert page.locator(".coding").count() == len(art["events"])
    assert page.locator("#article-text mark.trigger").count() >= 1
    # the article text is shown whole
    assert page.locator("#article-text").inner_text().strip() == art["text"].strip()

    # 4. an actor page: timeline, partners and the Goldstein line against a partner
    page.goto(base + "/actors")
    top = api(page, base, "/api/actors?limit=100")["actors"]
    with_partner = next(a for a in top if api(page, base, "/api/actors/" + quote(a["id"], safe=""))["partners"])
    page.goto(base + "/actors/" + quote(with_partner["id"], safe=""))
    assert page.locator("#actor-name").inner_text() == (with_partner["name"] or with_partner["id"])
    assert page.locator("#timeline rect.mbar").count() >= 1
    assert page.locator("#partners tbody tr").count() >= 1
    partner = page.locator("#partner").input_value()
    stats = api(page, base, f"/api/stats?actor={quote(with_partner['id'])}&partner={quote(partner)}")
    # the partner chart is on the actor's real time axis: its day-dated events are dots where they fall
    assert page.locator("#dyad-chart circle.dot").count() == len(stats["days"])
    assert page.locator("#dyad-chart rect.mbar").count() == page.locator("#timeline rect.mbar").count()
    options = page.locator("#partner option").all()
    if len(options) > 1:  # choosing another partner redraws its chart (the page reloads with it)
        other = options[1].get_attribute("value")
        page.select_option("#partner", other)
        page.wait_for_url(re.compile(r".*partner=.*"))
        assert page.locator("#partner").input_value() == other

    # 5. the map: one circle per place, tooltips, links to the events of the place
    page.click("header nav >> text=Map")
    page.wait_for_url(re.compile(r".*/map$"))
    locs = api(page, base, "/api/locations?limit=1000")["locations"]
    deepest = page.locator("#map g.zl").last  # the zoom level where every place is its own circle
    assert deepest.locator("a.pt circle").count() == len(locs) >= 3
    assert page.locator("#map line.grat").count() >= 4
    # country outlines from the bundled Natural Earth file (issue 14 item 12), no request outside
    d = page.locator("#map path.borders").get_attribute("d")
    assert d and d.count("M") >= 10
    tips = deepest.locator("a.pt title").all_text_contents()
    assert any(str(locs[0]["n_events"]) + " event" in t for t in tips)
    assert page.locator("#loc-0 li").count() >= 1
    page.locator("#loc-0 li a").first.click()
    page.wait_for_url(re.compile(r".*/articles/.*"))
    assert page.locator(".coding.focus").count() == 1

    # 6. markup in an article is shown as text, never run
    page.goto(base + "/articles/markup-test")
    text = page.locator("#article-text").inner_text()
    assert "<script>window.__pwned = 1; alert('pwned')</script>" in text
    assert '<img src=x onerror="window.__pwned = 2">' in text
    assert page.locator("#art-title").inner_text() == EVIL_TITLE
    assert "Police <b>biélorusse</b>" in page.locator(".coding").first.inner_text()
    assert page.locator("#article-text script, #article-text img").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []

    # 7. the screenshot of the README: the article view of the reference article
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    ref = api(page, base, "/api/articles/000_999dded07df95737")["events"]  # ordered by offset
    focus = "?focus=" + quote(ref[0]["event_id"], safe="") if ref else ""
    page.goto(base + "/articles/000_999dded07df95737" + focus)
    page.wait_for_timeout(200)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 20_000
    print(f"browser walk-through: {time.monotonic() - t0:.1f} s")


def test_dates_have_one_meaning(server, page):
    """Issue 14 item 3: an inferred date is marked "(inferred)", an undated event says
    "undated" (never the publication date), in the table, on actor pages and articles."""
    base = server
    for url, api_path in (("/?article_id=dates-test", "/api/events?article_id=dates-test"),
                          ("/actors/country%3ABLR", None)):
        page.goto(base + url)
        cells = {r.get_attribute("data-event"): r.locator("td.date").inner_text()
                 for r in page.locator("tr[data-event]").all()} if api_path else None
        if api_path:
            evs = api(page, base, api_path)["events"]
            assert len(evs) == 2 and set(cells) == {e["event_id"] for e in evs}
            for e in evs:
                c = cells[e["event_id"]]
                assert "(pub.)" not in c
                if e["date"] is None:
                    assert c.strip() == "undated" and e["published"] not in c
                else:
                    assert c.startswith(e["date"]) and ("(inferred)" in c) == bool(e["date_inferred"])
        else:
            dates = page.locator("td.date").all_inner_texts()
            assert "undated" in [d.strip() for d in dates]
            assert any(d.startswith("2026-08-04") and "(inferred)" in d for d in dates)
            assert not any("(pub.)" in d for d in dates)
    page.goto(base + "/articles/dates-test")
    text = page.locator(".coding").all_inner_texts()
    assert any("2026-08-04 (inferred)" in t for t in text) and any("undated" in t for t in text)


def test_explorer_views_as_an_analyst_uses_them(server, page):
    """Issue 14 items 10-13 in Chromium: facets, sorting, pages, downloads, articles and
    problems pages, an error page keeping the form, the docs' examples, the zoomable map."""
    base = server
    total = api(page, base, "/api/events?limit=1")["total"]

    # facets beside the table: a root's count is what its link finds
    page.goto(base + "/")
    facet = page.locator("#facet-root li a").first
    n = int(page.locator("#facet-root li .n").first.inner_text())
    root = facet.get_attribute("data-value")
    facet.click()
    page.wait_for_url(re.compile(rf".*root={root}.*"))
    assert page.locator("#count").inner_text().endswith(f"of {n} matching events")
    assert set(c[:2] for c in page.locator("#events td.code b").all_inner_texts()) == {root}
    months = page.locator("#facet-month li a").all_inner_texts()
    assert months == sorted(months) and len(months) >= 1  # every month of the span, in order

    # sort by a column header, then the other way; the filter stays
    page.click("#events thead a:text('Goldstein')")
    page.wait_for_url(re.compile(r".*order=goldstein.*"))
    gs = [float(g) for g in page.locator("#events td.num .gold").all_inner_texts() if g != "—"]
    assert gs == sorted(gs) and f"root={root}" in page.url
    page.click("#events thead a:text('Goldstein')")
    page.wait_for_url(re.compile(r".*order=-goldstein.*"))
    gs = [float(g) for g in page.locator("#events td.num .gold").all_inner_texts() if g != "—"]
    assert gs == sorted(gs, reverse=True)

    # numbered pages and page size, and the CSV download of the current filters
    page.goto(base + "/")
    page.click("nav.pages .sizes a[data-size='25']")
    page.wait_for_url(re.compile(r".*limit=25.*"))
    assert page.locator("#events tbody tr").count() == min(25, total)
    if total > 25:
        page.click("nav.pages a.page:text-is('2')")
        page.wait_for_url(re.compile(r".*offset=25.*"))
        assert page.locator("#count").inner_text().startswith("26–")
    page.goto(base + "/?country=BLR&order=-date")
    csv_rows = page.request.get(base + page.locator("#dl-csv").get_attribute("href")).text().splitlines()
    blr = api(page, base, "/api/events?country=BLR&order=-date&limit=1000")
    assert len(csv_rows) - 1 == blr["total"] and csv_rows[1].startswith('"' + blr["events"][0]["event_id"] + '"')

    # the articles list and the problems page, from the navigation
    page.click("header nav >> text=Articles")
    page.wait_for_url(re.compile(r".*/articles$"))
    arts = api(page, base, "/api/articles")
    assert page.locator("#articles tbody tr").count() == min(arts["total"], 50)
    page.locator("#articles tbody tr").first.locator("td").nth(1).locator("a").first.click()
    page.wait_for_url(re.compile(r".*/articles/.+"))
    assert page.locator("#art-title").inner_text() == (arts["articles"][0]["title"] or arts["articles"][0]["id"])
    page.click("header nav >> text=Problems")
    assert "feed/broken.jsonl" in page.locator("#problems").inner_text()

    # a wrong value: the page says what to write and keeps the form as typed
    page.goto(base + "/?actor=Minsk&since=2025-13")
    assert "is not a date: give YYYY, YYYY-MM or YYYY-MM-DD" in page.locator("#error-message").inner_text()
    assert page.locator("form.filters input[name=actor]").input_value() == "Minsk"
    page.fill("form.filters input[name=since]", "2025-12")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*since=2025-12.*"))
    assert page.locator("#events").count() == 1

    # the docs' examples answer on this real database
    page.goto(base + "/docs")
    assert page.locator("pre.example").count() >= 10
    for href in page.locator("a.try").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        assert page.request.get(base + href).ok, href

    # the map: zoom, pan, clusters, a circle opens its events in the table
    page.goto(base + "/map?extent=world")
    svg = page.locator("#map")
    places = len(api(page, base, "/api/locations?limit=1000")["locations"])
    shown = lambda: page.locator("#map g.zl[display=inline] a.pt")  # noqa: E731
    at_world = shown().count()
    assert svg.get_attribute("data-level") == "1" and 1 <= at_world <= places
    w0 = float(svg.get_attribute("viewBox").split()[2])
    for _ in range(3):
        page.click("#zoom-in")
    assert float(svg.get_attribute("viewBox").split()[2]) == pytest.approx(w0 / 8, rel=1e-3)
    assert svg.get_attribute("data-level") == "8"
    box = svg.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_function("Number(document.getElementById('map').dataset.zoom) > 8")
    x_before = float(svg.get_attribute("viewBox").split()[0])
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 200, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    assert float(svg.get_attribute("viewBox").split()[0]) > x_before  # dragged left: the view moved east
    assert page.url.endswith("/map?extent=world")  # a drag is not a click
    page.click("#zoom-home")
    assert svg.get_attribute("data-level") == "1" and shown().count() == at_world
    top = shown().last  # the biggest circle, drawn last (on top)
    n = int(top.get_attribute("data-n"))
    top.locator("circle").click()
    page.wait_for_url(re.compile(r".*bbox=.*"))
    assert page.locator("#count").inner_text().endswith(f"of {n} matching events")
    assert page.locator("#bbox-chip").count() == 1
