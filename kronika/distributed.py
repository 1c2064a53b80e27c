"""The distributed path: extraction on a Dask cluster, storage in the calling process.

``kronika ingest --workers N`` starts a ``LocalCluster`` of N single-threaded worker
processes on this machine (no dashboard, loopback only); a user with a real cluster passes
its scheduler address with ``--scheduler``. Workers load the spaCy pipeline once and code
articles; results come back as plain records and the one DuckDB writer stores them.
"""

from __future__ import annotations

from typing import Sequence

from .model import Article
from .pipeline import ArticleResult


def start_cluster(workers: int, scheduler: str | None = None):
    """A (client, cluster) pair; ``cluster`` is None when connecting to ``scheduler``."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    # ``dashboard_address=None`` does not stop distributed (2026.8) from serving its HTTP
    # routes: the scheduler still listens on port 8787 and, when that port is taken (another
    # cluster on the machine), warns and moves to a random one. Ask for a random loopback port
    # with the dashboard off instead: no warning, nothing listening beyond 127.0.0.1.
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, host="127.0.0.1", silence_logs=40,
                           scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})
    return Client(cluster), cluster


def _extract_remote(article: Article) -> ArticleResult:
    from .pipeline import safe_extract

    return safe_extract(article)


def map_extract(client, articles: Sequence[Article]) -> list[ArticleResult]:
    """Code ``articles`` on the cluster; results in input order."""
    futures = client.map(_extract_remote, list(articles), pure=False)
    return client.gather(futures)
