"""Corpus-event clustering at scale: time and memory on synthetic reports.

    .venv/bin/python benchmarks/bench_corpus.py [N]        # N reports, default 100,000

Reports are drawn like a news corpus: 25,000-odd real actions (60 countries, dyads skewed
towards a few, 20 roots, two years), each reported by 1–8 articles with the date at day
(60 %), month (30 %) or year (5 %) precision or undated (5 %), a quantity for one action in
four (sometimes revised), a town for half, an unknown source or target for one report in
ten, and the parties swapped for symmetric actions. Measured:

1. ``cluster_rows`` from scratch (pure Python, the incremental clusterer fed every report);
2. incremental: load 90 % already clustered, place the last 10 %;
3. in DuckDB: the reports stored in a real file, ``recluster`` (read, cluster, UPDATE).

Memory is the peak resident size of the process (``ru_maxrss``) and the tracemalloc peak of
step 1 (measured on a second, traced run). Also printed: how many of the true actions came out as one corpus event, and how
many corpus events merged two true actions (a sanity check of the rules on easy data, not
a quality figure: see docs/corpus.md for the real storylines).
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kronika.corpus.cluster import Clusterer, cluster_rows  # noqa: E402

COUNTRIES = [f"C{i:02d}" for i in range(60)]
ROOTS = {"01": ["010", "013"], "02": ["020", "023"], "03": ["030", "036"], "04": ["040", "042", "043"],
         "05": ["051", "057"], "06": ["061"], "07": ["070", "073"], "08": ["0841", "085"], "09": ["090"],
         "10": ["1053", "104"], "11": ["111", "112"], "12": ["120"], "13": ["1312", "138"], "14": ["141", "1411"],
         "15": ["150"], "16": ["163"], "17": ["173", "1724"], "18": ["180", "181"], "19": ["190", "195"],
         "20": ["200"]}


def synthetic(n: int, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    rows: list[dict] = []
    start = date(2024, 1, 1)
    action = 0
    weights = [1 / (i + 1) for i in range(len(COUNTRIES))]
    while len(rows) < n:
        action += 1
        root = rnd.choice(list(ROOTS))
        cameo = rnd.choice(ROOTS[root])
        s = rnd.choices(COUNTRIES, weights)[0]
        t = rnd.choices(COUNTRIES, weights)[0] if rnd.random() < 0.6 else s
        day = start + timedelta(days=rnd.randrange(730))
        qty = rnd.choice([None, None, None, rnd.randrange(2, 500)])
        city = (rnd.uniform(-40, 60), rnd.uniform(-80, 120)) if rnd.random() < 0.5 else None
        for k in range(rnd.choice([1, 1, 2, 2, 3, 3, 4, 5, 8])):
            if len(rows) >= n:
                break
            pub = day + timedelta(days=rnd.randrange(0, 3))
            p = rnd.random()
            if p < 0.6:
                d, prec = day.isoformat(), "day"
            elif p < 0.9:
                d, prec = day.isoformat()[:7], "month"
            elif p < 0.95:
                d, prec = day.isoformat()[:4], "year"
            else:
                d, prec = None, None
            src, tgt = s, t
            if rnd.random() < 0.05:
                src = None
            elif rnd.random() < 0.05:
                tgt = None
            if cameo.startswith(("04", "057")) and rnd.random() < 0.3:
                src, tgt = tgt, src
            q = qty if qty is None or rnd.random() < 0.8 else int(qty * rnd.uniform(0.8, 1.25))
            rows.append({
                "event_id": f"a{action}-{k}#0", "article_id": f"a{action}-{k}", "published": pub.isoformat(),
                "cameo": cameo, "root": root, "modality": "asserted", "source_country": src, "target_country": tgt,
                "source_id": f"country:{src}" if src else None, "target_id": f"country:{tgt}" if tgt else None,
                "date": d, "date_precision": prec, "quantity": q, "location_country": s,
                "location_lat": city[0] if city else None, "location_lon": city[1] if city else None,
                "location_precision": "city" if city else None, "truth": action,
            })
    return rows


def quality(rows: list[dict], mapping: dict[str, str]) -> tuple[float, float]:
    by_truth: dict[int, set] = defaultdict(set)
    by_ce: dict[str, set] = defaultdict(set)
    for r in rows:
        by_truth[r["truth"]].add(mapping[r["event_id"]])
        by_ce[mapping[r["event_id"]]].add(r["truth"])
    counts = defaultdict(int)
    for r in rows:
        counts[r["truth"]] += 1
    multi = [k for k in by_truth if counts[k] >= 2]
    together = sum(len(by_truth[k]) == 1 for k in multi) / max(len(multi), 1)
    merged = sum(len(v) >= 2 for v in by_ce.values()) / max(len(by_ce), 1)
    return together, merged


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rows = synthetic(n)
    print(f"{len(rows):,} reports of {len({r['truth'] for r in rows}):,} actions")

    t = time.perf_counter()
    mapping = cluster_rows(rows)
    dt = time.perf_counter() - t
    tracemalloc.start()  # memory measured on a second run (tracing slows Python down several times)
    cluster_rows(rows)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    tog, mer = quality(rows, mapping)
    print(f"1. from scratch: {dt:.1f} s, {len(set(mapping.values())):,} corpus events, "
          f"tracemalloc peak {peak:.0f} MB; together {tog:.3f}, merged {mer:.3f}")

    cut = int(len(rows) * 0.9)
    old = cluster_rows(rows[:cut])
    stored = [{**r, "corpus_event_id": old[r["event_id"]]} for r in rows[:cut]]
    t = time.perf_counter()
    c = Clusterer()
    c.load(stored)
    t_load = time.perf_counter() - t
    c.assign(rows[cut:])
    dt = time.perf_counter() - t
    print(f"2. incremental: load {cut:,} clustered reports {t_load:.1f} s, then {len(rows) - cut:,} new: "
          f"{dt:.1f} s in all")

    import duckdb
    import pyarrow as pa

    from kronika.corpus.db import recluster
    from kronika.store import Store

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bench.duckdb"
        st = Store(path)
        cols = [k for k in rows[0] if k != "truth"]
        with st.connect(read_only=False) as con:
            tbl = pa.Table.from_pylist([{k: r[k] for k in cols} for r in rows])
            con.register("_b", tbl)
            con.execute("INSERT INTO events BY NAME SELECT *, 'x' AS sentence, 0 AS quad_class FROM _b")
            con.unregister("_b")
        t = time.perf_counter()
        with st.connect(read_only=False) as con:
            recluster(con)
        dt = time.perf_counter() - t
        with duckdb.connect(str(path), read_only=True) as con:
            n_ce = con.execute("SELECT count(DISTINCT corpus_event_id) FROM events").fetchone()[0]
    print(f"3. DuckDB recluster of {len(rows):,} stored events: {dt:.1f} s ({n_ce:,} corpus events)")
    print(f"peak resident memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
