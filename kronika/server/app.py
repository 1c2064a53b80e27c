"""The kronika web explorer and HTTP API (FastAPI), served by ``kronika serve``.

Every route calls the same ``kronika.store.Store`` methods as the CLI, on a store opened
read-only. Safety rules:

- parameters are validated (types, ranges, regular expressions) so that bad input gives a
  422, unknown articles / actors a 404, never a 500; page sizes are bounded (``limit`` ≤ 1000);
- every Store call runs in a worker thread with a deadline (``query_timeout``, 10 s): past
  it, or when an ingest holds the file longer than ``store_wait``, the answer is a 503 with
  a ``Retry-After`` header;
- the SQL is parameterised by the Store; pages are Jinja2 templates with autoescape and the
  JavaScript only sets ``textContent``; a Content-Security-Policy forbids inline scripts
  and any origin but the server itself (everything is offline).
"""

from __future__ import annotations

import asyncio
import json
import math
from contextlib import asynccontextmanager
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qsl, urlencode

import duckdb
import jinja2
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import store as store_mod
from ..store import ORDERS, EventFilter, StorageError, Store, StoreBusy
from . import corpus_views, errors, explore_routes, schemas, tables, views
from .schemas import Message

HERE = Path(__file__).resolve().parent
MAX_LIMIT = store_mod.MAX_PAGE  # 1000
MAX_OFFSET = 10_000_000
RETRY_AFTER = "2"

DATE_RE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
TEXT_RE = r"^[^\x00-\x1f\x7f]*$"  # no control characters
COUNTRY_RE = r"^[A-Za-z]{2,4}$"  # ISO alpha-3 or an organisation code (UNO, NATO)
ROOT_RE = r"^\d{1,2}$"
CODE_RE = r"^\d{1,4}$"
ID_RE = r"^[^\x00-\x1f\x7f]{1,300}$"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class Unavailable(Exception):
    """The store could not answer (locked by a writer, slow query, missing file: ``retry``,
    a ``Retry-After`` header; damaged or foreign file: no retry will help, no header)."""

    def __init__(self, detail: str, retry: bool = True):
        super().__init__(detail)
        self.detail = detail
        self.retry = retry


def _clean(x: Any) -> Any:
    """JSON-safe copy: NaN/inf become null, other odd types their string."""
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if x is None or isinstance(x, (str, int, bool)):
        return x
    return str(x)


class SafeJSONResponse(JSONResponse):
    """JSON that never fails on NaN, dates or decimals coming from the database."""

    def render(self, content: Any) -> bytes:
        return json.dumps(_clean(content), ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode("utf-8")


class PageResponse(HTMLResponse):
    """An HTML page rendered as it is sent: ``make()`` runs through ``run`` (the server's
    pool, with its deadline); past the deadline the answer is ``unavailable(detail)``."""

    def __init__(self, make: Callable[[], str], run: Callable[..., Any],
                 unavailable: Callable[[str], Response], status_code: int = 200) -> None:
        super().__init__(b"", status_code=status_code)
        self._make, self._run, self._unavailable = make, run, unavailable

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[override]
        try:
            html = await self._run(self._make)
        except Unavailable as exc:
            resp = self._unavailable(exc.detail)
            if exc.retry:
                resp.headers["Retry-After"] = RETRY_AFTER
            await resp(scope, receive, send)
            return
        self.body = html.encode("utf-8")
        self.headers["content-length"] = str(len(self.body))
        await super().__call__(scope, receive, send)


# --- query parameters shared by the API and the pages ------------------------------------


def event_filter(
    actor: str | None = Query(None, max_length=200, pattern=TEXT_RE,
                              description="Country code, actor id or words of an actor's name"),
    country: str | None = Query(None, pattern=COUNTRY_RE, description="Source or target country (ISO alpha-3)"),
    source: str | None = Query(None, max_length=200, pattern=TEXT_RE, description="Source country or actor id"),
    target: str | None = Query(None, max_length=200, pattern=TEXT_RE, description="Target country or actor id"),
    code: str | None = Query(None, pattern=CODE_RE, description="CAMEO code prefix, e.g. 08 or 0841"),
    root: str | None = Query(None, pattern=ROOT_RE, description="CAMEO root, 01 … 20"),
    quad_class: int | None = Query(None, ge=1, le=4, description="1 verbal coop., 2 material coop., "
                                                                 "3 verbal conflict, 4 material conflict"),
    since: str | None = Query(None, pattern=DATE_RE, description="YYYY, YYYY-MM or YYYY-MM-DD"),
    until: str | None = Query(None, pattern=DATE_RE, description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)"),
    text: str | None = Query(None, max_length=200, pattern=TEXT_RE, description="Words of the evidence sentence"),
    article_id: str | None = Query(None, max_length=300, pattern=TEXT_RE),
    modality: str | None = Query(None, pattern=r"^[a-z_]{1,30}$"),
    bbox: str | None = Query(None, max_length=100, description="Events located in the box lon0,lat0,lon1,lat1 "
                                                               "(degrees; what a map circle opens)"),
    min_confidence: float | None = Query(None, ge=0.0, le=1.0, description="Events of at least this confidence (0–1)"),
) -> EventFilter:
    """The EventFilter of the request (empty strings mean no filter); values are checked as
    the CLI checks them (kronika/validate.py: root 01–20, real dates…), a bad one is a 422."""
    errors.check_filter({"root": root, "code": code, "since": since, "until": until, "modality": modality,
                         "bbox": bbox})
    return EventFilter(
        actor=actor or None, country=country or None, source=source or None, target=target or None,
        code=code or None, root=root or None, quad_class=quad_class, since=since or None,
        until=until or None, text=text or None, article_id=article_id or None, modality=modality or None,
        bbox=bbox or None, min_confidence=min_confidence,
    )


ORDER_RE = "^(" + "|".join(o.replace("-", r"\-") for o in ORDERS) + ")$"
ORDER_Q = Query("date", pattern=ORDER_RE, description="A column: date, published, cameo, root, quad_class, "
                "goldstein, source, source_country, target, target_country, modality, quantity, location, article, "
                "evidence; -column for descending (-date: newest first)")
ACTOR_ORDER_RE = "^(" + "|".join(o.replace("-", r"\-") for o in store_mod.ACTOR_ORDERS) + ")$"
EVENT_COLUMNS = [("Date", "date", "date"), ("Event", "cameo", ""), ("Goldstein", "goldstein", "num"),
                 ("Source", "source", ""), ("", None, ""),
                 ("Target", "target", ""), ("Mod.", "modality", ""), ("Qty", "quantity", "num"),
                 ("Location", "location", ""), ("Evidence", "evidence", "")]


BUSY = {503: {"model": Message, "description": "Database busy (an ingest is writing), slow query or no "
                                                 "database; see the Retry-After header"}}
NOT_FOUND = {404: {"model": Message, "description": "No such article or actor"}, **BUSY}


def _filter_query(flt: EventFilter, **extra: Any) -> str:
    """The query string of a filter (for links between pages)."""
    d = {k: v for k, v in flt.__dict__.items() if v not in (None, "")}
    d.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(d)


def _roots() -> list[tuple[str, str]]:
    """(code, name) of the 20 CAMEO roots, for the filter forms."""
    from ..ontology import load_ontology

    return [(c.code, c.name) for c in sorted(load_ontology().roots(), key=lambda c: c.code)]


def create_app(db_path: str | Path = "kronika.duckdb", query_timeout: float = 10.0,
               store_wait: float = 8.0, workers: int = 8) -> FastAPI:
    """The explorer over the database ``db_path``, opened read-only for each query.

    ``query_timeout``: seconds a Store call may take before the request gets a 503;
    ``store_wait``: seconds a call waits for a writer to release the file (then 503)."""
    store = Store(db_path, read_only=True, wait=store_wait)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kronika-query")
    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # pragma: no cover - exercised by uvicorn
        yield
        pool.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        lifespan=lifespan,
        title="kronika",
        version="0.1.0",
        description="Political events (CAMEO/PLOVER) coded from dated news, with their evidence. "
                    "Read-only API over a kronika DuckDB file.",
        default_response_class=SafeJSONResponse,
        docs_url=None, redoc_url=None,  # the Swagger UI needs a CDN; /docs is our own page
    )
    app.state.store = store
    app.state.db_path = str(db_path)

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,
    )
    env.globals.update(QUAD_NAMES=views.QUAD_NAMES, goldstein_colour=views.goldstein_colour, urlencode=urlencode,
                       dl_for=tables.downloads)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    async def call(fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """Run a Store call in the pool with a deadline; map store trouble to Unavailable."""
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(pool, partial(fn, *args, **kw))
        try:
            return await asyncio.wait_for(fut, timeout=query_timeout)
        except asyncio.TimeoutError:
            raise Unavailable(f"query took longer than {query_timeout:g} s") from None
        except StorageError as exc:  # damaged, foreign, table-less file: its one line, as the CLI says it
            raise Unavailable(str(exc), retry=False) from None
        except StoreBusy:
            raise Unavailable("the database is busy (an ingest is writing); retry shortly") from None
        except FileNotFoundError:
            raise Unavailable("no database yet (run `kronika ingest` first)") from None
        except (duckdb.InvalidInputException, duckdb.ConversionException) as exc:
            raise RequestValidationError([{"loc": ["query"], "msg": f"invalid parameter: {exc}",
                                           "type": "value_error"}]) from None
        except duckdb.Error as exc:
            raise Unavailable(f"database error: {type(exc).__name__}") from None

    def render_now(name: str, request: Request, status: int = 200, **ctx: Any) -> HTMLResponse:
        """A page rendered on the calling thread (error pages: small and fixed)."""
        html = env.get_template(name).render(request=request, path=request.url.path, **ctx)
        return HTMLResponse(html, status_code=status)

    def render(name: str, request: Request, status: int = 200, **ctx: Any) -> HTMLResponse:
        """A page whose template is rendered when it is sent, in the worker pool under the
        query deadline, never on the event loop: one heavy page cannot stall the others."""
        make = partial(env.get_template(name).render, request=request, path=request.url.path, **ctx)
        return PageResponse(make, call, lambda detail: render_now(
            "error.html", request, status=503, status_code=503, title="Temporarily unavailable", message=detail),
            status_code=status)

    def is_api(request: Request) -> bool:
        p = request.url.path
        return p.startswith("/api/") or p == "/openapi.json"

    # --- errors -----------------------------------------------------------------------

    @app.exception_handler(Unavailable)
    async def _unavailable(request: Request, exc: Unavailable) -> Response:
        headers = {"Retry-After": RETRY_AFTER} if exc.retry else {}
        if is_api(request):
            return SafeJSONResponse({"detail": exc.detail}, status_code=503, headers=headers)
        resp = render_now("error.html", request, status=503, status_code=503, title="Temporarily unavailable",
                      message=exc.detail)
        resp.headers.update(headers)
        return resp

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if isinstance(exc.detail, str) and len(exc.detail) > 400:  # never echo a 100 KB id back
            exc.detail = exc.detail[:400] + "…"
        if is_api(request) or exc.status_code < 400:
            return SafeJSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                    headers=getattr(exc, "headers", None))
        return render_now("error.html", request, status=exc.status_code, status_code=exc.status_code,
                      title="Not found" if exc.status_code == 404 else "Error", message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        raw = dict(request.query_params)
        found = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in exc.errors()]
        for e in found:  # the plain-language message of the CLI (kronika/validate.py) beside pydantic's
            name = str(e["loc"][-1]) if e["loc"] else ""
            e["message"] = errors.plain_message(name, raw.get(name), e["msg"])
        if is_api(request):
            return SafeJSONResponse({"detail": found}, status_code=422)
        form = errors.form_of(request.url.path)
        return render_now("error.html", request, status=422, status_code=422, title="Invalid parameters",
                      message=" ".join(e["message"] for e in found), messages=[e["message"] for e in found],
                      bad={str(e["loc"][-1]) for e in found if e["loc"]}, form=form,
                      flt=errors.raw_filter(raw), af=raw, roots=_roots() if form in ("events", "map", "corpus") else [])

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable) -> Response:
        if is_api(request):
            explore_routes.rewrite_suffix(request.scope)  # /api/events.csv is /api/events?format=csv
        elif request.scope.get("query_string"):
            # HTML forms send empty fields ("quad_class="): on pages they mean "no filter"
            pairs = parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True)
            request.scope["query_string"] = urlencode([(k, v) for k, v in pairs if v != ""]).encode("latin-1")
        resp = await call_next(request)
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        return resp

    # --- API ------------------------------------------------------------------------------

    @app.get("/api/health", tags=["api"], responses=BUSY, response_model=schemas.Health,
             summary="Liveness and database summary")
    async def api_health() -> dict:
        """``ok`` with the numbers of articles and events; 503 if the database cannot be read,
        with one line naming the file and the cause (busy, missing, damaged, foreign…)."""
        summary = await call(store.summary)
        return {"status": "ok", "database": Path(store.path).name, **summary}

    @app.get("/api/events", tags=["api"], responses={**BUSY, 200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
             response_model=schemas.EventPage, summary="Events, filtered, sorted and paginated")
    async def api_events(
        flt: EventFilter = Depends(event_filter),
        limit: int | None = Query(None, ge=1, le=MAX_LIMIT, description="Page size (JSON: default 50)"),
        offset: int = Query(0, ge=0, le=MAX_OFFSET),
        order: str = ORDER_Q,
        format: explore_routes.Format = explore_routes.FORMAT_Q,
    ):
        """Event records (same shape as ``kronika extract``) matching the filters; ``total``
        counts every match. ``format=csv`` (or ``/api/events.csv``) gives every matching event
        as the flat table of ``kronika events --format csv``; ``jsonl`` the records with the
        article URL and title, one a line (those of ``kronika events -f jsonl``)."""
        if format == "csv":
            table = await call(store.events_table, flt, limit=limit, offset=offset, order=order)
            return explore_routes.csv_table(table, "events")
        if format == "jsonl":
            rows = await call(store.events_with_articles, flt, limit=limit or 10**9, offset=offset, order=order)
            return explore_routes.tabular(rows, "jsonl", "events")
        limit = limit or 50
        total = await call(store.count_events, flt)
        events = await call(store.events, flt, limit=limit, offset=offset, order=order)
        return {"total": total, "limit": limit, "offset": offset, "order": order, "events": events}

    explore_routes.add_explore_routes(app, store, call, render, event_filter, MAX_LIMIT, BUSY, _roots, _filter_query)

    async def one(fetch, key: str, kind: str) -> dict:
        """One record by id through the Store, or a 404 naming what is missing."""
        if len(key) > 300:
            raise HTTPException(404, f"no such {kind}")
        found = await call(fetch, key)
        if found is None:
            raise HTTPException(404, f"no {kind} {views.shown_id(key)}")
        return found

    @app.get("/api/articles/{article_id:path}", tags=["api"], responses=NOT_FOUND, response_model=schemas.Article,
             summary="One article, its text and its events")
    async def api_article(article_id: str) -> dict:
        """The article with its text and its events; each event has its evidence span
        (``start``/``end``), its trigger span (``trigger_start``/``trigger_end``) and
        ``mentions`` (other places of the text reporting it). 404 if unknown."""
        found = await one(store.article, article_id, "article")
        # megabytes of text and thousands of events: encoded in the pool, not on the event loop
        return Response(await call(SafeJSONResponse(None).render, found), media_type="application/json")

    @app.get("/api/actors", tags=["api"], responses=BUSY, response_model=schemas.ActorPage,
             summary="Actors seen in events, most active first")
    async def api_actors(q: str | None = Query(None, max_length=200, pattern=TEXT_RE,
                                               description="Words of a name or alias, an id, or a country"),
                         limit: int | None = Query(None, ge=1, le=MAX_LIMIT, description="Default 100"),
                         offset: int = Query(0, ge=0, le=MAX_OFFSET),
                         order: str = Query("-n_events", pattern=ACTOR_ORDER_RE,
                                            description="name, id, kind, country, sector, n_events, n_source, "
                                                        "n_target (- descending)"),
                         format: explore_routes.Format = explore_routes.FORMAT_Q):
        lim = limit or (10**9 if format != "json" else 100)
        actors = await call(store.actors, q or None, limit=lim, offset=offset, order=order)
        if format != "json":
            return explore_routes.tabular(actors, format, "actors")
        return {"limit": lim, "offset": offset, "actors": actors}

    @app.get("/api/actors/{actor_id:path}", tags=["api"], responses=NOT_FOUND, response_model=schemas.ActorDetail,
             summary="One actor, its partners and events")
    async def api_actor(actor_id: str) -> dict:
        """The actor, its partners (event counts and mean Goldstein) and up to 500 events. 404 if unknown."""
        return await one(store.actor, actor_id, "actor")

    @app.get("/api/stats", tags=["api"], responses=BUSY, response_model=schemas.Series,
             summary="Event counts and mean Goldstein per month, on a real time axis")
    async def api_stats(
        actor: str | None = Query(None, max_length=200, pattern=TEXT_RE, description="Country code or actor id"),
        partner: str | None = Query(None, max_length=200, pattern=TEXT_RE,
                                    description="Second actor of a dyad (both directions); alone, "
                                                "the same as actor"),
        country: str | None = Query(None, pattern=COUNTRY_RE, description="Source or target country"),
    ) -> dict:
        """Every month of the span, empty ones too (``n_events``, ``n_corpus_events``,
        ``mean_goldstein``, ``n_cooperation``, ``n_conflict``), reports dated to the year only
        apart (``years``) and day-dated reports (``days``); for an actor, a dyad (actor +
        partner, both directions) or a country."""
        if partner and not actor:  # a dyad with one side open: every event of the partner
            actor, partner = partner, None
        return await call(store.series, actor=actor or None, partner=partner or None, country=country or None)

    @app.get("/api/locations", tags=["api"], responses=BUSY, response_model=schemas.Locations,
             summary="Event locations (for the map)")
    async def api_locations(flt: EventFilter = Depends(event_filter),
                            limit: int = Query(500, ge=1, le=MAX_LIMIT),
                            format: explore_routes.Format = explore_routes.FORMAT_Q):
        """Places of the matching events with their counts, mean Goldstein and first events."""
        locs = await call(store.locations, flt, limit=limit)
        if format != "json":
            return explore_routes.tabular(locs, format, "locations")
        return {"locations": locs}

    # --- pages ----------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page_events(
        request: Request,
        flt: EventFilter = Depends(event_filter),
        limit: int = Query(50, ge=1, le=MAX_LIMIT),
        offset: int = Query(0, ge=0, le=MAX_OFFSET),
        order: str = ORDER_Q,
    ) -> HTMLResponse:
        total = await call(store.count_events, flt)
        events = await call(store.events, flt, limit=limit, offset=offset, order=order)
        summary = await call(store.summary)
        facets = await call(store.facets, flt)
        q = {k: v for k, v in flt.__dict__.items() if v not in (None, "")}
        link = tables.Link("/", {**q, "order": None if order == "date" else order, "limit": None if limit == 50 else limit})
        return render(
            "events.html", request, title="Events", flt=flt, events=events, total=total, limit=limit,
            offset=offset, order=order, roots=_roots(), summary=summary,
            pages=tables.pager(total, limit, offset, link), heads=tables.sort_headers(EVENT_COLUMNS, order, link),
            facets=tables.facet_links(facets, link, flt), unbox=link.with_(bbox=None, offset=None),
            dl=tables.downloads("/api/events", {**q, "order": None if order == "date" else order},
                                {"limit": limit, "offset": offset or None}),
            map_link="/map?" + _filter_query(flt),
        )

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    async def page_article(request: Request, article_id: str,
                           focus: str | None = Query(None, max_length=400),
                           part: int | None = Query(None, ge=1, le=100_000,
                                                    description="Part of a long text (1 is the first)")) -> HTMLResponse:
        art = await call(store.article, article_id) if len(article_id) <= 300 else None
        if art is None:
            raise HTTPException(404, f"No article {views.shown_id(article_id)} in this database.")
        ctx = await call(views.article_page, art, part, focus)  # highlighting in the pool, too
        return render("article.html", request, title=art.get("title") or art["id"], art=art, focus=focus,
                            **ctx)

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    async def page_actors(request: Request,
                          q: str | None = Query(None, max_length=200, pattern=TEXT_RE),
                          order: str = Query("-n_events", pattern=ACTOR_ORDER_RE),
                          limit: int = Query(100, ge=1, le=MAX_LIMIT),
                          offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> HTMLResponse:
        actors = await call(store.actors, q or None, limit=limit, offset=offset, order=order)
        total = await call(store.count_actors, q or None)
        link = tables.Link("/actors", {"q": q, "order": None if order == "-n_events" else order,
                                       "limit": None if limit == 100 else limit})
        cols = [("Actor", "name", ""), ("Id", "id", ""), ("Kind", "kind", ""), ("Country", "country", ""),
                ("Sector", "sector", ""), ("Events", "n_events", "num"), ("as source", "n_source", "num"),
                ("as target", "n_target", "num")]
        return render("actors.html", request, title="Actors", actors=actors, q=q or "", total=total,
                      heads=tables.sort_headers(cols, order, link, default="-n_events"),
                      pages=tables.pager(total, limit, offset, link, default_limit=100))

    @app.get("/actors/{actor_id:path}", response_class=HTMLResponse, include_in_schema=False)
    async def page_actor(request: Request, actor_id: str,
                         partner: str | None = Query(None, max_length=200, pattern=TEXT_RE)) -> HTMLResponse:
        act = await call(store.actor, actor_id) if len(actor_id) <= 300 else None
        if act is None:
            raise HTTPException(404, f"No actor {views.shown_id(actor_id)} in this database.")
        country_id = actor_id.startswith("country:")  # a country: its government, people and groups too
        series = await call(store.series, country=actor_id[8:]) if country_id else await call(store.series, actor=actor_id)
        chosen = partner or (act["partners"][0]["partner"] if act["partners"] else "")
        months = series["months"]
        span = {"since": months[0]["month"], "until": months[-1]["month"]} if months else {}
        dyad = await call(store.series, actor=actor_id, partner=chosen, **span) if chosen else None
        return render("actor.html", request, title=act.get("name") or act["id"], act=act,
                      bars=corpus_views.time_chart(series), partner=chosen,
                      dyad_chart=corpus_views.time_chart(dyad) if dyad else None,
                      dyad_n=sum(m["n_events"] for m in dyad["months"]) + sum(y["n_events"] for y in dyad["years"])
                      if dyad else 0,
                      events_link="/?" + urlencode({"country": actor_id[8:]} if country_id else {"actor": actor_id}))

    from .corpus_routes import add_corpus_routes  # corpus events, dyads, countries, trackers (issue 12)

    add_corpus_routes(app, store, call, render, event_filter, MAX_LIMIT, BUSY, NOT_FOUND, _roots)

    from ..store.connection import shared_reader
    from .cache import AnswerCache  # API answers kept while the file cannot have changed

    app.add_middleware(AnswerCache, reader=lambda: shared_reader(store.path))

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg")

    return app
