"""The corpus layer on real DuckDB files and the real pipeline: duplicates, corpus events,
dyads, trackers, formats (issue 12)."""

from __future__ import annotations

import csv
import json

import pytest

from kronika.corpus.cluster import cluster_rows
from kronika.corpus.dedup import DuplicateIndex, signature
from kronika.corpus.formats import GDELT_COLUMNS
from kronika.ingest import ingest
from kronika.store import EventFilter, Store, text_hash

RELEASE = ("La Biélorussie a libéré samedi 123 prisonniers politiques, dont l'opposante Maria Kalesnikava, "
           "après une rencontre entre Alexandre Loukachenko et l'envoyé américain John Coale à Minsk. "
           "Les rebelles ont salué la décision, a indiqué l'organisation Viasna dans un communiqué.")


def ev(art, date, prec="day", cameo="0841", s="BLR", t="BLR", q=None, pub="2025-12-14", i=0, **kw):
    return dict(event_id=f"{art}#{i}", article_id=art, cameo=cameo, root=cameo[:2], modality="asserted",
                source_country=s, target_country=t, date=date, date_precision=prec, published=pub, quantity=q, **kw)


# --- clustering rules (pure) ------------------------------------------------------------------

def test_reports_of_one_release_join_and_a_later_release_does_not():
    m = cluster_rows([
        ev("a", "2025-12-13", q=123), ev("b", "2025-12-13", q=123, s=None),  # unknown source is compatible
        ev("c", "2025-12", prec="month", q=120),  # "mi-décembre": month precision
        ev("d", "2026-01-15", q=123, pub="2026-01-16"),  # a month later: a new release
        ev("d", "2025-09", prec="month", q=52, pub="2026-01-16", i=1),  # background: the September release
        ev("e", "2025-09-20", q=52, pub="2025-09-21"),
        ev("f", "2025-12-13", q=12),  # 12 is not 123: another action
        ev("g", "2025-12-13", t="USA"),  # another target country
    ])
    assert m["a#0"] == m["b#0"] == m["c#0"]
    assert m["d#0"] != m["a#0"]
    assert m["d#1"] == m["e#0"] != m["a#0"]
    assert m["f#0"] != m["a#0"] and m["g#0"] != m["a#0"]


def test_symmetric_actions_match_in_either_order_and_far_places_do_not():
    m = cluster_rows([ev("a", "2025-10-13", cameo="057", s="ISR", t="PSE"),
                      ev("b", "2025-10-13", cameo="057", s="PSE", t="ISR"),
                      ev("c", "2025-10-13", cameo="0841", s="ISR", t="PSE"),
                      ev("d", "2025-10-13", cameo="0841", s="PSE", t="ISR")])
    assert m["a#0"] == m["b#0"] and m["c#0"] != m["d#0"]
    paris = dict(location_precision="city", location_lat=48.85, location_lon=2.35)
    lyon = dict(location_precision="city", location_lat=45.76, location_lon=4.83)
    m = cluster_rows([ev("a", "2025-03-01", cameo="141", s="FRA", t="FRA", **paris),
                      ev("b", "2025-03-01", cameo="141", s="FRA", t="FRA", **lyon),
                      ev("c", "2025-03-01", cameo="141", s="FRA", t="FRA", **paris)])
    assert m["a#0"] == m["c#0"] != m["b#0"]


def test_codes_must_agree_below_the_root():
    from kronika.corpus.cluster import codes_compatible

    assert codes_compatible("141", "1411") and codes_compatible("140", "143") and codes_compatible("19", "195")
    assert not codes_compatible("1724", "173") and not codes_compatible("141", "051")
    m = cluster_rows([ev("a", "2025-12-13", cameo="1724"), ev("b", "2025-12-13", cameo="173"),
                      ev("c", "2025-12-13", cameo="170")])
    assert m["a#0"] != m["b#0"] and m["c#0"] in (m["a#0"], m["b#0"])


def test_a_planned_action_and_its_report_join_a_negated_one_does_not():
    rows = [ev("a", "2025-12-13", cameo="141", s="SRB", t="SRB"), ev("b", "2025-12-13", cameo="141", s="SRB", t="SRB"),
            ev("c", "2025-12-13", cameo="141", s="SRB", t="SRB")]
    rows[1]["modality"], rows[2]["modality"] = "planned", "negated"
    m = cluster_rows(rows)
    assert m["a#0"] == m["b#0"] != m["c#0"]


def test_two_events_of_one_article_stay_apart():
    m = cluster_rows([ev("a", "2025-12-13", i=0), ev("a", "2025-12-13", i=1)])
    assert m["a#0"] != m["a#1"]


def test_an_inferred_date_also_covers_the_week_before_it():
    # "les camionneurs ont bloqué des routes" in a November article, given its publication
    # month: the blockades of 28 October; a date written in the sentence has no such slack
    a = ev("a", "2022-10-28", cameo="144", s="BRA", t=None, pub="2022-10-28")
    m = cluster_rows([a, ev("b", "2022-11", prec="month", cameo="144", s="BRA", t=None, pub="2022-11",
                            date_inferred=True),
                      ev("c", "2022-11", prec="month", cameo="144", s="BRA", t=None, pub="2022-11")])
    assert m["b#0"] == m["a#0"] and m["c#0"] != m["a#0"]
    m = cluster_rows([a, ev("d", "2022-11-03", cameo="144", s="BRA", t=None, pub="2022-11-03", date_inferred=True),
                      ev("e", "2022-11-03", cameo="144", s="BRA", t=None, pub="2022-11-03")])
    assert m["d#0"] == m["a#0"] and m["e#0"] != m["a#0"]


def test_actor_ids_count_on_the_side_they_fit_a_symmetric_action():
    # Ali Bongo receives the envoy / the envoy meets Ali Bongo: the second report names the
    # parties the other way round and must still count the same person as the same side
    bongo, envoy = "person:ali-bongo", "person:the-envoy"
    m = cluster_rows([ev("a", "2023-08-30", cameo="040", s="GAB", t="USA", source_id="person:other",
                         target_id="person:someone"),  # another meeting of that day (its id sorts first)
                      ev("a", "2023-08-30", cameo="040", s="GAB", t="USA", source_id=bongo, target_id=envoy, i=1),
                      ev("c", "2023-08-30", cameo="040", s="USA", t="GAB", source_id=envoy, target_id=bongo)])
    assert m["c#0"] == m["a#1"] != m["a#0"]


def test_an_inferred_report_joins_the_nearest_of_equally_good_corpus_events():
    # two marches (the one of the 10th reported twice); a report dated by its article's day
    # (the 16th, inferred: the week before it) joins the nearer one, of the 14th
    from kronika.corpus.cluster import Clusterer

    rows = [ev("a", "2025-12-10", cameo="141", s="SRB", t="SRB"), ev("b", "2025-12-10", cameo="141", s="SRB", t="SRB"),
            ev("c", "2025-12-14", cameo="141", s="SRB", t="SRB")]
    cl = Clusterer()
    m = cl.assign(rows)  # a later ingest brings the inferred report
    m.update(cl.assign([ev("d", "2025-12-16", cameo="141", s="SRB", t="SRB", pub="2025-12-16", date_inferred=True)]))
    assert m["a#0"] == m["b#0"] != m["c#0"] and m["d#0"] == m["c#0"]
    # a month says nothing of the day: "en décembre" joins the march reported most
    m = cluster_rows(rows + [ev("e", "2025-12", prec="month", cameo="141", s="SRB", t="SRB", pub="2025-12-20")])
    assert m["e#0"] == m["a#0"]


def test_code_families_join_across_roots_only_when_configured():
    from kronika.corpus.cluster import Clusterer, load_rules
    from dataclasses import replace

    rows = [ev("a", "2023-08-30", cameo="1724", s="GAB", t="GAB"), ev("b", "2023-08-30", cameo="192", s="GAB", t="GAB"),
            ev("c", "2023-08-30", cameo="173", s="GAB", t="GAB")]
    assert len(set(cluster_rows(rows).values())) == 3
    fam = replace(load_rules(), families=(("18", "19", "1724"),))
    m = Clusterer(fam).assign(rows)
    assert m["a#0"] == m["b#0"] != m["c#0"]


def test_near_duplicate_index():
    idx = DuplicateIndex()
    idx.add("a", text_hash(RELEASE), signature(RELEASE))
    light = RELEASE.replace("rebelles", "résistance").replace("salué", "applaudi")
    d = idx.check("b", text_hash(light), signature(light))
    assert d is not None and d.duplicate_of == "a" and not d.exact and d.similarity >= 0.5
    assert idx.check("a", text_hash(light), signature(light)) is None  # its own id: an update
    other = "Le Premier ministre japonais a rencontré mardi à Tokyo le président sud-coréen pour parler commerce."
    assert idx.check("c", text_hash(other), signature(other)) is None


# --- through the real pipeline and a real DuckDB file ----------------------------------------------

@pytest.fixture(scope="module")
def db(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    src = d / "in"
    src.mkdir()
    (src / "a.txt").write_text(" date 2025-12-13 " + RELEASE, encoding="utf-8")
    (src / "b.txt").write_text(" date 2025-12-13 " + RELEASE.replace("rebelles", "résistance")
                               .replace("salué", "applaudi"), encoding="utf-8")
    (src / "c.txt").write_text(" date 2025-12-13 " + RELEASE, encoding="utf-8")  # the same text, another id
    (src / "d.txt").write_text(" date 2025-12-14 Minsk a relâché 123 détenus le 13 décembre, a annoncé "
                               "l'opposition biélorusse.", encoding="utf-8")
    path = d / "k.duckdb"
    rep = ingest([src], db=path)
    assert rep.failed == 0
    # a second ingest adds an English report: it joins the stored corpus event (incremental)
    (src / "e.jsonl").write_text(json.dumps({
        "id": "en1", "date": "2025-12-13", "lang": "en", "url": "https://www.example.org/belarus",
        "title": "Belarus frees prisoners",
        "text": "Belarus freed 123 political prisoners on Saturday after talks with a US envoy in Minsk."}) + "\n",
        encoding="utf-8")
    rep2 = ingest([src], db=path)
    return {"path": path, "rep": rep, "rep2": rep2}


def test_duplicates_are_linked_and_not_coded(db):
    st = Store(db["path"], read_only=True)
    arts = {r[0]: r[1:] for r in st.sql("SELECT id, duplicate_of, duplicate_similarity, n_events FROM articles")[1]}
    assert arts["c"][0] == "a" and arts["c"][1] == 1.0 and arts["c"][2] == 0
    assert arts["b"][0] == "a" and 0.5 <= arts["b"][1] < 1.0 and arts["b"][2] == 0
    assert arts["a"][0] is None and arts["a"][2] > 0
    assert {d.article_id for d in db["rep"].duplicates} == {"b", "c"}
    assert not st.events(EventFilter(article_id="c")) and not st.events(EventFilter(article_id="b"))
    assert db["rep2"].ingested == 1 and db["rep2"].unchanged == 4


def test_one_corpus_event_across_articles_and_languages(db):
    st = Store(db["path"], read_only=True)
    evs = st.events(EventFilter(code="0841"))
    assert evs and all(e["corpus_event_id"] for e in st.events())
    ids = {e["article_id"]: e["corpus_event_id"] for e in evs}
    assert {"a", "d", "en1"} <= set(ids) and ids["a"] == ids["d"] == ids["en1"]
    ce = st.corpus_event(ids["a"])
    assert ce["num_articles"] == 3 and ce["num_sources"] == 3 and ce["num_mentions"] >= 3
    assert set(ce["article_ids"]) == {"a", "d", "en1"} and set(ce["duplicate_article_ids"]) == {"b", "c"}
    assert ce["date"] == "2025-12-13" and ce["date_precision"] == "day" and ce["first_reported"] == "2025-12-13"
    assert ce["quantity"] == 123 and len(ce["sentences"]) == 3 and len(ce["events"]) == 3
    listed = st.corpus(EventFilter(root="08"), min_articles=2)
    assert [c["id"] for c in listed] == [ids["a"]]
    assert st.count_corpus(EventFilter(root="08"), min_articles=2) == 1


def test_rebuild_gives_the_same_corpus_events(db, tmp_path):
    import shutil

    from kronika.corpus.db import recluster

    copy = tmp_path / "copy.duckdb"
    shutil.copy(db["path"], copy)
    before = {e["event_id"]: e["corpus_event_id"] for e in Store(copy, read_only=True).events()}
    with Store(copy).connect(read_only=False) as con:
        recluster(con)
    after = {e["event_id"]: e["corpus_event_id"] for e in Store(copy, read_only=True).events()}
    groups = lambda m: sorted(sorted(k for k in m if m[k] == v) for v in set(m.values()))
    assert groups(before) == groups(after)


def test_dyads_country_identity_and_months(db):
    st = Store(db["path"], read_only=True)
    c = st.country("BLR")
    ids = {m["id"] for m in c["members"]}
    assert "country:BLR" in ids and any(i.startswith("group:BLR:") for i in ids)
    months = st.dyad_series("BLR", since="2025-10", until="2026-01")["months"]
    assert [m["month"] for m in months] == ["2025-10", "2025-11", "2025-12", "2026-01"]
    assert months[0]["n_events"] == 0 and months[2]["n_events"] > 0
    assert months[2]["n_corpus_events"] < months[2]["n_events"]  # reports of one action counted once
    dy = st.dyads(either=True)
    assert any(d["a"] == "BLR" and d["b"] == "BLR" for d in dy)


def test_detainee_tracker(db):
    st = Store(db["path"], read_only=True)
    tl = st.track("detainees", EventFilter(actor="BLR"))
    entries = [e for g in tl for e in g["entries"]]
    rel = [e for e in entries if e["stage"] == "released"]
    assert rel and rel[0]["quantity"] == 123 and rel[0]["num_articles"] == 3 and rel[0]["evidence"]
    assert rel[0]["by"]["country"] == "BLR"
    with pytest.raises(ValueError):
        st.track("weather")


def test_formats_have_the_same_columns_and_string_codes(db, tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    st = Store(db["path"], read_only=True)
    n = st.export(tmp_path / "e.csv", "csv")
    st.export(tmp_path / "e.parquet", "parquet")
    rows = list(csv.DictReader(open(tmp_path / "e.csv", encoding="utf-8")))
    tbl = pq.read_table(tmp_path / "e.parquet")
    assert len(rows) == n == tbl.num_rows and list(rows[0]) == tbl.column_names
    assert {"corpus_event_id", "article_url", "article_title", "date_start", "month"} <= set(tbl.column_names)
    df = st.events_df()
    assert list(df.columns) == tbl.column_names and len(df) == n
    assert df["cameo"].map(type).eq(str).all() and "0841" in set(df["cameo"])
    assert str(df["date_start"].dtype).startswith("datetime64")
    back = pd.read_csv(tmp_path / "e.csv", dtype={"cameo": str, "root": str})
    assert "0841" in set(back["cameo"])
    n_part = st.export(tmp_path / "parts", "parquet", partition_by_month=True)
    assert n_part == n and (tmp_path / "parts" / "month=2025-12").is_dir()


def test_cli_lists_have_the_same_columns_in_every_row_and_command(db, tmp_path):
    from tests.cli_run import kronika

    path = str(db["path"])
    rows = list(csv.reader(kronika("corpus", "--db", path, "--format", "csv").stdout.splitlines()))
    # every corpus event has the columns of the record, whether or not it has a target or place
    want = {"id", "cameo", "root", "source_country", "target_country", "date", "date_precision", "first_reported",
            "num_mentions", "num_sources", "num_articles", "article_ids", "event_ids", "location_place"}
    assert want <= set(rows[0]) and "target" not in rows[0] and {len(r) for r in rows} == {len(rows[0])}
    recs = [json.loads(x) for x in kronika("corpus", "--db", path, "--format", "jsonl").stdout.splitlines()]
    assert len(recs) == len(rows) - 1 and all(isinstance(r["cameo"], str) for r in recs)
    # `kronika events -f jsonl` carries the records of `kronika export --format jsonl`
    lines = kronika("events", "--db", path, "--format", "jsonl").stdout.splitlines()
    kronika("export", "--db", path, "--format", "jsonl", str(tmp_path / "e.jsonl"))
    exported = (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()
    assert [list(json.loads(x)) for x in lines] == [list(json.loads(x)) for x in exported]
    assert "article_url" in json.loads(lines[0]) and isinstance(json.loads(lines[0])["cameo"], str)


def test_gdelt_and_plover(db, tmp_path):
    st = Store(db["path"], read_only=True)
    n = st.export(tmp_path / "g.tsv", "gdelt")
    lines = (tmp_path / "g.tsv").read_text(encoding="utf-8").splitlines()
    assert n == len(lines) == st.count_corpus()
    rows = [dict(zip(GDELT_COLUMNS, x.split("\t"))) for x in lines]
    assert all(len(x.split("\t")) == 61 for x in lines)
    rel = next(r for r in rows if r["EventCode"] == "0841")
    assert rel["Day"] == "20251213" and rel["MonthYear"] == "202512" and rel["EventRootCode"] == "08"
    assert rel["Actor1Code"] == "BLRGOV" and rel["Actor1CountryCode"] == "BLR"
    assert rel["NumArticles"] == "3" and rel["NumSources"] == "3"
    assert rel["ActionGeo_CountryCode"] == "BY" and rel["ActionGeo_Type"] == "4"
    st.export(tmp_path / "p.jsonl", "plover")
    recs = [json.loads(x) for x in (tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()]
    r = next(x for x in recs if x["cameo"] == "0841" and x["story_id"] == "en1")
    assert r["event_type"] and r["actor_country"] == "BLR" and r["story_url"] == "https://www.example.org/belarus"
    assert r["event_date"] == "2025-12-13" and r["event_text"].startswith("Belarus freed")


def test_sql_is_read_only(db):
    import duckdb

    st = Store(db["path"], read_only=True)
    cols, rows = st.sql("SELECT count(*) AS n FROM events")
    assert cols == ["n"] and rows[0][0] > 0
    for bad in ("DELETE FROM events", "COPY events TO '/tmp/kronika-sql-test.csv'"):
        with pytest.raises(duckdb.Error):
            st.sql(bad)


# --- HTTP API and pages --------------------------------------------------------------------

def test_api_and_pages(db):
    from fastapi.testclient import TestClient

    from kronika.server.app import create_app

    c = TestClient(create_app(db["path"]))
    r = c.get("/api/corpus", params={"root": "08", "min_articles": 2})
    assert r.status_code == 200 and r.json()["total"] == 1
    ce = r.json()["corpus_events"][0]
    assert {"id", "cameo", "root", "source", "target", "date", "date_precision", "first_reported", "num_mentions",
            "num_sources", "num_articles", "article_ids", "event_ids"} <= set(ce)
    one = c.get(f"/api/corpus/{ce['id']}").json()
    assert len(one["events"]) == 3 and all(e["corpus_event_id"] == ce["id"] for e in one["events"])
    assert c.get("/api/corpus/ce-0000").status_code == 404
    ev = c.get("/api/events", params={"code": "0841"}).json()["events"]
    assert all(e["corpus_event_id"] == ce["id"] for e in ev)
    lines = c.get("/api/events.jsonl", params={"code": "0841"}).text.splitlines()
    st = Store(db["path"], read_only=True)
    assert [json.loads(x) for x in lines] == json.loads(json.dumps(st.events_with_articles(EventFilter(code="0841"),
                                                                                          order="date")))
    assert "article_url" in json.loads(lines[0])
    months = c.get("/api/dyads/BLR/BLR", params={"since": "2025-11", "until": "2026-01"}).json()["months"]
    assert [m["month"] for m in months] == ["2025-11", "2025-12", "2026-01"]
    assert c.get("/api/dyads", params={"either": True}).json()["dyads"]
    assert c.get("/api/track/detainees").json()["timelines"]
    assert c.get("/api/track/weather").status_code == 422
    assert c.get("/api/countries/BLR").json()["members"]
    page = c.get(f"/corpus/{ce['id']}")
    assert page.status_code == 200 and "copy of a" in page.text and "Belarus freed" in page.text
    for url in ("/corpus", "/dyads", "/dyads/BLR/USA", "/countries/BLR", "/track/sanctions", "/track/detainees"):
        assert c.get(url).status_code == 200, url
    dyad = c.get("/dyads/BLR/BLR", params={"since": "2025-10", "until": "2026-02"}).text
    assert dyad.count('class="mbar') == 5 and dyad.count("mbar empty") == 4  # empty months drawn
    actor = c.get("/actors/country:BLR").text
    assert 'id="country-identity"' in actor and "/actors/group%3ABLR%3A" in actor
    stats = c.get("/api/stats", params={"actor": "country:BLR"}).json()["months"]
    assert sum(m["n_events"] for m in stats) == Store(db["path"], read_only=True).count_events(
        EventFilter(country="BLR"))


def test_trackers_on_real_extractions(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    texts = {
        "s1": ("2025-05-06", "Bruxelles a menacé mardi la Biélorussie de nouvelles sanctions."),
        "s2": ("2025-06-10", "L'Union européenne a imposé lundi de nouvelles sanctions contre la Biélorussie."),
        "s3": ("2025-09-12", "Les États-Unis ont levé jeudi les sanctions visant la compagnie aérienne "
                             "biélorusse Belavia."),
        "s4": ("2025-12-13", "Washington a assoupli samedi les sanctions sur le potassium biélorusse."),
        "d1": ("2020-06-22", "La police a arrêté lundi le journaliste Ihar Losik à Minsk."),
        "d2": ("2025-12-13", "Le militant Ihar Losik a été gracié samedi par Alexandre Loukachenko."),
    }
    for aid, (d, t) in texts.items():
        (src / f"{aid}.txt").write_text(f" date {d} {t}", encoding="utf-8")
    path = tmp_path / "t.duckdb"
    assert ingest([src], db=path).failed == 0
    st = Store(path, read_only=True)
    sanc = {g["subject"]["id"]: [e["stage"] for e in g["entries"]] for g in st.track("sanctions", EventFilter(actor="BLR"))}
    stages = {s for v in sanc.values() for s in v}
    assert {"threatened", "imposed", "lifted", "eased"} <= stages, sanc
    assert sanc.get("country:BLR") and sanc["country:BLR"].index("threatened") < sanc["country:BLR"].index("imposed")
    assert "lifted" in sanc.get("org:belavia", [])
    det = st.track("detainees")
    losik = [g for g in det if "losik" in g["subject"]["id"].lower() or "ihar" in g["subject"]["id"].lower()]
    assert losik and losik[0]["subject"]["named_person"]
    assert len(losik) == 1, det  # "Ihar" and "Ihar Losik": one person
    assert [e["stage"] for e in losik[0]["entries"]] == ["arrested", "pardoned"]


def test_an_updated_article_leaves_its_corpus_event(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(" date 2025-03-04 La police kényane a arrêté mardi à Nairobi douze manifestants.",
                               encoding="utf-8")
    (src / "b.txt").write_text(" date 2025-03-05 Douze manifestants ont été arrêtés mardi à Nairobi par la police "
                               "du Kenya.", encoding="utf-8")
    path = tmp_path / "u.duckdb"
    ingest([src], db=path)
    st = Store(path, read_only=True)
    arrests = {e["article_id"]: e["corpus_event_id"] for e in st.events(EventFilter(root="17"))}
    assert arrests.get("a") and arrests.get("a") == arrests.get("b")
    (src / "b.txt").write_text(" date 2025-03-05 L'armée a bombardé jeudi la ville de Goma.", encoding="utf-8")
    assert ingest([src], db=path).updated == 1
    evs = st.events()
    assert all(e["corpus_event_id"] for e in evs)
    ce = st.corpus_event(arrests["a"])
    assert ce["article_ids"] == ["a"] and ce["num_articles"] == 1
