"""Temporal expressions: find them in a text and resolve them against the publication date.

Contract
--------
``find_timexes(text, published, lang)`` returns the temporal expressions of ``text`` as
:class:`Timex` records, sorted by offset and never overlapping, with TIMEX3-style values
("2025-12-13", "2025-12", "2025", "2025-W50", "2025-12-13TEV", "P2Y", "PAST_REF" …).
Offsets always lie inside ``text`` and ``text[start:end] == timex.text``. It never raises on
arbitrary input text.

The code knows no word of any language: vocabularies and patterns live in
``kronika/lang/<lang>/timex.yaml``. Patterns are regular expressions with placeholders
(``{months}``, ``{weekdays}``, ``{EDGE}`` …) filled from those tables; each pattern has a
*kind* telling this module how to turn its named groups into a value.

Resolution rules (news reports the past):
* a bare weekday is the most recent such day on or before publication, unless its sentence
  carries a future cue of the language (then the next one on or after); "prochain" → next,
  "dernier" → strictly before, "ce" → same ISO week;
* a day and month without year take the publication year unless that lands more than
  ~2 months after publication (then the previous year);
* "lendemain"/"veille" and clock times count from the last day-precise date of the text
  (or the publication date).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from .resolve import _Ctx, _resolve
from .tables import Timex, _load_lang, _norm_key

__all__ = ["Timex", "find_timexes", "sequence_prepositions", "timex_table"]

# ----------------------------------------------------------------------------- public API


def find_timexes(text: str, published: date, lang: str = "fr", published_precision: str = "day") -> list[Timex]:
    """Temporal expressions of ``text`` resolved against ``published``.

    Returns non-overlapping :class:`Timex` records sorted by ``start``; the longest match wins
    where patterns overlap. ``lang`` selects ``kronika/lang/<lang>/timex.yaml`` (French when
    the language has no table). Never raises on arbitrary text.

    ``published_precision="month"`` (an article dated ``YYYY-MM``): see :func:`_month_dated`.
    """
    if published_precision == "month":
        return _month_dated(text, published, lang)
    return _find(text, published, lang)


def _month_dated(text: str, published: date, lang: str) -> list[Timex]:
    """Expressions of an article dated to a month only: each is resolved against the first and
    the last day of that month; where the two agree (an explicit date, "le mois dernier") the
    value stands, where they differ the expression depends on the unknown day ("mardi",
    "hier", "il y a trois jours") and is cut to the publication month (precision month) when
    either reading falls in that month, else to what both readings share (the year), else no
    value. So no day is ever invented."""
    first = published.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    month = f"{first.year:04d}-{first.month:02d}"
    late = {(t.start, t.end): t for t in _find(text, last, lang)}
    out: list[Timex] = []
    for t in _find(text, first, lang):
        o = late.get((t.start, t.end))
        if o is not None and o.value == t.value:
            out.append(t)
            continue
        a, b = t.event_date(), o.event_date() if o is not None else None
        if a is None and b is None and o is not None and t.type in ("DURATION", "SET"):
            out.append(t)  # a duration or a set is not a date; its value does not depend on the day
            continue
        if any(x and x.startswith(month) for x in (a, b)):
            value, precision = month, "month"
        elif a and b and a[:4] == b[:4]:
            value, precision = a[:4], "year"
        else:
            value, precision = None, None
        out.append(Timex(t.start, t.end, t.text, value, "DATE", True, precision, t.mod))
    return out


def _find(text: str, published: date, lang: str) -> list[Timex]:
    if not text or not isinstance(text, str):
        return []
    L = _load_lang(lang)
    base = _Ctx(text, published, published, False, L)
    cands: list[tuple[int, int, int, str, re.Match[str]]] = []
    for p in L.patterns:
        for m in p.regex.finditer(text):
            if m.end() <= m.start() or _norm_key(m.group(0)) in L.not_timex:
                continue
            if _resolve(base, p.kind, m) is None:
                continue
            cands.append((m.start(), m.end(), p.order, p.kind, m))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int, int, str, re.Match[str]]] = []
    for c in cands:
        if all(c[1] <= t[0] or c[0] >= t[1] for t in taken):
            taken.append(c)
    taken.sort(key=lambda c: c[0])
    out: list[Timex] = []
    ctx = _Ctx(text, published, published, False, L, {})
    for start, end, _order, kind, m in taken:
        res = _resolve(ctx, kind, m)
        if res is None:
            continue
        value, typ, relative, precision, mod = res
        # trim surrounding whitespace/punctuation so the span is the words themselves
        while end > start and text[end - 1] in " \t\n,;:":
            end -= 1
        out.append(Timex(start, end, text[start:end], value, typ, relative, precision, mod))
        if precision == "day" and value and re.match(r"^\d{4}-\d{2}-\d{2}", value):
            ctx.anchor = date.fromisoformat(value[:10])
            ctx.anchor_from_text = True
    return out


def sequence_prepositions(lang: str = "fr") -> frozenset[str]:
    """Prepositions that put an event before or after another ("après", "avant", "depuis"):
    a time expression inside such a phrase dates that phrase's event, not the clause's."""
    return _load_lang(lang).sequence_preps


def timex_table(text: str, published: date, lang: str = "fr", published_precision: str = "day") -> list[dict[str, Any]]:
    """Rows for the ``kronika timex`` command: one dict per expression (with event_date)."""
    return [t.to_dict() for t in find_timexes(text, published, lang, published_precision)]
