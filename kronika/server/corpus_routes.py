"""Corpus routes of the explorer (issue 12): corpus events, dyads, countries, trackers.

Thin layers over the ``Store`` corpus methods, with the same safety rules as app.py
(validated parameters, bounded pages, 404s for unknown ids, every Store call through
``call`` with its deadline)."""

from __future__ import annotations

from typing import Any, Callable, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from ..store import EventFilter
from . import corpus_views, schemas, tables
from .explore_routes import FORMAT_Q, Format, tabular

COUNTRY_RE = r"^[A-Za-z]{2,3}$"
DATE_RE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
CE_RE = r"^ce-[0-9a-f]{1,40}$"
CorpusOrder = Literal["date", "-date", "articles"]
TrackerName = Literal["sanctions", "detainees"]


def add_corpus_routes(app: FastAPI, store: Any, call: Callable, render: Callable, event_filter: Callable,
                      max_limit: int, responses: dict, not_found: dict, roots: Callable) -> None:

    # --- API --------------------------------------------------------------------------------

    @app.get("/api/corpus", tags=["api"], responses=responses, response_model=schemas.CorpusPage,
             summary="Corpus events (one action, many reports)")
    async def api_corpus(flt: EventFilter = Depends(event_filter),
                         min_articles: int = Query(1, ge=1, le=1000, description="Reported by at least N articles"),
                         limit: int | None = Query(None, ge=1, le=max_limit, description="Default 50"),
                         offset: int = Query(0, ge=0, le=10_000_000),
                         order: CorpusOrder = Query("date"), format: Format = FORMAT_Q):
        """Corpus events with a report matching the filters: ``id, cameo, root, source, target,
        date, date_precision, first_reported, num_mentions, num_sources, num_articles,
        article_ids, event_ids`` and the evidence ``sentences``."""
        if format != "json":
            rows = await call(store.corpus, flt, limit=limit, offset=offset, min_articles=min_articles, order=order)
            return tabular(rows, format, "corpus")
        limit = limit or 50
        total = await call(store.count_corpus, flt, min_articles=min_articles)
        rows = await call(store.corpus, flt, limit=limit, offset=offset, min_articles=min_articles, order=order)
        return {"total": total, "limit": limit, "offset": offset, "corpus_events": rows}

    @app.get("/api/corpus/{cid}", tags=["api"], responses=not_found, response_model=schemas.CorpusEventDetail,
             summary="One corpus event and its reports")
    async def api_corpus_event(cid: str) -> dict:
        ce = await call(store.corpus_event, cid) if len(cid) <= 60 else None
        if ce is None:
            raise HTTPException(404, f"no corpus event {cid!r}")
        return ce

    @app.get("/api/dyads", tags=["api"], responses=responses, response_model=schemas.Dyads,
             summary="Country dyads, most active first")
    async def api_dyads(flt: EventFilter = Depends(event_filter),
                        either: bool = Query(False, description="A→B and B→A together"),
                        limit: int | None = Query(None, ge=1, le=max_limit, description="Default 100"),
                        offset: int = Query(0, ge=0, le=10_000_000), format: Format = FORMAT_Q):
        rows = await call(store.dyads, flt, either=either, limit=limit or (10**9 if format != "json" else 100),
                          offset=offset)
        return tabular(rows, format, "dyads") if format != "json" else {"either": either, "dyads": rows}

    @app.get("/api/dyads/{a}/{b}", tags=["api"], responses=responses, response_model=schemas.DyadSeries,
             summary="Monthly series of a country dyad")
    async def api_dyad(a: str, b: str, either: bool = Query(True), since: str | None = Query(None, pattern=DATE_RE),
                       until: str | None = Query(None, pattern=DATE_RE)) -> dict:
        """Every month of the span (empty ones too): events, corpus events, mean Goldstein;
        year-only reports apart (``years``), day reports as points (``days``)."""
        _country(a), _country(b)
        return await call(store.dyad_series, a, b, either=either, since=since, until=until)

    @app.get("/api/countries/{code}", tags=["api"], responses=responses, response_model=schemas.Country,
             summary="A country as one identity")
    async def api_country(code: str) -> dict:
        """Its actors (state, government, people, groups), partner countries and months."""
        _country(code)
        return await call(store.country, code)

    @app.get("/api/track/{tracker}", tags=["api"], responses=responses, response_model=schemas.Tracks,
             summary="Sanctions or detainees timelines")
    async def api_track(tracker: TrackerName, flt: EventFilter = Depends(event_filter), format: Format = FORMAT_Q):
        """Timelines by subject; CSV / JSON Lines (``/api/track/sanctions.csv``): one row per stage."""
        timelines = await call(store.track, tracker, flt)
        if format != "json":
            rows = [{**{f"subject_{k}": v for k, v in (g.get("subject") or {}).items()}, **e}
                    for g in timelines for e in g.get("entries", [])]
            return tabular(rows, format, tracker)
        return {"tracker": tracker, "timelines": timelines}

    # --- pages ------------------------------------------------------------------------------

    @app.get("/corpus", response_class=HTMLResponse, include_in_schema=False)
    async def page_corpus(request: Request, flt: EventFilter = Depends(event_filter),
                          min_articles: int = Query(1, ge=1, le=1000), limit: int = Query(50, ge=1, le=max_limit),
                          offset: int = Query(0, ge=0, le=10_000_000), order: CorpusOrder = Query("date")):
        total = await call(store.count_corpus, flt, min_articles=min_articles)
        rows = await call(store.corpus, flt, limit=limit, offset=offset, min_articles=min_articles, order=order)
        q = {k: v for k, v in flt.__dict__.items() if v not in (None, "")}
        extra = {"min_articles": min_articles if min_articles != 1 else None, "order": order if order != "date" else None}
        link = tables.Link("/corpus", {**q, **extra, "limit": limit if limit != 50 else None})
        return render("corpus.html", request, title="Corpus events", rows=rows, total=total, flt=flt,
                      roots=roots(), min_articles=min_articles, offset=offset, limit=limit,
                      pages=tables.pager(total, limit, offset, link),
                      dl=tables.downloads("/api/corpus", {**q, **extra}, {"limit": limit, "offset": offset or None}))

    @app.get("/corpus/{cid}", response_class=HTMLResponse, include_in_schema=False)
    async def page_corpus_event(request: Request, cid: str):
        ce = await call(store.corpus_event, cid) if len(cid) <= 60 else None
        if ce is None:
            raise HTTPException(404, f"No corpus event {cid!r} in this database.")
        return render("corpus_event.html", request, title=f"Corpus event {ce['id']}", ce=ce)

    @app.get("/dyads", response_class=HTMLResponse, include_in_schema=False)
    async def page_dyads(request: Request, country: str | None = Query(None, pattern=COUNTRY_RE),
                         either: bool = Query(True), limit: int = Query(100, ge=1, le=max_limit)):
        rows = await call(store.dyads, EventFilter(country=country), either=either, limit=limit)
        return render("dyads.html", request, title="Dyads", rows=rows, country=country or "", either=either)

    @app.get("/dyads/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    async def page_dyad(request: Request, a: str, b: str, either: bool = Query(True),
                        since: str | None = Query(None, pattern=DATE_RE), until: str | None = Query(None, pattern=DATE_RE)):
        _country(a), _country(b)
        series = await call(store.dyad_series, a, b, either=either, since=since, until=until)
        cevs = await call(store.corpus, EventFilter(source=a, target=b, since=since, until=until), limit=200)
        if either:
            cevs += await call(store.corpus, EventFilter(source=b, target=a, since=since, until=until), limit=200)
            cevs = sorted({c["id"]: c for c in cevs}.values(), key=lambda c: (c.get("date") or c["first_reported"]))
        return render("dyad.html", request, title=f"{a.upper()}–{b.upper()}", a=a.upper(), b=b.upper(),
                      either=either, series=series, chart=corpus_views.time_chart(series), cevs=cevs)

    @app.get("/countries/{code}", response_class=HTMLResponse, include_in_schema=False)
    async def page_country(request: Request, code: str):
        _country(code)
        c = await call(store.country, code)
        return render("country.html", request, title=code.upper(), c=c, chart=corpus_views.time_chart(c))

    @app.get("/track/{tracker}", response_class=HTMLResponse, include_in_schema=False)
    async def page_track(request: Request, tracker: TrackerName, flt: EventFilter = Depends(event_filter)):
        timelines = await call(store.track, tracker, flt)
        axis = corpus_views.track_axis(timelines)  # one real time axis for every subject
        return render("track.html", request, title=tracker.capitalize(), tracker=tracker, timelines=timelines, axis=axis,
                      actor=flt.actor or "")


def _country(code: str) -> str:
    import re

    if not re.match(COUNTRY_RE, code or ""):
        raise HTTPException(404, f"no country {code!r} (ISO alpha-3 or organisation code)")
    return code.upper()
