"""The whole path for one article: NLP → extraction → resolution (actors, time, place).

``extract`` is the Python entry point users call; ``extract_article`` is what ``kronika
extract``, ``kronika ingest`` and the distributed path run for each article.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Sequence

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


CHUNK_CHARS = 100_000  # longest text given to spaCy at once (nlp.max_length is 1,000,000)
PIPE_BATCH = 32  # texts per nlp.pipe batch in extract_articles


def split_chunks(text: str, limit: int | None = None) -> list[tuple[int, str]]:
    """Cut ``text`` into ``(offset, chunk)`` pieces of at most ``limit`` characters.

    Cuts fall on a paragraph break (blank line) when there is one in the second half of the
    window, else on a line break, a sentence end (". "), a space, and only as a last resort
    in the middle of a word. Concatenating the chunks gives back ``text`` exactly, so an
    offset ``i`` in a chunk is ``offset + i`` in the full text. A text within the limit is
    one chunk.
    """
    limit = limit or CHUNK_CHARS
    out: list[tuple[int, str]] = []
    pos, n = 0, len(text)
    while n - pos > limit:
        window = text[pos:pos + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            k = window.rfind(sep, limit // 2)
            if k > 0:
                cut = k + len(sep)
                break
        if cut <= 0:
            cut = limit
        out.append((pos, text[pos:pos + cut]))
        pos += cut
    out.append((pos, text[pos:]))
    return out


def _shift_actor(a: Any, delta: int) -> None:
    if a is not None and getattr(a, "start", None) is not None:
        a.start += delta
        if a.end is not None:
            a.end += delta


def _shift_event(ev: Event, delta: int) -> None:
    """Move an event's offsets (sentence, trigger, actors, mentions) by ``delta`` characters."""
    if not delta:
        return
    ev.start += delta
    ev.end += delta
    if ev.trigger_start is not None:
        ev.trigger_start += delta
    if ev.trigger_end is not None:
        ev.trigger_end += delta
    for a in (ev.source, ev.target, ev.attribution):
        _shift_actor(a, delta)
    for m in ev.mentions:
        m.start += delta
        m.end += delta
        m.trigger_start += delta
        m.trigger_end += delta


def _code_doc(article: Article, doc: Any, actors: Any, published: date) -> list[Event]:
    """Events of one parsed text (an article or one chunk of it; offsets relative to ``doc``)."""
    from .extraction.coder import coding_rules
    from .extraction.context import DocContext
    from .places import Gazetteer
    from .timex import find_timexes

    actors.observe(doc)
    precision = "month" if len(str(article.published)) == 7 else "day"  # " date 2025-12 ": no day known
    timexes = find_timexes(doc.text, published, lang=article.lang, published_precision=precision)
    coder = _coder(article.lang)
    ctx = DocContext(doc, published, actors, timexes, Gazetteer.default(), coder.g, coding_rules(), article.lang,
                     published_precision=precision)
    return coder.code_document(doc, article, ctx)


def _describe(register: Any, events: list[Event]) -> list[dict]:
    ids = {a.id for e in events for a in (e.source, e.target) if a is not None and a.id}
    described = []
    for aid in sorted(ids):
        d = register.describe(aid)
        if d is None:
            ev_actor = next(a for e in events for a in (e.source, e.target) if a is not None and a.id == aid)
            d = {"id": aid, "name": ev_actor.name, "kind": aid.split(":", 1)[0], "country": ev_actor.country,
                 "sector": ev_actor.sector, "aliases": [], "roles": []}
        described.append(d)
    return described


def _new_actors(article: Article, published: date) -> tuple[Any, Any]:
    from .actors import ActorRegister, DocumentActors

    register = ActorRegister.default()
    return register, DocumentActors(register, published=published, lang=article.lang, article_id=article.id)


def _foreign(article: Article, events: list[Event], published: date) -> list[Event]:
    """Passages in another language kronika reads ("French text with embedded English
    tweets", :func:`kronika.langid.foreign_passages`) are read with their own language's
    pipeline and actor tables: the main-language events coded inside them are replaced by
    the passage's own events (``lang`` is the passage's), offsets shifted into the article.
    ``KRONIKA_FOREIGN_PASSAGES=skip`` drops them instead (the reader warns either way)."""
    import os

    from .langid import foreign_passages
    from .nlp import parse

    spans = foreign_passages(article.text, article.lang)
    if not spans:
        return events
    kept = [ev for ev in events if not any(s <= ev.start < e for s, e, _ in spans)]
    if os.environ.get("KRONIKA_FOREIGN_PASSAGES", "read") == "skip":
        return kept
    for s, e, lang in spans:
        part = Article(id=article.id, published=article.published, text=article.text[s:e], lang=lang,
                       url=article.url, title=article.title)
        _, actors = _new_actors(part, published)
        for ev in _code_doc(part, parse(part.text, lang), actors, published):
            _shift_event(ev, s)
            kept.append(ev)
    kept.sort(key=lambda ev: (ev.start, ev.trigger_start or 0))
    for n, ev in enumerate(kept):
        ev.event_id = f"{article.id}#{n}"
    return kept


def _result(article: Article, doc: Any) -> ArticleResult:
    """Code an article whose whole text is parsed in ``doc``."""
    published = _published_date(article.published)
    register, actors = _new_actors(article, published)
    events = _foreign(article, _code_doc(article, doc, actors, published), published)
    return ArticleResult(article=article, events=events, learned=list(actors.learned),
                         actors=_describe(register, events))


def extract_article(article: Article) -> ArticleResult:
    """Code one article. Never raises for the content of the article: an internal error is
    returned in ``error`` so that a batch goes on.

    A text longer than ``CHUNK_CHARS`` is cut by :func:`split_chunks` (paragraph breaks
    first); each chunk is parsed and coded on its own and every offset is shifted back into
    the full text, so callers see one article. The ``DocumentActors`` object is shared by
    the chunks: the people and roles learned in one chunk resolve names in the later ones,
    but the article's "main country" (used for unnamed actors such as "le gouvernement") is
    re-estimated on each chunk. Temporal expressions are resolved per chunk, each against
    the publication date. Event ids are numbered over the whole article.
    """
    from .nlp import parse

    if len(article.text) <= CHUNK_CHARS:
        return _result(article, parse(article.text, article.lang))
    published = _published_date(article.published)
    register, actors = _new_actors(article, published)
    events: list[Event] = []
    for offset, chunk in split_chunks(article.text):
        if not chunk.strip():
            continue
        part = Article(id=article.id, published=article.published, text=chunk, lang=article.lang,
                       url=article.url, title=article.title, source_path=article.source_path,
                       source_line=article.source_line)
        for ev in _foreign(part, _code_doc(part, parse(chunk, article.lang), actors, published), published):
            _shift_event(ev, offset)
            events.append(ev)
    for n, ev in enumerate(events):
        ev.event_id = f"{article.id}#{n}"
    return ArticleResult(article=article, events=events, learned=list(actors.learned),
                         actors=_describe(register, events))


def safe_extract(article: Article) -> ArticleResult:
    """``extract_article`` that never raises: an internal error is returned in ``error``."""
    try:
        return extract_article(article)
    except Exception as exc:  # an NLP bug on one article must not stop the others
        log.exception("extraction failed on %s", article.id)
        return ArticleResult(article=article, error=f"{type(exc).__name__}: {exc}")


def extract_articles(articles: Sequence[Article], batch_size: int = PIPE_BATCH) -> list[ArticleResult]:
    """Code many articles, in order; the same results as ``extract_article`` on each.

    Short articles of one language are parsed together with spaCy's ``nlp.pipe`` (much
    faster than one call per text for many small articles), then coded one by one; long
    ones go through ``extract_article`` (chunking). Never raises: an article whose coding
    fails gets its ``error`` set; if a whole ``nlp.pipe`` batch fails, its articles are
    retried one at a time so that only the culprit fails.
    """
    from .nlp import load_pipeline

    results: dict[int, ArticleResult] = {}
    by_lang: dict[str, list[int]] = {}
    for i, a in enumerate(articles):
        if len(a.text) > CHUNK_CHARS:
            results[i] = safe_extract(a)
        else:
            by_lang.setdefault(a.lang, []).append(i)
    for lang, idx in by_lang.items():
        for k in range(0, len(idx), batch_size):
            part = idx[k:k + batch_size]
            try:
                docs = list(load_pipeline(lang).pipe([articles[i].text for i in part], batch_size=batch_size))
            except Exception:
                log.exception("nlp.pipe failed on a batch; coding its articles one by one")
                for i in part:
                    results[i] = safe_extract(articles[i])
                continue
            for i, doc in zip(part, docs):
                try:
                    results[i] = _result(articles[i], doc)
                except Exception as exc:
                    log.exception("extraction failed on %s", articles[i].id)
                    results[i] = ArticleResult(article=articles[i], error=f"{type(exc).__name__}: {exc}")
    return [results[i] for i in range(len(articles))]


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
