"""Plain records that flow between the stages of kronika.

reader → NLP → extraction → resolution (actors, time, place) → store → query/serve.
Every stage takes and returns these records; none of them knows about DuckDB or HTTP.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass
class Article:
    """One dated article. ``text`` is the body; every offset in kronika refers to it."""

    id: str
    published: str  # YYYY-MM-DD or YYYY-MM, as given by the source
    text: str
    lang: str = "fr"
    url: str | None = None
    title: str | None = None
    source_path: str | None = None  # file the article came from
    source_line: int | None = None  # line number in a JSONL file

    @property
    def published_date(self) -> date:
        """The publication date as a date (first of the month for YYYY-MM)."""
        parts = self.published.split("-")
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1)
        return date.fromisoformat(self.published)


@dataclass
class Actor:
    """A resolved actor mention: what the text says and who it is."""

    text: str  # the words of the article naming the actor
    name: str | None = None  # canonical name
    country: str | None = None  # ISO 3166-1 alpha-3 or an organisation code (UNO, EUR…)
    sector: str | None = None  # GOV, MIL, OPP… (GUIDELINES §3)
    id: str | None = None  # stable actor id, e.g. "country:BLR", "person:alexandre-loukachenko"
    start: int | None = None  # offsets of ``text`` in the body
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Place:
    """A place resolved to GeoNames."""

    place: str | None  # the name as the gazetteer knows it (None for a whole country)
    country: str | None  # ISO alpha-3
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    precision: str = "country"  # city | region | country
    text: str | None = None  # words of the article

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Mention:
    """One place in the text where an event is reported."""

    sentence: str
    start: int
    end: int
    trigger: str
    trigger_start: int
    trigger_end: int


@dataclass
class Event:
    """One coded event. The JSON form is the contract of GUIDELINES.md plus provenance."""

    article_id: str
    published: str
    lang: str
    cameo: str
    root: str
    quad_class: int
    goldstein: float
    plover_type: str | None
    source: Actor | None
    target: Actor | None
    date: str | None
    modality: str
    quantity: int | None
    location: Place | None
    sentence: str
    start: int
    end: int
    trigger: str
    cameo_name: str = ""
    plover_mode: str | None = None
    date_precision: str | None = None  # day | month | year | None
    date_inferred: bool = False  # the date is not in the sentence: the story's day (lead date, else publication)
    attribution: Actor | None = None  # who reported it ("Viasna a indiqué que…")
    trigger_start: int | None = None
    trigger_end: int | None = None
    mentions: list[Mention] = field(default_factory=list)
    event_id: str | None = None
    corpus_event_id: str | None = None  # set when stored (kronika/corpus/cluster.py); null from `extract`
    confidence: float = 1.0  # 0–1: the trigger model's and the argument back-off's certainty

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return d
