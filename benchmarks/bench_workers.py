"""``kronika ingest --workers N`` on a folder of distinct articles (not a test).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_workers.py [--n 2000] [--workers 0 1 2]

Builds, in a temporary folder, ``--n`` article files in the users' corpus format, each made
of thirds of three bodies of ../shared/eval/fr-train.jsonl and fr-dev.jsonl (seeded; read
at run time, nothing copied into the project; no two files share two thirds, so none is a
copy or near-copy of another); then runs the real command
``kronika ingest DIR --db NEW.duckdb -q --workers N`` for each N (0 = in this process, no
worker processes), and prints wall time, articles/s, CPU seconds of the process tree and
its peak resident memory (sampled every 0.1 s), and the speed-up over the first N.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import ROOT, mb, shared_articles, tree_rss  # noqa: E402


def thirds(text: str) -> list[str]:
    paras = [p for p in text.split("\n\n") if p.strip()]
    if len(paras) >= 3:
        k = len(paras)
        return ["\n\n".join(paras[:k // 3]), "\n\n".join(paras[k // 3:2 * k // 3]), "\n\n".join(paras[2 * k // 3:])]
    words = text.split()
    k = len(words)
    return [" ".join(words[:k // 3]), " ".join(words[k // 3:2 * k // 3]), " ".join(words[2 * k // 3:])]


def build_folder(folder: Path, n: int, seed: int = 13) -> int:
    """``n`` files, each the first third of one body, the middle third of a second and the
    last third of a third; no two files share two pieces, so none is a near-copy of another."""
    recs = shared_articles()
    parts = [thirds(r["text"]) for r in recs]
    rng = random.Random(seed)
    used_pairs: set[tuple[int, int, int, int]] = set()
    words = i = 0
    while i < n:
        a, b, c = rng.sample(range(len(recs)), 3)
        pairs = {(a, 0, b, 1), (a, 0, c, 2), (b, 1, c, 2)}
        if pairs & used_pairs:
            continue
        used_pairs |= pairs
        body = "\n\n".join((parts[a][0], parts[b][1], parts[c][2]))
        words += len(body.split())
        (folder / f"a{i:05d}.txt").write_text(f" date {recs[a]['date']} \n{body}\n", encoding="utf-8")
        i += 1
    return words


def run(cmd: list[str]) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds of the tree, peak tree RSS, exit code."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    peak, cpu = 0, {}
    while proc.poll() is None:
        try:
            for p in [ps] + ps.children(recursive=True):
                try:
                    c = p.cpu_times()
                    cpu[p.pid] = c.user + c.system
                except psutil.Error:
                    pass
            peak = max(peak, tree_rss(ps))
        except psutil.Error:
            pass
        time.sleep(0.1)
    wall = time.perf_counter() - t
    err = proc.stderr.read()
    if proc.returncode:
        print(err[-2000:], file=sys.stderr)
    else:
        print("   ", err.strip().splitlines()[-1] if err.strip() else "")
    return wall, sum(cpu.values()), peak, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--workers", type=int, nargs="+", default=[0, 2])
    ap.add_argument("--batch-size", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kronika-workers-") as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        words = build_folder(folder, args.n)
        print(f"{args.n} articles, {words:,} words in {folder}; {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        rows = []
        for w in args.workers:
            db = Path(tmp) / f"w{w}.duckdb"
            cmd = [sys.executable, "-m", "kronika.cli", "ingest", str(folder), "--db", str(db), "-q",
                   "--batch-size", str(args.batch_size), "--workers", str(w)]
            wall, cpu, peak, rc = run(cmd)
            rows.append((w, wall, cpu, peak, rc))
            print(f"workers={w}: {wall:.1f} s, {args.n / wall:.1f} articles/s, CPU {cpu:.0f} s, peak {mb(peak)}, "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
    base = rows[0][1]
    print(f"\n{'workers':>8}{'wall s':>9}{'articles/s':>12}{'CPU s':>8}{'peak RSS':>11}{'speed-up':>10}")
    for w, wall, cpu, peak, rc in rows:
        print(f"{w:>8}{wall:9.1f}{args.n / wall:12.1f}{cpu:8.0f}{mb(peak):>11}{base / wall:10.2f}"
              + ("" if rc == 0 else f"  (exit {rc})"))


if __name__ == "__main__":
    main()
