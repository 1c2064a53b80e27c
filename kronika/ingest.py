"""Ingestion: read inputs, extract events, store them, and say what happened.

Each batch of articles is first extracted (no database connection open), then stored in
one short transaction (``Store.write_batch``); the file is closed between batches so
readers can query it while a long ingest runs. An article whose text is already stored
under the same id is skipped before any NLP work (``unchanged``, counted as skipped); one
whose text changed is re-coded and replaces the old version (reported as ``updated``).
Killing the process loses at most the batch in flight; running the same command again
finishes the job without duplicates. See docs/reliability.md.

With ``workers > 0`` extraction runs in that many worker processes of this machine, each
loading the pipelines once (kronika/parallel.py); with ``scheduler`` on an existing Dask
cluster. The writer always stays in this process.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .model import Article
from .pipeline import ArticleResult, extract_articles, safe_extract
from .reader import ReadProblem, read_inputs
from .store import StorageError, Store, StoreBusy, WriteResult, text_hash
from .store.writes import coding_key, meta_key

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What an ingest did.

    ``ingested`` new articles stored, ``updated`` stored articles whose text changed,
    ``unchanged`` articles skipped because the same text is already stored (plus exact
    duplicates within the input), ``failed`` inputs that could not be read or coded (each
    has an ``error`` problem), ``warnings`` fallbacks that kept an article.
    """

    ingested: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    warnings: int = 0
    events: int = 0
    duplicates: list = field(default_factory=list)  # kronika.corpus.dedup.Duplicate, one per copy stored
    problems: list[ReadProblem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when nothing failed (the CLI exits with 0, else 1)."""
        return self.failed == 0

    @property
    def skipped(self) -> int:
        return self.unchanged

    def summary(self) -> str:
        """One line: ``N ingested, N updated, N skipped (unchanged), N failed, N warnings; N events in T s``."""
        return (f"{self.ingested} ingested, {self.updated} updated, {self.unchanged} skipped (unchanged), "
                f"{self.failed} failed, {self.warnings} warnings"
                + (f", {len(self.duplicates)} duplicates" if self.duplicates else "")
                + f"; {self.events} events "
                f"in {self.seconds:.1f} s")


def _batches(items: Sequence, size: int) -> Iterator[list]:
    size = max(1, int(size))
    for k in range(0, len(items), size):
        yield list(items[k:k + size])


def safe_extract_many(batch: Sequence[Article]) -> list[ArticleResult]:
    """``extract_articles`` (nlp.pipe batching) with a per-article fallback; never raises."""
    try:
        return extract_articles(batch)
    except Exception:
        log.exception("batched extraction failed; coding one by one")
        return [safe_extract(a) for a in batch]


_safe_extract_many = safe_extract_many


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"


def store_results(store: Store, results: Sequence[ArticleResult], problems: Sequence[ReadProblem],
                  corpus=None) -> tuple[WriteResult, list[tuple[ArticleResult, str]], object]:
    """Store a batch in one transaction; if that fails on a value (not on the file: a busy
    or broken database still raises), store it again one article per transaction so that one
    unstorable record costs only itself. Returns what was written, the refused results with
    the reason, and the corpus writer to go on with (reloaded from the file after a failure,
    since a rolled-back transaction may have left it remembering what was not stored)."""
    try:
        return store.write_batch(results, problems, hook=corpus.apply if corpus else None), [], corpus
    except (StoreBusy, StorageError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - a value the bulk insert refused
        log.info("the batch could not be stored (%s); storing one article at a time", _why(exc))
    out, refused = WriteResult(), []
    corpus = _reload(store, corpus, results)
    for k, res in enumerate(results):
        try:
            w = store.write_batch([res], (), hook=corpus.apply if corpus else None)
        except (StoreBusy, StorageError, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001
            refused.append((res, _why(exc)))
            corpus = _reload(store, corpus, results[k + 1:])
            continue
        out.inserted += w.inserted
        out.updated += w.updated
        out.unchanged += w.unchanged
        out.relabelled += w.relabelled
    store.write_batch([], problems)
    return out, refused, corpus


def _reload(store: Store, corpus, results: Sequence[ArticleResult]):
    """A corpus writer loaded again from the file, with the signatures of ``results``."""
    if corpus is None:
        return None
    from .corpus.db import CorpusWriter

    with store.connect(read_only=False) as con:
        fresh = CorpusWriter(con)
    for res in results:
        fresh.check(res.article.id, res.article.text, text_hash(res.article.text))
    return fresh


def language_name(lang: str) -> str:
    """English name of a language code ("fr" → "French"), from babel's CLDR data."""
    try:
        from babel import Locale

        return Locale("en").languages.get(lang, lang)
    except Exception:  # no CLDR data: the code itself
        return lang


def _load_models(langs: Sequence[str], on_stage: Callable[[str], None] | None) -> None:
    """Load the spaCy pipelines before the first batch, saying so (it takes seconds)."""
    from .nlp import load_pipeline

    for lang in langs:
        if on_stage:
            on_stage(f"loading the {language_name(lang)} model…")
        try:
            load_pipeline(lang)
        except Exception:  # an unreadable language fails per article later, with its message
            log.exception("could not load the pipeline of %s", lang)


def ingest(
    paths: Sequence[str | Path],
    db: str | Path = "kronika.duckdb",
    batch_size: int = 20,
    workers: int = 0,
    on_problem: Callable[[ReadProblem], None] | None = None,
    scheduler: str | None = None,
    on_article: Callable[[Article, int], None] | None = None,
    total_hint: Callable[[int], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
    dask: str | None = None,
    parquet: str | Path | None = None,
) -> IngestReport:
    """Ingest articles from files, directories or ``-`` into the DuckDB file ``db``.

    ``on_stage(text)`` is told what is being done ("loading the French model…", "starting 2
    workers…", "ingest"); when no article needs coding, no model is loaded at all."""
    t_start = time.monotonic()
    rep = IngestReport()

    def problem(p: ReadProblem) -> None:
        rep.problems.append(p)
        if p.level == "error":
            rep.failed += 1
        else:
            rep.warnings += 1
        if on_problem:
            on_problem(p)

    coded_by_id: dict[str, object] = {}
    if dask:  # read and code on the cluster, Parquet on the shared path (kronika/dask_ingest.py)
        from .dask_ingest import parquet_results, run_on_cluster

        if not parquet:
            raise ValueError("--dask needs --parquet DIR, a path every worker and this process can use")
        run = run_on_cluster(paths, dask, parquet, on_stage=on_stage)
        for p in run.problems:
            problem(p)
        coded_by_id = {r.article.id: r for r in parquet_results(run.out)}
        items = [r.article for r in coded_by_id.values()]
    else:
        items = read_inputs(paths)
    by_id: dict[str, Article] = {}
    for it in items:
        if isinstance(it, ReadProblem):
            problem(it)
            continue
        prev = by_id.get(it.id)
        if prev is not None:
            if text_hash(prev.text) == text_hash(it.text):
                rep.unchanged += 1  # the same article twice in the input
                continue
            problem(ReadProblem(it.source_path or "?", it.source_line,
                                f"article id {it.id!r} appears twice with different texts; the later one wins",
                                "warning"))
            del by_id[it.id]  # keep input order: the later one takes its own place
        by_id[it.id] = it
    articles = list(by_id.values())
    if not articles and not Path(db).exists():  # nothing read (a wrong path): create no empty database
        rep.seconds = time.monotonic() - t_start
        return rep
    store = Store(db)
    known = store.known_states([a.id for a in articles])
    todo, relabel = [], []
    for a in articles:
        state = known.get(a.id)
        if state is not None and state[0] == coding_key(a):  # same text, date and language: no NLP
            if state[1] == meta_key(a):
                rep.unchanged += 1
            else:
                relabel.append(a)  # a corrected title or url: stored, the events stay
            if on_article:
                on_article(a, 0)
        else:  # new, or its text, publication date or language changed: coded (again)
            todo.append(a)
    rep.updated += store.relabel(relabel)
    if total_hint:
        total_hint(len(articles))

    corpus = None
    if todo:  # duplicate index and corpus events, loaded once (kronika/corpus/db.py)
        from .corpus.db import CorpusWriter

        with store.connect(read_only=False) as con:
            corpus = CorpusWriter(con)

    client = cluster = pool = None
    if dask:
        pass  # coded already
    elif scheduler and len(todo) > 1:
        from .distributed import start_cluster

        if on_stage:
            on_stage("connecting to the Dask scheduler…")
        client, cluster = start_cluster(0, scheduler)
    elif workers and workers > 0 and len(todo) > 1:
        from .parallel import WorkerPool

        n = min(int(workers), max(1, (len(todo) + batch_size - 1) // batch_size))
        if on_stage:
            on_stage(f"starting {n} worker{'s' if n > 1 else ''} (each loads the model)…")
        pool = WorkerPool(n, sorted({a.lang for a in todo}))
    elif todo:
        _load_models(sorted({a.lang for a in todo}), on_stage)
    if on_stage:
        on_stage("ingest")

    def fresh_batches():
        for batch in _batches(todo, batch_size):
            # a copy of a stored article is stored, linked to its first copy, and not coded
            dups = {a.id: d for a in batch
                    for d in [corpus.check(a.id, a.text, text_hash(a.text))] if d is not None}
            yield (batch, dups), [a for a in batch if a.id not in dups]

    from .parallel import pooled, serial

    if dask:
        coded = serial(lambda fresh: [coded_by_id[a.id] for a in fresh], fresh_batches())
    elif pool is not None:
        coded = pooled(pool, fresh_batches())
    elif client is not None:
        from .distributed import map_extract

        coded = serial(lambda fresh: map_extract(client, fresh), fresh_batches())
    else:  # extraction happens here, with no database connection open
        coded = serial(safe_extract_many, fresh_batches())

    stored_upto = 0  # rep.problems[:stored_upto] are already in the problems table
    try:
        for (batch, dups), results in coded:
            results = results + [ArticleResult(article=a) for a in batch if a.id in dups]
            good = []
            for res in results:
                if res.error:
                    problem(ReadProblem(res.article.source_path or res.article.id, res.article.source_line,
                                        f"extraction failed: {res.error}"))
                else:
                    good.append(res)
            batch_problems = rep.problems[stored_upto:]
            w, refused, corpus = store_results(store, good, batch_problems, corpus)  # one short transaction
            stored_upto += len(batch_problems)
            for res, why in refused:  # the others of the batch are stored
                problem(ReadProblem(res.article.source_path or res.article.id, res.article.source_line,
                                    f"cannot store article {res.article.id!r}: {why}"))
            good = [r for r in good if r.article.id in set(w.inserted) | set(w.updated) | set(w.unchanged)
                    | set(w.relabelled)]
            rep.ingested += len(w.inserted)
            rep.updated += len(w.updated) + len(w.relabelled)
            rep.unchanged += len(w.unchanged)
            stored = set(w.inserted) | set(w.updated)
            rep.duplicates.extend(d for aid, d in dups.items() if aid in stored)
            rep.events += sum(len(r.events) for r in good if r.article.id in stored)
            if on_article:
                for r in results:
                    on_article(r.article, len(r.events))
        leftover = rep.problems[stored_upto:]
        if leftover:
            store.write_batch([], leftover)
        if rep.ingested or rep.updated:
            store.prepare()  # the pre-aggregates the explorer reads (kronika/store/aggregates.py)
    finally:
        if pool is not None:
            pool.close()
        if client is not None:
            client.close()
            if cluster is not None:
                cluster.close()
    rep.seconds = time.monotonic() - t_start
    return rep
