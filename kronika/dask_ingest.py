"""The cluster path: ``kronika ingest PATHS --dask tcp://SCHEDULER:8786 --parquet SHARED/DIR``.

Reading and extraction run on the workers of an existing Dask distributed cluster; the
calling process only lists the input files (directories walked in the reader's order) and
sends them, in groups of about ``files_per_task``, to the workers. Each task reads its files,
codes their articles (the pipeline is loaded once per worker process) and writes Parquet
files to the shared path, partitioned by month (of the publication date)::

    DIR/<run>/articles/month=2025-12/part-00003.parquet   # id, published, text, hash, …
    DIR/<run>/events/month=2025-12/part-00003.parquet     # the events table's columns
    DIR/<run>/actors/part-00003.parquet, learned_roles/part-00003.parquet

``DIR`` must be readable and writable by every worker and by this process (NFS, a mounted
bucket…). Tasks return only counts and read problems. Then, unless ``load=False``, this
process loads the run's Parquet into the DuckDB file, in input order and in batches, through
the same write path as a local ingest (text-hash idempotence, duplicate links, corpus
events), so the database holds the events a single-process ingest stores. The Parquet
files stay: DuckDB, pandas or Spark can read them directly
(``SELECT … FROM read_parquet('DIR/<run>/events/*/*.parquet', hive_partitioning=true)``).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Sequence

from .model import Article
from .reader import DOC_PREFIXES, SKIP_SUFFIXES, ReadProblem

TABLES = ("articles", "events", "actors", "learned_roles")


def list_files(paths: Sequence[str | Path]) -> tuple[list[str], list[ReadProblem]]:
    """The files ``read_inputs`` would read, in its order (directories recursively, sorted)."""
    files: list[str] = []
    problems: list[ReadProblem] = []
    for p in paths:
        if str(p) == "-":
            problems.append(ReadProblem("-", None, "standard input cannot be read on a cluster; give files"))
            continue
        path = Path(p)
        if not path.exists():
            problems.append(ReadProblem(str(p), None, "no such file or directory"))
        elif path.is_dir():
            files += [str(q.resolve()) for q in sorted(path.rglob("*"))
                      if q.is_file() and not q.name.startswith(".") and q.suffix.lower() not in SKIP_SUFFIXES
                      and not q.name.lower().startswith(DOC_PREFIXES)]
        else:
            files.append(str(path.resolve()))
    return files, problems


def _month(published: str) -> str:
    return str(published)[:7] if published and len(str(published)) >= 7 else "unknown"


def _write(table: str, rows: list[dict], out: Path, part: str, by_month: bool) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not rows:
        return
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(_month(r.get("published")) if by_month else "", []).append(r)
    for month, rs in groups.items():
        d = out / table / (f"month={month}" if by_month else "")
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{part}.parquet.tmp"
        pq.write_table(pa.Table.from_pylist(rs), tmp)
        os.replace(tmp, d / f"{part}.parquet")  # a file is there whole or not at all


def code_files(task: int, files: list[tuple[int, str]], out: str) -> dict[str, Any]:
    """One task on a worker: read ``files`` (with their input positions), code their
    articles, write Parquet parts under ``out``; return counts and read problems."""
    from .ingest import safe_extract_many
    from .reader import read_inputs
    from .store import EVENT_COLUMNS, event_row, text_hash

    arts: list[Article] = []
    order: dict[int, tuple[int, int]] = {}
    problems = []
    for pos, f in files:
        for k, it in enumerate(read_inputs([f])):
            if isinstance(it, ReadProblem):
                problems.append((it.path, it.line, it.message, it.level))
            else:
                order[id(it)] = (pos, k)
                arts.append(it)
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    n_events = failed = 0
    for k in range(0, len(arts), 20):
        for res in safe_extract_many(arts[k:k + 20]):
            a = res.article
            if res.error:
                problems.append((a.source_path or a.id, a.source_line, f"extraction failed: {res.error}", "error"))
                continue
            pos, seq = order[id(a)]
            rows["articles"].append({
                "id": a.id, "published": a.published, "lang": a.lang, "url": a.url, "title": a.title,
                "text": a.text, "text_hash": text_hash(a.text), "source_path": a.source_path,
                "source_line": a.source_line, "n_events": len(res.events), "input_pos": pos, "input_seq": seq})
            rows["events"].extend(dict(zip(EVENT_COLUMNS, event_row(e))) for e in res.events)
            n_events += len(res.events)
            for d in res.actors:
                rows["actors"].append({"article_id": a.id, "id": d["id"], "name": d.get("name"),
                                       "kind": d.get("kind"), "country": d.get("country"),
                                       "sector": d.get("sector"),
                                       "aliases": json.dumps(d.get("aliases") or [], ensure_ascii=False),
                                       "roles": json.dumps(d.get("roles") or [], ensure_ascii=False, default=str)})
            for lr in res.learned:
                rows["learned_roles"].append({"article_id": a.id, "name": lr.name, "country": lr.country,
                                              "sector": lr.sector, "role_text": lr.role_text,
                                              "date": str(lr.date) if lr.date else None,
                                              "evidence": getattr(lr, "evidence", None)})
    part = f"part-{task:05d}"
    for t in TABLES:
        _write(t, rows[t], Path(out), part, by_month=t in ("articles", "events"))
    return {"articles": len(rows["articles"]), "events": n_events, "failed": failed, "problems": problems}


@dataclass
class ClusterRun:
    """What the cluster did: where its Parquet is, and the tasks' counts and problems."""

    out: Path
    articles: int = 0
    events: int = 0
    problems: list[ReadProblem] = field(default_factory=list)
    seconds: float = 0.0


def run_on_cluster(paths: Sequence[str | Path], scheduler: str, parquet: str | Path,
                   files_per_task: int = 20, on_stage: Callable[[str], None] | None = None,
                   on_task: Callable[[int], None] | None = None) -> ClusterRun:
    """Read and code ``paths`` on the cluster at ``scheduler``; Parquet under ``parquet/<run>``."""
    from dask.distributed import Client, as_completed

    t0 = time.monotonic()
    run = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + secrets.token_hex(3)
    out = Path(parquet).resolve() / run
    out.mkdir(parents=True, exist_ok=True)
    files, problems = list_files(paths)
    res = ClusterRun(out=out, problems=problems)
    groups = [list(enumerate(files))[k:k + files_per_task] for k in range(0, len(files), files_per_task)]
    if on_stage:
        on_stage(f"connecting to {scheduler}…")
    with Client(scheduler) as client:
        if on_stage:
            on_stage(f"{len(files)} files in {len(groups)} tasks on {len(client.scheduler_info()['workers'])} workers")
        futures = [client.submit(code_files, i, g, str(out), pure=False) for i, g in enumerate(groups)]
        for fut in as_completed(futures):
            r = fut.result()
            res.articles += r["articles"]
            res.events += r["events"]
            res.problems += [ReadProblem(p, ln, msg, lvl) for p, ln, msg, lvl in r["problems"]]
            if on_task:
                on_task(r["articles"])
    res.seconds = time.monotonic() - t0
    return res


def _read(out: Path, table: str) -> list[dict]:
    import pyarrow.parquet as pq

    d = out / table
    files = sorted(d.rglob("*.parquet")) if d.exists() else []
    rows: list[dict] = []
    for f in files:
        rows += pq.read_table(f).to_pylist()
    for r in rows:
        r.pop("month", None)
    return rows


def parquet_results(out: str | Path) -> list[Any]:
    """The coded articles of a run's Parquet, in input order, as results ``Store.write_batch``
    takes (event rows instead of Event objects)."""
    out = Path(out)
    arts = sorted(_read(out, "articles"), key=lambda r: (r.pop("input_pos"), r.pop("input_seq")))
    by_art: dict[str, dict[str, list]] = {a["id"]: {t: [] for t in TABLES[1:]} for a in arts}
    for t in TABLES[1:]:
        for r in _read(out, t):
            aid = r.pop("article_id") if t == "actors" else r["article_id"]
            if aid in by_art:
                by_art[aid][t].append(r)
    results = []
    for a in arts:
        rows = by_art[a["id"]]
        art = Article(id=a["id"], published=a["published"], text=a["text"], lang=a["lang"], url=a["url"],
                      title=a["title"], source_path=a["source_path"], source_line=a["source_line"])
        events = sorted(rows["events"], key=lambda e: e["start_offset"] or 0)
        actors = [dict(d, aliases=json.loads(d["aliases"] or "[]"), roles=json.loads(d["roles"] or "[]"))
                  for d in rows["actors"]]
        learned = [SimpleNamespace(**{k: v for k, v in lr.items() if k != "article_id"})
                   for lr in rows["learned_roles"]]
        results.append(SimpleNamespace(article=art, events=events, actors=actors, learned=learned, error=None))
    return results
