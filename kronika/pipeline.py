"""The whole path for one article: NLP → extraction → resolution (actors, time, place).

``extract`` is the Python entry point users call; ``extract_article`` is what ``kronika
extract``, ``kronika ingest`` and the distributed path run for each article.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from .model import Article, Event

log = logging.getLogger(__name__)


@dataclass
class ArticleResult:
    """What one article gives: its events, the roles learned from it and its actors."""

    article: Article
    events: list[Event] = field(default_factory=list)
    learned: list[Any] = field(default_factory=list)
    actors: list[dict] = field(default_factory=list)
    error: str | None = None


@lru_cache(maxsize=4)
def _coder(lang: str):
    from .extraction.coder import Coder

    return Coder(lang)


def _published_date(published: str | date) -> date:
    if isinstance(published, date):
        return published
    parts = str(published).split("-")
    if len(parts) == 2:
        return date(int(parts[0]), int(parts[1]), 1)
    return date.fromisoformat(str(published))


def extract_article(article: Article) -> ArticleResult:
    """Code one article. Never raises for the content of the article: an internal error is
    returned in ``error`` so that a batch goes on."""
    from .actors import ActorRegister, DocumentActors
    from .extraction.coder import coding_rules
    from .extraction.context import DocContext
    from .nlp import parse
    from .places import Gazetteer
    from .timex import find_timexes

    published = _published_date(article.published)
    doc = parse(article.text, article.lang)
    register = ActorRegister.default()
    actors = DocumentActors(register, published=published, lang=article.lang, article_id=article.id)
    actors.observe(doc)
    timexes = find_timexes(article.text, published, lang=article.lang)
    coder = _coder(article.lang)
    ctx = DocContext(doc, published, actors, timexes, Gazetteer.default(), coder.g, coding_rules(), article.lang)
    events = coder.code_document(doc, article, ctx)
    ids = {a.id for e in events for a in (e.source, e.target) if a is not None and a.id}
    described = []
    for aid in sorted(ids):
        d = register.describe(aid)
        if d is None:
            ev_actor = next(a for e in events for a in (e.source, e.target) if a is not None and a.id == aid)
            d = {"id": aid, "name": ev_actor.name, "kind": aid.split(":", 1)[0], "country": ev_actor.country,
                 "sector": ev_actor.sector, "aliases": [], "roles": []}
        described.append(d)
    return ArticleResult(article=article, events=events, learned=list(actors.learned), actors=described)


def extract(text: str, published: str | date, lang: str = "fr", article_id: str = "text") -> list[Event]:
    """Events of one text published on ``published`` (``YYYY-MM-DD``)."""
    pub = published.isoformat() if isinstance(published, date) else str(published)
    art = Article(id=article_id, published=pub, text=text, lang=lang)
    return extract_article(art).events


def warm_up(langs: tuple[str, ...] = ("fr",)) -> None:
    """Load models and tables once (before timing, or in each worker)."""
    from .actors import ActorRegister
    from .nlp import load_pipeline
    from .places import Gazetteer

    for lang in langs:
        load_pipeline(lang)
        _coder(lang)
    ActorRegister.default()
    Gazetteer.default()
