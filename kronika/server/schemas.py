"""Typed answers of the HTTP API (issue 14 item 11): pydantic models FastAPI puts in
``/openapi.json``, so that a client generator gets an ``Event`` class and every route's
answer. The fields are those of the JSON event record (README, "The event record"); each
model carries an example that ``/docs`` shows. Unknown extra fields are kept (``extra =
"allow"``): a newer database may add fields without breaking an older server."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class EventActor(_Model):
    """The source or target of an event."""

    id: Optional[str] = Field(None, description="Stable actor id: country:BLR, person:…, org:…, group:BLR:COP")
    text: Optional[str] = Field(None, description="The words of the article")
    name: Optional[str] = None
    country: Optional[str] = Field(None, description="ISO 3166-1 alpha-3 or organisation code (UNO, EUR, NATO…)")
    sector: Optional[str] = Field(None, description="GOV, MIL, COP, JUD, OPP, REB, CVL, HRI, BUS…")


class Location(_Model):
    place: Optional[str] = None
    country: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    geonameid: Optional[int] = None
    precision: Optional[str] = Field(None, description="city, region or country")


class Attribution(_Model):
    text: Optional[str] = Field(None, description="Who reported the event")
    country: Optional[str] = None


class Mention(_Model):
    """Another place of the text reporting the same action."""

    sentence: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    trigger: Optional[str] = None
    trigger_start: Optional[int] = None
    trigger_end: Optional[int] = None


EVENT_EXAMPLE = {
    "event_id": "000_999dded07df95737#0", "article_id": "000_999dded07df95737", "published": "2025-12-13",
    "lang": "fr", "cameo": "0841", "root": "08", "cameo_name": "Return, release person(s)", "quad_class": 2,
    "goldstein": 7.0, "plover_type": "RETREAT", "plover_mode": None,
    "source": {"id": "country:BLR", "text": "La Biélorussie", "name": "Biélorussie", "country": "BLR", "sector": "GOV"},
    "target": None, "attribution": None, "date": "2025-12-13", "date_precision": "day", "date_inferred": False,
    "modality": "asserted", "quantity": 123,
    "location": {"place": "Minsk", "country": "BLR", "lat": 53.9, "lon": 27.567, "geonameid": 625144,
                 "precision": "city"},
    "sentence": "La Biélorussie a libéré samedi 123 prisonniers.", "start": 0, "end": 47, "trigger": "libéré",
    "trigger_start": 17, "trigger_end": 23, "mentions": [], "corpus_event_id": "ce-3f2a9c01", "confidence": 0.93,
}


class Event(_Model):
    """One coded event, with its evidence (the same record as ``kronika extract``)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [EVENT_EXAMPLE]})

    event_id: str = Field(..., description="article_id#n")
    article_id: str
    published: Optional[str] = Field(None, description="Publication date of the article: YYYY-MM-DD or YYYY-MM")
    lang: Optional[str] = None
    cameo: str = Field(..., description='CAMEO code, a string ("0841")')
    root: str = Field(..., description='CAMEO root ("08")')
    cameo_name: Optional[str] = None
    quad_class: Optional[int] = Field(None, description="1 verbal coop., 2 material coop., 3 verbal conflict, "
                                                        "4 material conflict")
    goldstein: Optional[float] = Field(None, description="Goldstein value, -10 … +10")
    plover_type: Optional[str] = None
    plover_mode: Optional[str] = None
    source: Optional[EventActor] = None
    target: Optional[EventActor] = None
    attribution: Optional[Attribution] = None
    date: Optional[str] = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD; null when undated")
    date_precision: Optional[str] = Field(None, description="year, month or day")
    date_inferred: Optional[bool] = Field(None, description="The date is the story's day, not written in the sentence")
    modality: Optional[str] = Field(None, description="asserted, planned, negated or hypothetical")
    quantity: Optional[int] = Field(None, description="People affected, when the text says it")
    location: Optional[Location] = None
    sentence: Optional[str] = Field(None, description="The evidence sentence")
    start: Optional[int] = Field(None, description="Offset of the sentence in the article body")
    end: Optional[int] = None
    trigger: Optional[str] = None
    trigger_start: Optional[int] = None
    trigger_end: Optional[int] = None
    mentions: list[Mention] = Field(default_factory=list)
    corpus_event_id: Optional[str] = Field(None, description="The corpus event (one action across articles)")
    confidence: Optional[float] = Field(None, description="Confidence of the trigger, 0–1 (1.0: the lexicon alone)")


class EventPage(_Model):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"total": 1, "limit": 50, "offset": 0, "order": "date", "events": [EVENT_EXAMPLE]}]})

    total: int = Field(..., description="Every matching event (not only this page)")
    limit: int
    offset: int
    order: str
    events: list[Event]


class ArticleSummary(_Model):
    id: str
    published: Optional[str] = None
    lang: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None
    n_events: Optional[int] = None
    duplicate_of: Optional[str] = Field(None, description="The first copy, when this article is a copy")
    source_path: Optional[str] = None


ARTICLE_EXAMPLE = {"id": "000_999dded07df95737", "published": "2025-12-13", "lang": "fr",
                   "title": "La Biélorussie libère 123 prisonniers", "url": "https://example.org/a", "n_events": 6,
                   "duplicate_of": None, "source_path": "examples/000_999dded07df95737.txt"}


class ArticlePage(_Model):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"total": 1, "limit": 100, "offset": 0, "order": "-published", "articles": [ARTICLE_EXAMPLE]}]})

    total: int
    limit: int
    offset: int
    order: str
    articles: list[ArticleSummary]


class Article(ArticleSummary):
    """An article with its text and its events (spans included)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {**ARTICLE_EXAMPLE, "text": "La Biélorussie a libéré samedi 123 prisonniers.", "events": [EVENT_EXAMPLE]}]})

    text: Optional[str] = None
    text_hash: Optional[str] = None
    events: list[Event] = Field(default_factory=list)


class ActorSummary(_Model):
    id: str
    name: Optional[str] = None
    country: Optional[str] = None
    sector: Optional[str] = None
    kind: Optional[str] = None
    aliases: list[str] = Field(default_factory=list)
    roles: list[Any] = Field(default_factory=list)
    n_events: int = 0
    n_source: int = 0
    n_target: int = 0


ACTOR_EXAMPLE = {"id": "country:BLR", "name": "Biélorussie", "country": "BLR", "sector": "GOV", "kind": "country",
                 "aliases": ["Belarus", "Bélarus"], "roles": [], "n_events": 12, "n_source": 8, "n_target": 4}


class ActorPage(_Model):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"limit": 100, "offset": 0, "actors": [ACTOR_EXAMPLE]}]})

    limit: int
    offset: int
    actors: list[ActorSummary]


class Partner(_Model):
    partner: Optional[str] = None
    name: Optional[str] = None
    country: Optional[str] = None
    n_events: int = 0
    mean_goldstein: Optional[float] = None


class ActorDetail(ActorSummary):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {**ACTOR_EXAMPLE, "partners": [{"partner": "country:USA", "name": "USA", "country": "USA", "n_events": 3,
                                        "mean_goldstein": 2.3}], "events": [EVENT_EXAMPLE]}]})

    partners: list[Partner] = Field(default_factory=list)
    learned_roles: list[dict[str, Any]] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)


class Month(_Model):
    month: str = Field(..., description="YYYY-MM; every month of the span, the empty ones too")
    n_events: int
    n_corpus_events: Optional[int] = None
    mean_goldstein: Optional[float] = None
    n_cooperation: int = 0
    n_conflict: int = 0


class Year(_Model):
    year: str = Field(..., description="Reports dated to the year only")
    n_events: int
    n_corpus_events: Optional[int] = None
    mean_goldstein: Optional[float] = None


class Day(_Model):
    date: str
    goldstein: Optional[float] = None
    quad_class: Optional[int] = None
    corpus_event_id: Optional[str] = None
    event_id: Optional[str] = None


class Series(_Model):
    """A monthly series on a real time axis."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"actor": "country:USA", "partner": "country:BLR", "country": None,
         "months": [{"month": "2025-11", "n_events": 2, "n_corpus_events": 1, "mean_goldstein": 3.0,
                     "n_cooperation": 2, "n_conflict": 0},
                    {"month": "2025-12", "n_events": 0, "n_corpus_events": 0, "mean_goldstein": None,
                     "n_cooperation": 0, "n_conflict": 0}],
         "years": [{"year": "2025", "n_events": 1, "n_corpus_events": 1, "mean_goldstein": 1.0}],
         "days": [{"date": "2025-11-04", "goldstein": 3.0, "quad_class": 1, "corpus_event_id": "ce-1",
                   "event_id": "a#0"}]}]})

    actor: Optional[str] = None
    partner: Optional[str] = None
    country: Optional[str] = None
    months: list[Month]
    years: list[Year] = Field(default_factory=list)
    days: list[Day] = Field(default_factory=list)


class PlaceEvent(_Model):
    event_id: str
    article_id: str
    cameo: Optional[str] = None
    cameo_name: Optional[str] = None
    date: Optional[str] = None
    quad_class: Optional[int] = None


class Place(_Model):
    place: Optional[str] = None
    country: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    precision: Optional[str] = None
    n_events: int
    mean_goldstein: Optional[float] = None
    n_cooperation: int = 0
    n_conflict: int = 0
    events: list[PlaceEvent] = Field(default_factory=list)


class Locations(_Model):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{"locations": [
        {"place": "Minsk", "country": "BLR", "lat": 53.9, "lon": 27.567, "precision": "city", "n_events": 2,
         "mean_goldstein": -5.7, "n_cooperation": 0, "n_conflict": 2,
         "events": [{"event_id": "a#0", "article_id": "a", "cameo": "173", "cameo_name": "Arrest",
                     "date": "2025-12-13", "quad_class": 4}]}]}]})

    locations: list[Place]


class FacetValue(_Model):
    value: str
    n: int
    name: Optional[str] = None


class Facets(_Model):
    """Counts of the matching events by root, country (source or target) and month."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"total": 3, "root": [{"value": "17", "name": "COERCE", "n": 2}], "country": [{"value": "BLR", "n": 3}],
         "month": [{"value": "2025-11", "n": 1}, {"value": "2025-12", "n": 0}, {"value": "2026-01", "n": 2}],
         "years": []}]})

    total: int
    root: list[FacetValue]
    country: list[FacetValue]
    month: list[FacetValue]
    years: list[FacetValue] = Field(default_factory=list)


class Problem(_Model):
    at: Optional[str] = None
    run_id: Optional[str] = Field(None, description="The ingest run that first met it")
    path: Optional[str] = None
    line: Optional[int] = None
    level: Optional[str] = None
    message: Optional[str] = None


class ProblemPage(_Model):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"total": 1, "limit": 50, "offset": 0, "problems": [
            {"at": "2026-12-04 10:00:00", "run_id": "20261204T100000-ab12cd", "path": "corpus/bad.jsonl",
             "line": 3, "level": "error", "message": "line 3: not JSON"}],
         "runs": [{"run_id": "20261204T100000-ab12cd", "n": 1, "first_at": "2026-12-04 10:00:00"}]}]})

    total: int
    limit: int
    offset: int
    problems: list[Problem]
    runs: list[dict[str, Any]] = Field(default_factory=list)


class Health(_Model):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"status": "ok", "database": "kronika.duckdb", "articles": 8, "events": 41}]})

    status: str
    database: str
    articles: int
    events: int


class Message(BaseModel):
    """An error: what went wrong."""

    detail: Any


# Example requests shown by /docs (each is tested to answer 200 on a real database)
EXAMPLE_REQUESTS: dict[str, list[str]] = {
    "/api/health": ["/api/health"],
    "/api/events": ["/api/events?country=BLR&root=17&since=2025-01&limit=20",
                    "/api/events?actor=Lukashenko&order=-date", "/api/events.csv?quad_class=4&order=-goldstein"],
    "/api/facets": ["/api/facets?country=BLR"],
    "/api/articles": ["/api/articles?q=Minsk&order=-n_events", "/api/articles.csv"],
    "/api/articles/{article_id}": ["/api/articles/{article_id}"],
    "/api/actors": ["/api/actors?q=Loukachenko", "/api/actors.csv"],
    "/api/actors/{actor_id}": ["/api/actors/country:BLR"],
    "/api/stats": ["/api/stats?actor=country:USA&partner=country:BLR", "/api/stats?country=BLR"],
    "/api/locations": ["/api/locations?root=14"],
    "/api/problems": ["/api/problems?level=error", "/api/problems.csv"],
    "/api/corpus": ["/api/corpus?country=BLR&min_articles=2"],
    "/api/dyads": ["/api/dyads?either=true", "/api/dyads/BLR/USA"],
    "/api/countries/{code}": ["/api/countries/BLR"],
    "/api/track/{tracker}": ["/api/track/detainees"],
}


# --- corpus routes (kronika/server/corpus_routes.py) ------------------------------------------


class CorpusEvent(_Model):
    """One real-world action across its reports (docs/corpus.md)."""

    id: str
    cameo: Optional[str] = None
    root: Optional[str] = None
    cameo_name: Optional[str] = None
    quad_class: Optional[int] = None
    goldstein: Optional[float] = None
    source: Optional[EventActor] = None
    target: Optional[EventActor] = None
    date: Optional[str] = None
    date_precision: Optional[str] = None
    first_reported: Optional[str] = None
    quantity: Optional[int] = None
    num_mentions: int = 0
    num_sources: int = 0
    num_articles: int = 0
    article_ids: list[str] = Field(default_factory=list)
    event_ids: list[str] = Field(default_factory=list)


CE_EXAMPLE = {"id": "ce-3f2a9c01", "cameo": "0841", "root": "08", "cameo_name": "Return, release person(s)",
              "quad_class": 2, "goldstein": 7.0, "source": {"id": "country:BLR", "name": "Biélorussie",
                                                            "country": "BLR", "sector": "GOV"},
              "target": None, "date": "2025-12-13", "date_precision": "day", "first_reported": "2025-12-13",
              "quantity": 123, "num_mentions": 3, "num_sources": 2, "num_articles": 2,
              "article_ids": ["a1", "a2"], "event_ids": ["a1#0", "a2#3"]}


class CorpusPage(_Model):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"total": 1, "limit": 50, "offset": 0, "corpus_events": [CE_EXAMPLE]}]})

    total: int
    limit: int
    offset: int
    corpus_events: list[CorpusEvent]


class CorpusEventDetail(CorpusEvent):
    events: list[Event] = Field(default_factory=list)
    articles: list[ArticleSummary] = Field(default_factory=list)


class Dyad(_Model):
    a: str
    b: str
    n_events: int
    n_corpus_events: int = 0
    mean_goldstein: Optional[float] = None
    n_cooperation: int = 0
    n_conflict: int = 0
    first: Optional[str] = None
    last: Optional[str] = None


class Dyads(_Model):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"either": True, "dyads": [{"a": "BLR", "b": "USA", "n_events": 4, "n_corpus_events": 3,
                                    "mean_goldstein": 3.1, "n_cooperation": 4, "n_conflict": 0,
                                    "first": "2025-09-11", "last": "2025-12-13"}]}]})

    either: bool
    dyads: list[Dyad]


class DyadSeries(_Model):
    a: Optional[str] = None
    b: Optional[str] = None
    either: Optional[bool] = None
    months: list[Month]
    years: list[Year] = Field(default_factory=list)
    days: list[Day] = Field(default_factory=list)


class Country(DyadSeries):
    country: str
    members: list[dict[str, Any]] = Field(default_factory=list)
    partners: list[dict[str, Any]] = Field(default_factory=list)


class Tracks(_Model):
    tracker: str
    timelines: list[dict[str, Any]]
