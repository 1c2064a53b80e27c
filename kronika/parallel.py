"""Parallel extraction on this machine: ``kronika ingest --workers N``.

N worker processes (``spawn``: nothing of the parent's state, threads or DuckDB handles is
inherited) each load the pipelines once, in their initializer, and then code batches of
articles sent to them. The calling process keeps the single DuckDB writer and the corpus
layer; it never loads spaCy. Batches are streamed: at most ``window`` batches (two per
worker) are in flight, so memory stays bounded whatever the size of the input, and results
are written in input order, each batch in its own transaction, so that the stored rows are
the ones a serial ingest stores and a killed ingest resumes where it stopped (the articles
already stored are skipped by their text hash).

A worker notices when its parent is gone (killed) and exits, so no orphan keeps its model
in memory.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Callable, Iterable, Iterator, Sequence

from .model import Article
from .pipeline import ArticleResult

log = logging.getLogger(__name__)


def _watch_parent(parent: int) -> None:
    while True:
        threading.Event().wait(1.0)
        if os.getppid() != parent:
            os._exit(0)


def _init_worker(langs: tuple[str, ...], parent: int, quiet: bool = False) -> None:
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if quiet:  # as in the parent (the CLI without --debug): problems are its one-line reports,
        # never the logging tracebacks Python's last-resort handler would print on stderr
        logging.getLogger("kronika").addHandler(logging.NullHandler())
        logging.getLogger("kronika").propagate = False
    from .pipeline import warm_up

    warm_up(langs)


def _code_batch(batch: list[Article]) -> list[ArticleResult]:
    from .ingest import safe_extract_many

    return safe_extract_many(batch)


class WorkerPool:
    """N spawned processes with the pipelines of ``langs`` loaded."""

    def __init__(self, workers: int, langs: Sequence[str]) -> None:
        self.workers = max(1, int(workers))
        self.window = 2 * self.workers
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("spawn"),
                                        initializer=_init_worker,
                                        initargs=(tuple(langs), os.getpid(), not logging.getLogger("kronika").propagate))

    def submit(self, batch: list[Article]) -> Future:
        return self.pool.submit(_code_batch, batch)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _result_of(fut: Future, batch: list[Article]) -> list[ArticleResult]:
    try:
        return fut.result()
    except Exception as exc:  # a worker died (killed, out of memory): its batch fails, the ingest goes on
        log.exception("a worker process failed on a batch")
        return [ArticleResult(article=a, error=f"worker process failed: {type(exc).__name__}: {exc}")
                for a in batch]


def pooled(pool: WorkerPool, items: Iterable[tuple[object, list[Article]]]
           ) -> Iterator[tuple[object, list[ArticleResult]]]:
    """``(key, results)`` for each ``(key, fresh articles)`` of ``items``, in order, with at
    most ``pool.window`` batches in flight (``items`` is consumed as results come back)."""
    inflight: deque[tuple[object, list[Article], Future | None]] = deque()
    for key, fresh in items:
        inflight.append((key, fresh, pool.submit(fresh) if fresh else None))
        while len(inflight) >= pool.window:
            k, b, f = inflight.popleft()
            yield k, (_result_of(f, b) if f is not None else [])
    while inflight:
        k, b, f = inflight.popleft()
        yield k, (_result_of(f, b) if f is not None else [])


def serial(extract: Callable[[list[Article]], list[ArticleResult]],
           items: Iterable[tuple[object, list[Article]]]) -> Iterator[tuple[object, list[ArticleResult]]]:
    """The same as ``pooled`` in this process."""
    for key, fresh in items:
        yield key, (extract(fresh) if fresh else [])
