"""Helpers shared by the benchmarks: the shared French bodies and a peak-RSS sampler."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import psutil  # a dependency of distributed

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
FR_FILES = (SHARED_EVAL / "fr-train.jsonl", SHARED_EVAL / "fr-dev.jsonl")


def shared_articles() -> list[dict]:
    """The distinct article records of fr-train and fr-dev (read at run time, never copied)."""
    seen, out = set(), []
    for path in FR_FILES:
        if not path.exists():
            raise SystemExit(f"{path} is not present")
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            if r["text"] in seen:
                continue
            seen.add(r["text"])
            out.append({"id": r["id"], "date": r["date"], "lang": r.get("lang") or "fr", "text": r["text"]})
    return out


def tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants."""
    total = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


class PeakRSS:
    """``with PeakRSS() as m: ...`` then ``m.peak``: the highest resident size of this
    process tree seen while the block ran (sampled every ``interval`` s)."""

    def __init__(self, interval: float = 0.05, pid: int | None = None) -> None:
        self.interval = interval
        self.proc = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.proc))
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakRSS":
        self.peak = tree_rss(self.proc)
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, tree_rss(self.proc))


def mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def now() -> float:
    return time.perf_counter()
