"""The ``kronika`` command: a thin layer over the Python API (one function per command)."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _esc(text: object) -> str:
    """One line, always: control characters of names and messages escaped (``\\n``, ``\\x1b``)."""
    return CONTROL_RE.sub(lambda m: repr(m.group())[1:-1] if m.group() in "\n\r\t"
                          else f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                          else f"\\u{ord(m.group()):04x}", str(text))


def _say(text: object, style: str | None = None) -> None:
    """A line on stderr, verbatim: no Rich markup, no highlighting, control characters escaped."""
    err.print(_esc(text), style=style, markup=False, highlight=False, soft_wrap=True)


class _App(typer.Typer):
    """``kronika``: every command ends with one line, never a traceback (unless ``--debug``).

    A locked, damaged, foreign or full database is ``error: <file>: <cause>`` and exit 3
    (environment); a missing one exit 2; anything unexpected exit 4 with its type and message."""

    def __call__(self, *args, **kwargs):
        from .store import StorageError, StoreBusy

        debug = "--debug" in sys.argv[1:]
        try:
            return super().__call__(*args, **kwargs)
        except (StoreBusy, StorageError) as exc:
            if debug:
                raise
            _say(f"error: {exc}", "red")
            sys.exit(3)
        except FileNotFoundError as exc:
            if debug:
                raise
            _say(f"error: {exc}", "red")
            sys.exit(2)
        except Exception as exc:  # noqa: BLE001 - the last line of defence of the command
            if debug:
                raise
            _say(f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", "red")
            sys.exit(4)


app = _App(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
           context_settings={"help_option_names": ["-h", "--help"]},
           help="Political event data from dated French and English news.")


def _flags_as_flags() -> None:
    """Help shows ``--json`` as a flag, not ``--json <bool>`` (typer's rich help prints the type
    of every option; a flag takes no value)."""
    try:
        from typer.core import TyperOption
    except ImportError:  # pragma: no cover - another typer layout: keep its help as it is
        return
    shown = getattr(TyperOption, "display_type_rich", None)
    if shown is None or getattr(shown, "_kronika", False):
        return

    def display_type_rich(self, ctx):
        return None if getattr(self, "is_flag", False) else shown(self, ctx)

    display_type_rich._kronika = True
    TyperOption.display_type_rich = display_type_rich


_flags_as_flags()


def _version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"kronika {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Print tracebacks and log messages."),
          version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Political event data from dated French and English news."""
    if debug:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    else:  # problems are reported as one line each; the logging tracebacks only with --debug
        logging.getLogger("kronika").addHandler(logging.NullHandler())
        logging.getLogger("kronika").propagate = False

# a table printed to a pipe or a file keeps its columns readable
out = Console(width=None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "0") or 0) or 180)
err = Console(stderr=True)


class TriggerMode(str, Enum):
    both = "both"
    lexicon = "lexicon"
    model = "model"


TRIGGERS_HELP = "Trigger stage: both (lexicon and trained model), lexicon (entries only) or model (model only)."


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class EventsFormat(str, Enum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    gdelt = "gdelt"
    plover = "plover"


def _actor_str(a: dict | None) -> str:
    if not a:
        return "—"
    return f"{a.get('country') or '?'} {a.get('sector') or ''}".strip()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _events_table(records: list[dict], title: str = "") -> Table:
    t = Table(title=title or None, show_lines=False, expand=False,
              caption="* date inferred: not in the sentence, the day of the story" if any(
                  r.get("date_inferred") for r in records) else None)
    # dates, codes, actors and modality never wrap (a date over two lines is unreadable); the
    # free-text columns fold to fit 80-100 columns
    # the CAMEO name only where there is room for it (from 130 columns)
    wide = out.width >= 130
    cols = [("date", True), ("cameo", True), ("name", False), ("source", True), ("target", True),
            ("modality", True), ("qty", True), ("place", False), ("trigger", False), ("article", False)]
    for col, keep in cols:
        if col != "name" or wide:
            t.add_column(col, no_wrap=keep, overflow="ellipsis" if keep else "fold")
    for r in records:
        loc = r.get("location") or {}
        row = [
            (r.get("date") or "undated") + ("*" if r.get("date_inferred") else ""),
            r["cameo"],
            (r.get("cameo_name") or "")[:30],
            _actor_str(r.get("source")),
            _actor_str(r.get("target")),
            r.get("modality") or "",
            str(r["quantity"]) if r.get("quantity") is not None else "",
            " ".join(x for x in (loc.get("place"), loc.get("country")) if x) if loc else "",
            (r.get("trigger") or "")[:24],
            r.get("article_id", ""),
        ]
        t.add_row(*(row if wide else row[:2] + row[3:]))
    return t


REGISTER_HELP = ("A YAML file of your own people and organisations added to the register (repeatable; "
                 "also the environment variable KRONIKA_REGISTER). See docs/register.md.")


def _use_register(files: Optional[list[Path]]) -> None:
    """Name the user register files before any extraction; a bad file is a usage error."""
    from .actors.userfile import RegisterFileError, use_register_files

    try:
        use_register_files(files or [])
    except RegisterFileError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2)


def _print_problem(p) -> None:
    # markup off: a file name may contain brackets
    _say(p, "red" if p.level == "error" else "yellow")


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files, directories or - (standard input)."),
    format: ExtractFormat = typer.Option(ExtractFormat.jsonl, "--format", "-f", help="jsonl, json or table."),
    published: Optional[str] = typer.Option(None, "--published",
                                            help="Read - as plain text published on YYYY-MM-DD (or YYYY-MM)."),
    lang: str = typer.Option("fr", "--lang", help="Language of the plain text read with --published: fr or en."),
    article_id: str = typer.Option("stdin", "--id", help="Article id of the plain text read with --published."),
    register_file: Optional[list[Path]] = typer.Option(None, "--register-file", help=REGISTER_HELP),
    min_confidence: float = typer.Option(0.5, "--min-confidence", min=0.0, max=1.0,
                                         help="Print only events of at least this confidence (0–1)."),
    triggers: TriggerMode = typer.Option(TriggerMode.both, "--triggers", help=TRIGGERS_HELP),
) -> None:
    """Print the events of articles, without a database.

    Standard input (``-``) is the corpus format or JSON Lines, or plain text when
    ``--published`` is given (with ``--lang`` and ``--id``)."""
    _use_register(register_file)
    from .extraction.classifier import configured
    from .pipeline import extract_article
    from .reader import ReadProblem, read_inputs

    failed = 0
    all_records: list[dict] = []
    items = read_inputs([p for p in paths if p != "-"] if published else paths)
    if published:
        from itertools import chain

        from .validate import check_date

        pub = _checked(published, check_date, "--published")
        if len(pub) == 4:
            _say("error: --published needs at least a month: YYYY-MM or YYYY-MM-DD", "red")
            raise typer.Exit(2)
        if lang not in ("fr", "en"):
            _say(f"error: --lang {lang!r}: kronika reads fr and en", "red")
            raise typer.Exit(2)
        if "-" in paths:
            from .model import Article

            from .reader import clean_text, stream_text

            text, read_problems = stream_text(sys.stdin)
            if text is not None:
                text, cleaned = clean_text(text, "<stdin>", None)
                read_problems += cleaned
            items = chain(read_problems, [Article(id=article_id, published=pub, text=text, lang=lang)]
                          if text is not None else [], items)
    for item in items:
        if isinstance(item, ReadProblem):
            _print_problem(item)
            failed += item.level == "error"
            continue
        with configured(min_confidence=min_confidence, mode=triggers.value):
            res = extract_article(item)
        recs = [e.to_dict() for e in res.events]
        if format == ExtractFormat.jsonl:
            for r in recs:
                sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            all_records.extend(recs)
    if format == ExtractFormat.table:  # one table for all articles
        out.print(_events_table(all_records, title=_plural(len(all_records), "event")))
    if format == ExtractFormat.json:
        sys.stdout.write(json.dumps(all_records, ensure_ascii=False, indent=2) + "\n")
    raise typer.Exit(1 if failed else 0)


from .cli_ingest import register as _register_ingest  # noqa: E402  (ingest: local, workers, Dask)

_register_ingest(app, err, _say, _print_problem, _use_register, REGISTER_HELP)


def _checked(value, check, *args):
    """``check(value)`` or a usage error: one line, exit 2 (as the API's 422)."""
    if value is None:
        return None
    try:
        return check(value, *args)
    except ValueError as exc:
        _say(f"error: {exc}", "red")
        raise typer.Exit(2)


def _no_actor_match(flt) -> str:
    """What ``--actor`` tried and the register's nearest names, when it matched nothing."""
    from .actors import ActorRegister

    codes, ids = flt.actor_terms()
    tried = ", ".join([flt.actor.upper(), *codes, *ids]) + f", names containing {flt.actor!r}"
    near = [f"{h['name']} ({h['id']})" for h in ActorRegister.default().search(flt.actor, limit=5, cutoff=70.0)]
    return (f"no events for --actor {flt.actor!r} (tried {tried})"
            + (f"; near register matches: {'; '.join(near)}" if near else "; no near register match"))


@app.command()
def events(
    db: Path = typer.Option(Path("kronika.duckdb"), "--db", help="DuckDB file."),
    actor: Optional[str] = typer.Option(None, "--actor", help="Source or target: country code, actor id or name."),
    country: Optional[str] = typer.Option(None, "--country", help="Source or target country (ISO alpha-3)."),
    source: Optional[str] = typer.Option(None, "--source", help="Source country or actor id."),
    target: Optional[str] = typer.Option(None, "--target", help="Target country or actor id."),
    root: Optional[str] = typer.Option(None, "--root", help="CAMEO root 01 … 20, e.g. 08."),
    code: Optional[str] = typer.Option(None, "--code", help="CAMEO code prefix, e.g. 0841."),
    quad_class: Optional[int] = typer.Option(None, "--quad-class", help="QuadClass 1 … 4."),
    modality: Optional[str] = typer.Option(None, "--modality", help="asserted, planned, negated or hypothetical."),
    since: Optional[str] = typer.Option(None, "--since", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD."),
    until: Optional[str] = typer.Option(None, "--until", help="Up to this date (inclusive): YYYY[-MM[-DD]]."),
    text: Optional[str] = typer.Option(None, "--text", help="Words of the evidence sentence."),
    article_id: Optional[str] = typer.Option(None, "--article", help="Events of one article (its id)."),
    min_confidence: Optional[float] = typer.Option(None, "--min-confidence", min=0.0, max=1.0,
                                                   help="Only events of at least this confidence (0–1)."),
    bbox: Optional[str] = typer.Option(None, "--bbox", help="Located in the box lon0,lat0,lon1,lat1 (degrees)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many events."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many events first."),
    order: str = typer.Option("date", "--order", help="A column: date, goldstein, cameo, source, target, location, "
                                                      "quantity, modality, article… (-date: newest first)."),
    format: EventsFormat = typer.Option(EventsFormat.table, "--format", "-f", help="table, csv or jsonl."),
) -> None:
    """Query stored events (the filters of /api/events)."""
    from . import validate as v
    from .store import EventFilter, Store

    flt = EventFilter(actor=actor, country=_checked(country, v.check_country), source=source, target=target,
                      root=_checked(root, v.check_root), code=_checked(code, v.check_code),
                      quad_class=_checked(quad_class, v.check_quad), modality=_checked(modality, v.check_modality),
                      since=_checked(since, v.check_date, "--since"), until=_checked(until, v.check_date, "--until"),
                      text=text, article_id=article_id, min_confidence=min_confidence,
                      bbox=_checked(bbox, v.check_bbox))
    if limit is None and offset:
        limit = 10**9
    try:
        order = _checked(order, v.check_order)
        recs = Store(db, read_only=True).events(flt, limit=limit, offset=offset, order=order)
    except FileNotFoundError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2)
    if not recs and actor:
        _say(_no_actor_match(flt), "yellow")
    if format == EventsFormat.jsonl:  # the records of `kronika export --format jsonl`, with the article URL and title
        for r in Store(db, read_only=True).events_with_articles(flt, limit=limit, offset=offset, order=order):
            sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif format == EventsFormat.csv:  # the flat table of `kronika export --format csv` (docs/corpus.md)
        import pyarrow.csv as pacsv

        buf = io.BytesIO()
        pacsv.write_csv(Store(db, read_only=True).events_table(flt, limit=limit, offset=offset, order=order), buf)
        sys.stdout.write(buf.getvalue().decode("utf-8"))
    else:
        out.print(_events_table(recs, title=_plural(len(recs), "event")))


@app.command()
def export(
    out_path: Path = typer.Argument(..., metavar="OUT", help="File to write (a folder with --partition-by-month)."),
    format: ExportFormat = typer.Option(..., "--format", "-f", help="csv, jsonl, parquet, gdelt or plover."),
    db: Path = typer.Option(Path("kronika.duckdb"), "--db", help="DuckDB file."),
    actor: Optional[str] = typer.Option(None, "--actor", help="Country code, actor id or name."),
    root: Optional[str] = typer.Option(None, "--root", help="CAMEO root, e.g. 08."),
    since: Optional[str] = typer.Option(None, "--since", help="YYYY[-MM[-DD]]"),
    until: Optional[str] = typer.Option(None, "--until", help="YYYY[-MM[-DD]]"),
    partition_by_month: bool = typer.Option(False, "--partition-by-month",
                                            help="parquet: a directory of month=YYYY-MM/ partitions."),
) -> None:
    """Write events to OUT: csv, jsonl, parquet (one flat table), gdelt (GDELT 2.0 event
    table, one row per corpus event) or plover (PLOVER JSON Lines)."""
    from .store import EventFilter, Store

    flt = EventFilter(actor=actor, root=root, since=since, until=until)
    n = Store(db, read_only=True).export(out_path, format.value, flt, partition_by_month=partition_by_month)
    what = "corpus events" if format == ExportFormat.gdelt else "events"
    _say(f"{n} {what} written to {out_path}")


@app.command("eval")
def eval_cmd(
    gold: Path = typer.Argument(..., help="Gold JSON Lines (GUIDELINES.md), or a timex gold with --timex."),
    focus: Optional[str] = typer.Option(None, "--focus", help="main: report only focus=main figures."),
    show_errors: bool = typer.Option(False, "--show-errors", help="Print the missed and wrong events after the figures."),
    timex: bool = typer.Option(False, "--timex", help="Score temporal expressions instead of events."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    triggers: TriggerMode = typer.Option(TriggerMode.both, "--triggers", help=TRIGGERS_HELP),
) -> None:
    """Score kronika against gold annotations (events: at the default minimum confidence 0.5,
    with precision and recall at other thresholds beside)."""
    if timex:
        from .evaluate_timex import score_timex

        trep = score_timex(gold)
        sys.stdout.write((json.dumps(trep.to_dict(), indent=2) if as_json else trep.to_text()) + "\n")
        return
    from .evaluate_en import evaluate_any

    from .extraction.classifier import configured

    with configured(mode=triggers.value):
        rep = evaluate_any(gold)  # articles, PETRARCH-2, PLOVER or CASE 2021: by the file's fields
    if as_json:
        sys.stdout.write(json.dumps(rep.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(rep.to_text(show_errors=show_errors, focus=focus) + "\n")


@app.command()
def timex(
    text_or_file: str = typer.Argument(..., metavar="TEXT|FILE", help="Words to read, or a file holding them."),
    published: str = typer.Option(..., "--published", help="Publication date YYYY-MM-DD (or YYYY-MM)."),
    lang: str = typer.Option("fr", "--lang", help="Language of the text: fr or en."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Print the temporal expressions of a text with their offsets and values."""
    from datetime import date

    from .timex import timex_table

    p = Path(text_or_file)
    text = p.read_text(encoding="utf-8") if len(text_or_file) < 4096 and p.is_file() else text_or_file
    from .validate import check_date

    pub = _checked(published, check_date, "--published")
    if len(pub) == 4:
        _say("error: --published needs at least a month: YYYY-MM or YYYY-MM-DD", "red")
        raise typer.Exit(2)
    rows = timex_table(text, date.fromisoformat(pub if len(pub) == 10 else pub + "-01"), lang,
                       "day" if len(pub) == 10 else "month")
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    t = Table(title=_plural(len(rows), "temporal expression") + f" (published {published})")
    for col in ("start", "end", "text", "type", "value", "precision", "relative"):
        t.add_column(col)
    for r in rows:
        t.add_row(str(r["start"]), str(r["end"]), r["text"], r["type"], str(r["value"]), str(r.get("precision")),
                  "yes" if r["relative"] else "")
    out.print(t)


@app.command()
def actors(
    query: Optional[str] = typer.Argument(None, help="Name, alias or id to look for (all actors without it)."),
    db: Path = typer.Option(Path("kronika.duckdb"), "--db", help="DuckDB file."),
    register: bool = typer.Option(False, "--register", help="Search the actor register instead of the database."),
    limit: int = typer.Option(50, "--limit", help="At most this many actors."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    register_file: Optional[list[Path]] = typer.Option(None, "--register-file", help=REGISTER_HELP),
) -> None:
    """List actors with their country, sector, aliases, roles and event counts."""
    _use_register(register_file)
    if register:
        from .actors import ActorRegister

        rows = ActorRegister.default().search(query or "", limit=limit)
    else:
        from .store import Store

        try:
            rows = Store(db, read_only=True).actors(query, limit=limit)
        except FileNotFoundError as exc:
            _say(f"error: {exc}")
            raise typer.Exit(2)
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    t = Table(title=_plural(len(rows), "actor"))
    for col in ("id", "name", "country", "sector", "events", "aliases", "roles"):
        t.add_column(col, overflow="fold")
    for r in rows:
        roles = "; ".join(
            f"{x.get('title', '')} {x.get('country', '')} {x.get('sector', '')} {x.get('start') or ''}–{x.get('end') or ''}"
            for x in (r.get("roles") or [])[:3]
        )
        t.add_row(r["id"], str(r.get("name") or ""), str(r.get("country") or ""), str(r.get("sector") or ""),
                  str(r.get("n_events", "")), ", ".join((r.get("aliases") or [])[:4]), roles)
    out.print(t)


@app.command()
def serve(
    db: Path = typer.Option(Path("kronika.duckdb"), "--db", help="DuckDB file."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Serve the web explorer and the HTTP API over a database (read-only)."""
    import uvicorn

    from .server.app import create_app
    from .store import StorageError, Store, StoreBusy

    try:  # a damaged or foreign file is said now; the server still starts (/api/health: 503, the same line)
        Store(db, read_only=True, wait=0.5).summary()
    except (StorageError, FileNotFoundError) as exc:
        _say(f"warning: {exc}", "yellow")
    except StoreBusy:
        pass
    _say(f"kronika explorer on http://{host}:{port}/  (API docs: /docs)")
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning", access_log=False)


from .cli_corpus import register as _register_corpus  # noqa: E402  (corpus, dyads, track, sql)

_register_corpus(app, out, err)

from .cli_model import register as _register_model  # noqa: E402  (train)

_register_model(app, out, err)

if __name__ == "__main__":  # pragma: no cover
    app()
