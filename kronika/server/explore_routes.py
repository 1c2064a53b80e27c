"""Explorer routes of issue 14 item 10: the articles list, the problems page, facet counts and
downloads (CSV, JSON, JSON Lines) of every list route with the current filters.

Also the zoomable map page (kronika/server/mapview.py) and the /docs page (OpenAPI with
its examples). Downloads: ``/api/NAME.csv`` (or ``.jsonl``, ``.json``) is ``/api/NAME?format=csv``, for the
list routes of ``SUFFIX_ROUTES``; CSV and JSON Lines give every row matching the filters
(``limit``/``offset`` only when given), JSON the usual paged answer. Thin layers over the
``Store`` methods the CLI calls, with app.py's safety rules."""

from __future__ import annotations

import json
from typing import Any, Callable, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..corpus.formats import records_csv
from ..store import ARTICLE_ORDERS, EventFilter
from . import mapview, schemas, tables, views, world

SUFFIX_ROUTES = ("/api/events", "/api/articles", "/api/actors", "/api/problems", "/api/locations",
                 "/api/corpus", "/api/dyads", "/api/facets")
Format = Literal["json", "csv", "jsonl"]
FORMAT_Q = Query("json", description="json (this page), csv or jsonl (every matching row; "
                                     "also /api/NAME.csv and /api/NAME.jsonl)")
DATE_RE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
TEXT_RE = r"^[^\x00-\x1f\x7f]*$"
ARTICLE_ORDER_RE = "^(" + "|".join(o.replace("-", r"\-") for o in ARTICLE_ORDERS) + ")$"


def rewrite_suffix(scope: dict) -> None:
    """``/api/events.csv?…`` → ``/api/events?…&format=csv`` (the same for .jsonl and .json)."""
    path = scope.get("path", "")
    for ext in ("csv", "jsonl", "json"):
        base = path[: -len(ext) - 1]
        if path.endswith("." + ext) and (base in SUFFIX_ROUTES or base in ("/api/track/sanctions", "/api/track/detainees")):
            scope["path"] = path[: -len(ext) - 1]
            qs = scope.get("query_string", b"")
            scope["query_string"] = (qs + b"&" if qs else b"") + f"format={ext}".encode()
            return


def tabular(rows: list[dict], fmt: str, name: str) -> Response:
    """Rows as a CSV or JSON Lines download named ``name``."""
    if fmt == "csv":
        return Response(records_csv(rows) if rows else "", media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    body = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
    return Response(body, media_type="application/x-ndjson; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.jsonl"'})


def csv_table(table: Any, name: str) -> Response:
    """An Arrow table (the flat event table of ``kronika export``) as a CSV download."""
    import io

    import pyarrow.csv as pacsv

    buf = io.BytesIO()
    pacsv.write_csv(table, buf)
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def add_explore_routes(app: FastAPI, store: Any, call: Callable, render: Callable, event_filter: Callable,
                       max_limit: int, busy: dict, roots: Callable, filter_query: Callable) -> None:

    # --- API --------------------------------------------------------------------------------

    @app.get("/api/articles", tags=["api"], responses=busy, response_model=schemas.ArticlePage,
             summary="Articles: titles, URLs, dates and event counts")
    async def api_articles(q: str | None = Query(None, max_length=200, pattern=TEXT_RE,
                                                 description="Words of the title, id or URL"),
                           lang: str | None = Query(None, pattern=r"^[a-z]{2,3}$"),
                           since: str | None = Query(None, pattern=DATE_RE, description="Published from"),
                           until: str | None = Query(None, pattern=DATE_RE, description="Published up to"),
                           order: str = Query("-published", pattern=ARTICLE_ORDER_RE,
                                              description="published, title, n_events, id, lang, url (- descending)"),
                           limit: int | None = Query(None, ge=1, le=max_limit, description="Default 100"),
                           offset: int = Query(0, ge=0, le=10_000_000), format: Format = FORMAT_Q):
        """Article headers (no text), newest first; see /api/articles/{article_id} for one article."""
        lim = limit or (10**9 if format != "json" else 100)
        body = await call(store.article_list, q=q, lang=lang, since=since, until=until, order=order,
                          limit=lim, offset=offset)
        if format != "json":
            return tabular(body["articles"], format, "articles")
        return {"total": body["total"], "limit": lim, "offset": offset, "order": order, "articles": body["articles"]}

    @app.get("/api/problems", tags=["api"], responses=busy, response_model=schemas.ProblemPage,
             summary="What ingest skipped or warned about")
    async def api_problems(level: str | None = Query(None, pattern=r"^[a-z]{1,20}$", description="error, warning…"),
                           run_id: str | None = Query(None, max_length=60, pattern=r"^[0-9A-Za-z-]*$"),
                           limit: int | None = Query(None, ge=1, le=max_limit, description="Default 50"),
                           offset: int = Query(0, ge=0, le=10_000_000), format: Format = FORMAT_Q):
        """Each problem once, with the run that first met it (``run_id``), newest first."""
        lim = limit or (10**9 if format != "json" else 50)
        body = await call(store.problem_list, level=level, run_id=run_id, limit=lim, offset=offset)
        if format != "json":
            return tabular(body["problems"], format, "problems")
        return {"limit": lim, "offset": offset, **body}

    @app.get("/api/facets", tags=["api"], responses=busy, response_model=schemas.Facets,
             summary="Counts of the matching events by root, country and month")
    async def api_facets(flt: EventFilter = Depends(event_filter), limit: int = Query(20, ge=1, le=200),
                         format: Format = FORMAT_Q):
        """``root`` and ``country`` (source or target): most frequent first; ``month``: every
        month of the span, empty ones too; ``years``: events dated to the year only."""
        total = await call(store.count_events, flt)
        body = {"total": total, **await call(store.facets, flt, limit=limit)}
        if format != "json":
            rows = [{"facet": k, **v} for k in ("root", "country", "month", "years") for v in body[k]]
            return tabular(rows, format, "facets")
        return body

    # --- pages ------------------------------------------------------------------------------

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    async def page_articles(request: Request, q: str | None = Query(None, max_length=200, pattern=TEXT_RE),
                            lang: str | None = Query(None, pattern=r"^[a-z]{2,3}$"),
                            since: str | None = Query(None, pattern=DATE_RE),
                            until: str | None = Query(None, pattern=DATE_RE),
                            order: str = Query("-published", pattern=ARTICLE_ORDER_RE),
                            limit: int = Query(50, ge=1, le=max_limit), offset: int = Query(0, ge=0, le=10_000_000)):
        body = await call(store.article_list, q=q, lang=lang, since=since, until=until, order=order,
                          limit=limit, offset=offset)
        params = {"q": q, "lang": lang, "since": since, "until": until}
        link = tables.Link("/articles", {**params, "order": None if order == "-published" else order,
                                         "limit": None if limit == 50 else limit})
        cols = [("Published", "published", "date"), ("Title", "title", ""), ("Lang", "lang", ""),
                ("Events", "n_events", "num"), ("URL", "url", ""), ("Id", "id", "")]
        return render("articles.html", request, title="Articles", rows=body["articles"], total=body["total"],
                      af=params, heads=tables.sort_headers(cols, order, link, default="-published"),
                      pages=tables.pager(body["total"], limit, offset, link),
                      dl=tables.downloads("/api/articles", {**params, "order": order},
                                          {"limit": limit, "offset": offset or None}))

    @app.get("/problems", response_class=HTMLResponse, include_in_schema=False)
    async def page_problems(request: Request, level: str | None = Query(None, pattern=r"^[a-z]{1,20}$"),
                            run_id: str | None = Query(None, max_length=60, pattern=r"^[0-9A-Za-z-]*$"),
                            limit: int = Query(50, ge=1, le=max_limit), offset: int = Query(0, ge=0, le=10_000_000)):
        body = await call(store.problem_list, level=level, run_id=run_id, limit=limit, offset=offset)
        params = {"level": level, "run_id": run_id}
        link = tables.Link("/problems", {**params, "limit": None if limit == 50 else limit})
        return render("problems.html", request, title="Problems", rows=body["problems"], total=body["total"],
                      runs=body["runs"], level=level or "", run_id=run_id or "",
                      pages=tables.pager(body["total"], limit, offset, link),
                      dl=tables.downloads("/api/problems", params, {"limit": limit, "offset": offset or None}))

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    async def page_map(request: Request, flt: EventFilter = Depends(event_filter),
                       extent: Literal["fit", "world"] = Query("fit")) -> HTMLResponse:
        locs = await call(store.locations, flt, limit=max_limit)
        pts = [(float(r["lon"]), float(r["lat"])) for r in locs if r["lat"] is not None and r["lon"] is not None]
        ext = views.WORLD if extent == "world" else views.fit_extent(pts)
        vb = mapview.viewbox(ext)
        table = tables.Link("/", {k: v for k, v in flt.__dict__.items() if k != "bbox"})
        lv = mapview.levels(locs, table)
        return render(
            "map.html", request, title="Map", flt=flt, locations=locs, roots=roots(), width=int(mapview.WIDTH),
            height=int(mapview.HEIGHT), viewbox=" ".join(f"{v:g}" for v in vb),
            levels=lv, shown=mapview.pick(lv, mapview.WIDTH / vb[2]), grid=views.graticule(views.WORLD, mapview.WIDTH, mapview.HEIGHT),
            land="" if world.has_outlines() else views.land_path(views.WORLD, mapview.WIDTH, mapview.HEIGHT),
            borders=world.world_path(mapview.WIDTH, mapview.HEIGHT), extent=extent,
            world_link="/map?" + filter_query(flt, extent="world"), fit_link="/map?" + filter_query(flt),
            events_link="/?" + filter_query(flt),
            dl=tables.downloads("/api/locations", {k: v for k, v in flt.__dict__.items()}),
        )

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def page_docs(request: Request) -> HTMLResponse:
        spec = app.openapi()
        comps = spec.get("components", {}).get("schemas", {})
        routes = []
        for path, ops in spec.get("paths", {}).items():
            for method, op in ops.items():
                params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                           "desc": p.get("description") or "",
                           "schema": json.dumps(p.get("schema", {}), ensure_ascii=False)}
                          for p in op.get("parameters", [])]
                ref = (op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
                       .get("schema", {}).get("$ref", ""))
                model = ref.rsplit("/", 1)[-1] if ref else None
                examples = (comps.get(model, {}).get("examples") or []) if model else []
                routes.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                               "desc": op.get("description", ""), "params": params, "model": model,
                               "tries": schemas.EXAMPLE_REQUESTS.get(path, []),
                               "example": json.dumps(examples[0], ensure_ascii=False, indent=2) if examples else None})
        return render("docs.html", request, title="API", routes=routes)
