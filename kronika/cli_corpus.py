"""The corpus commands of ``kronika``: corpus, dyads, track, sql (thin layers over Store)."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.table import Table


class ListFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class Tracker(str, Enum):
    sanctions = "sanctions"
    detainees = "detainees"


def _a(x: dict | None) -> str:
    if not x:
        return "—"
    return " ".join(v for v in (x.get("country"), x.get("sector")) if v) or (x.get("name") or "?")


def _flat(rec: dict) -> dict:
    """A nested record as one CSV row (``kronika.corpus.formats.flat_record``)."""
    from .corpus.formats import flat_record

    return flat_record(rec)


def _emit(rows: list[dict], fmt: ListFormat, table: Callable[[list[dict]], Table], console) -> None:
    if fmt == ListFormat.jsonl:
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif fmt == ListFormat.csv:
        from .corpus.formats import records_csv

        sys.stdout.write(records_csv(rows))
    else:
        console.print(table(rows))


def register(app: typer.Typer, out, err) -> None:
    """Add the corpus commands to the ``kronika`` app."""

    def open_store(db: Path):
        from .store import Store

        if not db.exists():
            err.print(f"error: {db}: no such database (run `kronika ingest` first)", markup=False, highlight=False)
            raise typer.Exit(2)
        return Store(db, read_only=True)

    @app.command()
    def corpus(
        db: Path = typer.Option(Path("kronika.duckdb"), "--db", help="DuckDB file."),
        actor: Optional[str] = typer.Option(None, "--actor", help="Country code, actor id or name."),
        country: Optional[str] = typer.Option(None, "--country", help="Source or target country (ISO alpha-3)."),
        root: Optional[str] = typer.Option(None, "--root", help="CAMEO root, e.g. 08."),
        code: Optional[str] = typer.Option(None, "--code", help="CAMEO code prefix."),
        since: Optional[str] = typer.Option(None, "--since", help="YYYY[-MM[-DD]]"),
        until: Optional[str] = typer.Option(None, "--until", help="YYYY[-MM[-DD]]"),
        min_articles: int = typer.Option(1, "--min-articles", help="Only corpus events reported by N articles."),
        limit: Optional[int] = typer.Option(None, "--limit", help="At most this many rows."),
        rebuild: bool = typer.Option(False, "--rebuild", help="Cluster every stored event again first."),
        format: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table, csv or jsonl."),
    ) -> None:
        """List corpus events: reports of one real-world action across articles and languages."""
        from .store import EventFilter, Store

        if rebuild:
            from .corpus.db import recluster

            with Store(db).connect(read_only=False) as con:
                n = recluster(con)
            err.print(f"{db}: {n} events clustered again", markup=False, highlight=False)
        st = open_store(db)
        flt = EventFilter(actor=actor, country=country, root=root, code=code, since=since, until=until)
        rows = st.corpus(flt, limit=limit, min_articles=min_articles)

        def table(rs: list[dict]) -> Table:
            t = Table(title=f"{len(rs)} corpus events")
            for c in ("id", "date", "cameo", "name", "source", "target", "qty", "mentions", "sources", "articles",
                      "first reported"):
                t.add_column(c, overflow="fold")
            for r in rs:
                t.add_row(r["id"], r.get("date") or "—", r["cameo"], (r.get("cameo_name") or "")[:30],
                          _a(r.get("source")), _a(r.get("target")),
                          str(r["quantity"]) if r.get("quantity") is not None else "", str(r["num_mentions"]),
                          str(r["num_sources"]), str(r["num_articles"]), str(r.get("first_reported") or ""))
            return t

        _emit(rows, format, table, out)

    @app.command()
    def dyads(
        country: Optional[str] = typer.Argument(None, help="A country: its dyads (or with PARTNER, the months)."),
        partner: Optional[str] = typer.Argument(None, help="Second country: the monthly series of the dyad."),
        db: Path = typer.Option(Path("kronika.duckdb"), "--db", help="DuckDB file."),
        either: bool = typer.Option(True, "--either/--directed", help="Count A→B and B→A together."),
        since: Optional[str] = typer.Option(None, "--since", help="From this date: YYYY[-MM[-DD]]."),
        until: Optional[str] = typer.Option(None, "--until", help="Up to this date (inclusive): YYYY[-MM[-DD]]."),
        limit: int = typer.Option(50, "--limit", help="At most this many rows."),
        format: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table, csv or jsonl."),
    ) -> None:
        """Country dyads (source × target country), or the months of one dyad."""
        from .store import EventFilter

        st = open_store(db)
        if country and partner:
            rows = st.dyad_series(country, partner, either=either, since=since, until=until)["months"]

            def table(rs: list[dict]) -> Table:
                t = Table(title=f"{country.upper()}–{partner.upper()} by month")
                for c in ("month", "events", "corpus events", "mean Goldstein", "coop.", "conflict"):
                    t.add_column(c)
                for r in rs:
                    t.add_row(r["month"], str(r["n_events"]), str(r["n_corpus_events"]),
                              "" if r["mean_goldstein"] is None else f"{r['mean_goldstein']:+.2f}",
                              str(r["n_cooperation"]), str(r["n_conflict"]))
                return t
        else:
            rows = st.dyads(EventFilter(country=country, since=since, until=until), either=either, limit=limit)

            def table(rs: list[dict]) -> Table:
                t = Table(title=f"{len(rs)} dyads")
                for c in ("a", "b", "events", "corpus events", "mean Goldstein", "coop.", "conflict", "first", "last"):
                    t.add_column(c)
                for r in rs:
                    t.add_row(r["a"], r["b"], str(r["n_events"]), str(r["n_corpus_events"]),
                              "" if r["mean_goldstein"] is None else f"{r['mean_goldstein']:+.2f}",
                              str(r["n_cooperation"]), str(r["n_conflict"]), str(r["first"]), str(r["last"]))
                return t
        _emit(rows, format, table, out)

    @app.command()
    def track(
        tracker: Tracker = typer.Argument(..., help="sanctions or detainees"),
        db: Path = typer.Option(Path("kronika.duckdb"), "--db", help="DuckDB file."),
        actor: Optional[str] = typer.Option(None, "--actor", help="Country code, actor id or name."),
        since: Optional[str] = typer.Option(None, "--since", help="From this date: YYYY[-MM[-DD]]."),
        until: Optional[str] = typer.Option(None, "--until", help="Up to this date (inclusive): YYYY[-MM[-DD]]."),
        format: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table, csv or jsonl."),
    ) -> None:
        """Timelines of sanctions (per target) or detainees (per person), from corpus events."""
        from .store import EventFilter

        st = open_store(db)
        timelines = st.track(tracker.value, EventFilter(actor=actor, since=since, until=until))
        rows = [{**e, "evidence": e["evidence"][0] if format == ListFormat.csv and e["evidence"] else e["evidence"]}
                for g in timelines for e in g["entries"]]

        def table(rs: list[dict]) -> Table:
            t = Table(title=f"{tracker.value}: {len(timelines)} subjects, {len(rs)} entries")
            for c in ("subject", "stage", "date", "by", "qty", "articles", "evidence"):
                t.add_column(c, overflow="fold")
            for r in rs:
                s = r["subject"]
                ev = r["evidence"][0] if isinstance(r["evidence"], list) and r["evidence"] else r["evidence"]
                t.add_row(f"{s.get('name') or s['id']} ({s.get('country') or '?'})", r["stage"], r.get("date") or "—",
                          _a(r.get("by")), str(r["quantity"]) if r.get("quantity") is not None else "",
                          str(r["num_articles"]), (ev or "")[:90])
            return t

        _emit(rows, format, table, out)

    @app.command()
    def sql(
        statement: str = typer.Argument(..., help="DuckDB SQL (read-only: no writes, no file access)."),
        db: Path = typer.Option(Path("kronika.duckdb"), "--db", help="DuckDB file."),
        limit: Optional[int] = typer.Option(None, "--limit", help="At most this many rows."),
        format: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table, csv or jsonl."),
    ) -> None:
        """Run SQL on the database, read-only (tables: articles, events, actors, learned_roles, problems)."""
        import duckdb

        st = open_store(db)
        try:
            cols, rows = st.sql(statement, limit=limit)
        except duckdb.Error as exc:
            err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(1)
        recs = [dict(zip(cols, r)) for r in rows]

        def table(rs: list[dict]) -> Table:
            t = Table(title=f"{len(rs)} rows")
            for c in cols:
                t.add_column(c, overflow="fold")
            for r in rs:
                t.add_row(*("" if r[c] is None else str(r[c]) for c in cols))
            return t

        _emit(recs, format, table, out)
