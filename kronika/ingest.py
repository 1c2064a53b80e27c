"""Ingestion: read inputs, extract events, store them, and say what happened.

Each batch of articles is stored in one transaction (``Store.write_batch``); the file is
closed between batches so readers can query it while a long ingest runs. An article whose
text is already stored under the same id is skipped before any NLP work; one whose text
changed is re-coded and replaces the old version (reported as ``updated``).

With ``workers > 0`` extraction runs on a Dask ``LocalCluster`` (processes), the writer
stays in this process.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from .model import Article
from .pipeline import ArticleResult, extract_article
from .reader import ReadProblem, read_inputs
from .store import Store, text_hash

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What an ingest did. ``failed`` counts inputs that could not be read or coded."""

    ingested: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    warnings: int = 0
    events: int = 0
    problems: list[ReadProblem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def summary(self) -> str:
        return (f"{self.ingested} ingested, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.failed} failed, {self.warnings} warnings; {self.events} events "
                f"in {self.seconds:.1f} s")


def _batches(items: Iterable, size: int, max_seconds: float) -> Iterator[list]:
    batch: list = []
    t0 = time.monotonic()
    for it in items:
        batch.append(it)
        if len(batch) >= size or time.monotonic() - t0 > max_seconds:
            yield batch
            batch = []
            t0 = time.monotonic()
    if batch:
        yield batch


def _safe_extract(article: Article) -> ArticleResult:
    try:
        return extract_article(article)
    except Exception as exc:  # an NLP bug on one article must not stop the others
        log.exception("extraction failed on %s", article.id)
        return ArticleResult(article=article, error=f"{type(exc).__name__}: {exc}")


def ingest(
    paths: Sequence[str | Path],
    db: str | Path = "kronika.duckdb",
    batch_size: int = 20,
    workers: int = 0,
    on_problem: Callable[[ReadProblem], None] | None = None,
    on_article: Callable[[Article, int], None] | None = None,
    total_hint: Callable[[int], None] | None = None,
) -> IngestReport:
    """Ingest articles from files, directories or ``-`` into the DuckDB file ``db``."""
    t_start = time.monotonic()
    rep = IngestReport()
    store = Store(db)

    def problem(p: ReadProblem) -> None:
        rep.problems.append(p)
        if p.level == "error":
            rep.failed += 1
        else:
            rep.warnings += 1
        if on_problem:
            on_problem(p)

    items = list(read_inputs(paths))
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for it in items:
        if isinstance(it, ReadProblem):
            problem(it)
        else:
            h = text_hash(it.text)
            if it.id in seen:
                if seen[it.id] != h:
                    problem(ReadProblem(it.source_path or "?", it.source_line,
                                        f"article id {it.id!r} appears twice with different texts; the later one wins",
                                        "warning"))
                    articles = [a for a in articles if a.id != it.id]
                else:
                    continue
            seen[it.id] = h
            articles.append(it)
    known = store.known_hashes([a.id for a in articles])
    todo = []
    for a in articles:
        if known.get(a.id) == text_hash(a.text):
            rep.unchanged += 1
            if on_article:
                on_article(a, 0)
        else:
            todo.append(a)
    if total_hint:
        total_hint(len(articles))

    client = cluster = None
    if workers and workers > 0 and len(todo) > 1:
        from .distributed import start_cluster

        client, cluster = start_cluster(workers)

    try:
        for batch in _batches(todo, batch_size, max_seconds=5.0):
            if client is not None:
                from .distributed import map_extract

                results = map_extract(client, batch)
            else:
                results = [_safe_extract(a) for a in batch]
            good = []
            for res in results:
                if res.error:
                    problem(ReadProblem(res.article.source_path or res.article.id, res.article.source_line,
                                        f"extraction failed: {res.error}"))
                else:
                    good.append(res)
            batch_problems = [p for p in rep.problems if not getattr(p, "_stored", False)]
            w = store.write_batch(good, batch_problems)
            for p in batch_problems:
                p._stored = True  # type: ignore[attr-defined]
            rep.ingested += len(w.inserted)
            rep.updated += len(w.updated)
            rep.unchanged += len(w.unchanged)
            stored = set(w.inserted) | set(w.updated)
            rep.events += sum(len(r.events) for r in good if r.article.id in stored)
            if on_article:
                for r in results:
                    on_article(r.article, len(r.events))
        leftover = [p for p in rep.problems if not getattr(p, "_stored", False)]
        if leftover:
            store.write_batch([], leftover)
    finally:
        if client is not None:
            client.close()
            cluster.close()
    rep.seconds = time.monotonic() - t_start
    return rep
