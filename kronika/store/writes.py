"""Writing: one short transaction per batch, idempotent by text hash."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import duckdb

from ..model import Article
from .schema import EVENT_COLUMNS, SENTENCE_KEY_SQL, event_row, text_hash


@dataclass
class WriteResult:
    inserted: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # re-coded: text, date or language changed
    unchanged: list[str] = field(default_factory=list)
    relabelled: list[str] = field(default_factory=list)  # same coding, new title or url (also updates)


def coding_key(article: Article) -> tuple:
    """What the events of an article depend on: its text, publication date (every relative
    date is resolved against it) and language. A change in any of them re-codes it."""
    return (text_hash(article.text), article.published, article.lang)


def meta_key(article: Article) -> tuple:
    """What is shown of an article but does not change its events."""
    return (article.title, article.url)


STATE_SQL = "SELECT id, text_hash, published, lang, title, url FROM articles WHERE id IN (SELECT unnest(?))"


class WriteMixin:
    """The write methods of ``Store``."""

    def article_state(self, con: duckdb.DuckDBPyConnection, article: Article) -> str:
        """``new``, ``same`` or ``changed`` for an article against what is stored."""
        row = con.execute("SELECT text_hash FROM articles WHERE id = ?", [article.id]).fetchone()
        if row is None:
            return "new"
        return "same" if row[0] == text_hash(article.text) else "changed"

    def known_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """Stored text hashes of the given article ids."""
        return {k: v[0][0] for k, v in self.known_states(ids).items()}

    def known_states(self, ids: Sequence[str]) -> dict[str, tuple[tuple, tuple]]:
        """``id -> (coding_key, meta_key)`` of the stored articles among ``ids`` (to skip
        work before extraction)."""
        if not ids or not Path(self.path).exists():
            return {}
        with self.connect() as con:
            rows = con.execute(STATE_SQL, [list(ids)]).fetchall()
        return {r[0]: ((r[1], r[2], r[3]), (r[4], r[5])) for r in rows}

    def relabel(self, articles: Sequence[Article]) -> int:
        """Store new titles and urls of stored articles whose coding did not change (one
        transaction, no event touched). Returns how many rows changed."""
        if not articles:
            return 0
        with self.connect(read_only=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                for a in articles:
                    con.execute("UPDATE articles SET title = ?, url = ? WHERE id = ?", [a.title, a.url, a.id])
                con.execute("COMMIT")
            except BaseException:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    pass
                raise
        return len(articles)

    def run_id(self) -> str:
        """This Store object's run id (one ``kronika ingest`` = one Store = one run):
        ``YYYYMMDDTHHMMSS-xxxxxx``, recorded with the problems the run met first."""
        if getattr(self, "_run_id", None) is None:
            import secrets
            from datetime import datetime, timezone

            self._run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        return self._run_id

    def write_batch(self, results: Sequence[Any], problems: Sequence[Any] = (),
                    hook: Callable[[Any, list[str], list[str]], Any] | None = None) -> WriteResult:
        """Store extraction results (objects with ``article``, ``events``, ``actors``,
        ``learned``) and problems in one transaction. Either the whole batch is stored or
        nothing is.

        All the work that does not need the file (rows, hashes, Arrow tables) is done before
        the connection is opened; inside, the batch is a handful of bulk statements
        (``INSERT … BY NAME SELECT * FROM <arrow table>``), so the write window is short
        (a few tens of milliseconds for 200 small articles). An article given twice in the
        batch counts once (the last one wins). ``hook(con, stored_ids, updated_ids)`` runs in the
        same transaction after the rows are inserted (the corpus layer: duplicate links,
        signatures, corpus-event ids; kronika/corpus/db.py).
        """
        import pyarrow as pa

        out = WriteResult()
        latest: dict[str, Any] = {}
        for res in results:
            latest.pop(res.article.id, None)
            latest[res.article.id] = res
        hashes = {aid: text_hash(res.article.text) for aid, res in latest.items()}
        keys = {aid: ((hashes[aid], res.article.published, res.article.lang), meta_key(res.article))
                for aid, res in latest.items()}
        with self.connect(read_only=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                stored = {r[0]: ((r[1], r[2], r[3]), (r[4], r[5]))
                          for r in con.execute(STATE_SQL, [list(latest)]).fetchall()} if latest else {}
                todo = []
                for aid, res in latest.items():
                    if aid not in stored:
                        out.inserted.append(aid)
                    elif stored[aid][0] == keys[aid][0]:  # same coding: at most a new title or url
                        if stored[aid][1] == keys[aid][1]:
                            out.unchanged.append(aid)
                        else:
                            out.relabelled.append(aid)
                            con.execute("UPDATE articles SET title = ?, url = ? WHERE id = ?",
                                        [res.article.title, res.article.url, aid])
                        continue
                    else:  # text, date or language changed: coded again, replaces the old version
                        out.updated.append(aid)
                    todo.append(res)
                if out.updated:
                    for sql in ("DELETE FROM events WHERE article_id IN (SELECT unnest(?))",
                                "DELETE FROM learned_roles WHERE article_id IN (SELECT unnest(?))",
                                "DELETE FROM articles WHERE id IN (SELECT unnest(?))"):
                        con.execute(sql, [out.updated])
                art_rows, ev_rows, lr_rows = [], [], []
                actors: dict[str, dict] = {}
                for res in todo:
                    art: Article = res.article
                    art_rows.append({
                        "id": art.id, "published": art.published, "lang": art.lang, "url": art.url,
                        "title": art.title, "text": art.text, "text_hash": hashes[art.id],
                        "source_path": art.source_path, "source_line": art.source_line,
                        "n_events": len(res.events),
                    })
                    ev_rows.extend(e if isinstance(e, dict) else dict(zip(EVENT_COLUMNS, event_row(e)))
                                   for e in res.events)  # rows already (Parquet of a cluster run)
                    for actor in getattr(res, "actors", []) or []:
                        actors[actor["id"]] = {
                            "id": actor["id"], "name": actor.get("name"), "kind": actor.get("kind"),
                            "country": actor.get("country"), "sector": actor.get("sector"),
                            "aliases": json.dumps(actor.get("aliases") or [], ensure_ascii=False),
                            "roles": json.dumps(actor.get("roles") or [], ensure_ascii=False, default=str),
                        }
                    for lr in getattr(res, "learned", []) or []:
                        lr_rows.append({
                            "article_id": art.id, "name": lr.name, "country": lr.country, "sector": lr.sector,
                            "role_text": lr.role_text, "date": str(lr.date) if lr.date else None,
                            "evidence": getattr(lr, "evidence", None),
                        })
                run = self.run_id()
                pr_rows = list({(p.path, p.line, p.level, p.message): {
                    "path": p.path, "line": p.line, "level": p.level, "message": p.message, "run_id": run}
                    for p in problems}.values())  # once per run
                for table, rows, verb in (("articles", art_rows, "INSERT"), ("events", ev_rows, "INSERT"),
                                          ("actors", list(actors.values()), "INSERT OR REPLACE"),
                                          ("learned_roles", lr_rows, "INSERT"), ("problems", pr_rows, "INSERT")):
                    if rows:
                        con.register("_kronika_batch", pa.Table.from_pylist(rows))
                        if table == "problems":  # a problem already recorded by an earlier run is not again
                            con.execute(
                                "INSERT INTO problems BY NAME SELECT * FROM _kronika_batch b WHERE NOT EXISTS ("
                                "SELECT 1 FROM problems p WHERE p.path IS NOT DISTINCT FROM b.path AND "
                                "p.line IS NOT DISTINCT FROM b.line AND p.level IS NOT DISTINCT FROM b.level "
                                "AND p.message IS NOT DISTINCT FROM b.message)")
                            con.unregister("_kronika_batch")
                            continue
                        extra = f", {SENTENCE_KEY_SQL} AS sentence_key" if table == "events" else ""
                        con.execute(f"{verb} INTO {table} BY NAME SELECT *{extra} FROM _kronika_batch")
                        con.unregister("_kronika_batch")
                if todo:  # the write counter: pre-aggregates built at another count are stale
                    con.execute("INSERT OR REPLACE INTO meta SELECT 'writes', CAST(coalesce((SELECT CAST(value AS "
                                "BIGINT) FROM meta WHERE key = 'writes'), 0) + 1 AS VARCHAR)")
                if hook is not None:
                    hook(con, out.inserted + out.updated, out.updated)
                con.execute("COMMIT")
            except BaseException:
                try:  # after a failed COMMIT (full disk) there is no transaction left
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    pass
                raise
        return out
