"""Extraction and query benchmark (run on purpose, not a test).

    .venv/bin/python benchmarks/bench_extract.py [--n 100] [--workers 2] [--runs 20]

Reads the French dev set texts at run time from ../shared/eval/fr-dev.jsonl (never copied
into the project), repeats them under fresh ids up to ``--n`` articles, and measures:

1. extraction in this process (``extract_articles``, models warmed first): articles/s, chars/s;
2. ``ingest(workers=0)`` into a new DuckDB file (read, extract, store), wall time;
3. ``ingest(workers=N)`` on a Dask LocalCluster, wall time including the cluster start and
   spaCy loading in each worker; the cluster start-up alone is measured separately;
4. queries on the resulting database: median ms over ``--runs`` runs of ``Store.events``
   with filters and ``Store.stats``.

Results are printed as a table; benchmarks/README.md records one run.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FR_DEV = ROOT.parent / "shared" / "eval" / "fr-dev.jsonl"


def load_articles(n: int) -> list[dict]:
    """``n`` article records (id, date, lang, text) cycling over the dev set, each with a new id."""
    base = [json.loads(line) for line in FR_DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"id": f"{base[i % len(base)]['id']}~{i // len(base)}", "date": base[i % len(base)]["date"],
             "lang": base[i % len(base)].get("lang") or "fr", "text": base[i % len(base)]["text"]}
            for i in range(n)]


def median_ms(fn, runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100, help="articles (the dev set repeated)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=20, help="runs per query")
    args = ap.parse_args()
    if not FR_DEV.exists():
        raise SystemExit(f"{FR_DEV} is not present")

    from kronika.distributed import start_cluster
    from kronika.ingest import ingest
    from kronika.model import Article
    from kronika.pipeline import extract_articles, warm_up
    from kronika.store import EventFilter, Store

    recs = load_articles(args.n)
    chars = sum(len(r["text"]) for r in recs)
    rows: list[tuple[str, float, str]] = []

    with tempfile.TemporaryDirectory(prefix="kronika-bench-") as tmp:
        tmp_path = Path(tmp)
        src = tmp_path / "articles.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")

        t = time.perf_counter()
        warm_up(("fr",))
        rows.append(("load models (this process)", time.perf_counter() - t, ""))

        arts = [Article(id=r["id"], published=r["date"], text=r["text"], lang=r["lang"]) for r in recs]
        t = time.perf_counter()
        results = extract_articles(arts)
        dt = time.perf_counter() - t
        n_events = sum(len(r.events) for r in results)
        rows.append(("extract_articles, in process", dt,
                     f"{args.n / dt:.1f} art/s, {chars / dt:,.0f} chars/s, {n_events} events"))

        db = tmp_path / "serial.duckdb"
        t = time.perf_counter()
        rep = ingest([src], db=db)
        dt = time.perf_counter() - t
        rows.append(("ingest workers=0", dt, f"{args.n / dt:.1f} art/s, {chars / dt:,.0f} chars/s, "
                                             f"{rep.events} events"))

        t = time.perf_counter()
        client, cluster = start_cluster(args.workers)
        client.run(warm_up, ("fr",))
        rows.append((f"LocalCluster({args.workers}) start + warm-up", time.perf_counter() - t, ""))
        client.close()
        cluster.close()

        t = time.perf_counter()
        rep2 = ingest([src], db=tmp_path / "dask.duckdb", workers=args.workers)
        dt = time.perf_counter() - t
        rows.append((f"ingest workers={args.workers} (incl. start)", dt,
                     f"{args.n / dt:.1f} art/s, {chars / dt:,.0f} chars/s, {rep2.events} events"))

        store = Store(db, read_only=True)
        n_stored = store.summary()["events"]
        queries = {
            "events() all": lambda: store.events(),
            "events(root=08)": lambda: store.events(EventFilter(root="08")),
            "events(actor=BLR, since 2025-01)": lambda: store.events(EventFilter(actor="BLR", since="2025-01")),
            "events(text, limit 50)": lambda: store.events(EventFilter(text="prisonniers"), limit=50),
            "stats()": lambda: store.stats(),
            "stats(actor=BLR, partner=USA)": lambda: store.stats(actor="BLR", partner="USA"),
        }
        qrows = [(name, median_ms(fn, args.runs)) for name, fn in queries.items()]

    print(f"kronika benchmark — {args.n} articles ({chars:,} chars) from fr-dev.jsonl; "
          f"{platform.processor() or platform.machine()}, python {platform.python_version()}")
    print(f"{'step':38}{'seconds':>9}  throughput")
    for name, sec, note in rows:
        print(f"{name:38}{sec:>9.2f}  {note}")
    if rep2.events != rep.events:
        print(f"note: the cluster stored {rep2.events} events, this process {rep.events}: worker processes "
              "import kronika when they start, so code or data edited during the run differ")
    print(f"\nqueries on {n_stored} stored events (median of {args.runs} runs)")
    for name, ms in qrows:
        print(f"{name:38}{ms:>9.1f} ms")


if __name__ == "__main__":  # the guard matters: Dask's worker processes are spawned
    main()
