"""Temporal expressions, part 2: each pattern kind's resolver, turning a match's named
groups into a TIMEX3-style value against the publication date and the story's anchor."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from .tables import _FUTURE_DAYS, _Lang, _norm_key, _safe_date, _shift, _week_value, _year_of_2digits

# ----------------------------------------------------------------------------- resolution


@dataclass
class _Ctx:
    text: str
    pub: date
    anchor: date  # last day-precise date of the story so far
    anchor_from_text: bool
    lang: _Lang
    weekdays_seen: dict[int, date] | None = None  # bare weekday → date already given in this text


_Res = tuple[str | None, str, bool, str | None, str | None]  # value, type, relative, precision, mod


def _num(L: _Lang, g: dict[str, str | None]) -> str | None:
    """Number of a match: digits, a number word or "X" for vague quantities."""
    raw = g.get("num")
    if raw is None:
        return None
    raw = raw.strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", raw):
        v = float(raw.replace(",", "."))
        return str(int(v)) if v == int(v) else str(v)
    n = L.get("numbers", raw)
    if n is not None:
        return str(n)
    if L.get("vague_numbers", raw) is not None:
        return "X"
    return None


def _duration_value(n: str, unit: str) -> str:
    if unit in ("H", "MIN", "S"):
        return f"PT{n}{ {'H': 'H', 'MIN': 'M', 'S': 'S'}[unit] }".replace(" ", "")
    factor = {"DE": (10, "Y"), "CE": (100, "Y"), "Q": (3, "M"), "HALF": (6, "M")}.get(unit)
    if factor and n != "X":
        v = float(n) * factor[0]
        return f"P{int(v) if v == int(v) else v}{factor[1]}"
    if factor:
        return f"PX{factor[1]}"
    return f"P{n}{unit}"


def _pod_suffix(L: _Lang, g: dict[str, str | None]) -> tuple[str, str]:
    """("T…" suffix, type) from a part of day or a clock time in the match."""
    if g.get("hour"):
        h = int(g["hour"])
        ampm = (g.get("ampm") or "").lower()
        if ampm.startswith("p") and h < 12:
            h += 12
        elif ampm.startswith("a") and h == 12:
            h = 0
        mi = int(g["minute"]) if g.get("minute") else 0
        return f"T{h:02d}:{mi:02d}", "TIME"
    clock = L.get("clock_words", g.get("clock_word"))
    if clock is not None:
        return f"T{int(clock):02d}:00", "TIME"
    pod = L.get("parts_of_day", g.get("parts_of_day"))
    if pod == "MI":
        return "T12:00", "TIME"
    if pod:
        return f"T{pod}", "TIME"
    return "", "DATE"


def _sentence_of(text: str, start: int, end: int) -> str:
    a = max(text.rfind(c, 0, start) for c in ".!?\n")
    bs = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    return text[a + 1 : min(bs) if bs else len(text)]


_CUE_WINDOW = 40  # characters either side of the expression where a tense cue counts


def _has_future_cue(ctx: _Ctx, start: int, end: int) -> bool:
    """A future-tense cue of the language near the expression, within its sentence."""
    L = ctx.lang
    if L.future_cues is None:
        return False
    text = ctx.text
    a = max([text.rfind(c, 0, start) for c in ".!?\n"] + [start - _CUE_WINDOW - 1])
    bs = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0] + [end + _CUE_WINDOW]
    window = text[a + 1 : start] + " " + text[end : min(bs)]
    for m in L.future_cues.finditer(window):
        if _norm_key(m.group(0)) not in L.future_exceptions:
            return True
    return False


def _resolve_weekday(ctx: _Ctx, wd: int, direction: int | None, start: int, end: int) -> date:
    pub = ctx.pub
    back = (pub.weekday() - wd) % 7
    if direction == -1:
        return pub - timedelta(days=back or 7)
    fwd = (wd - pub.weekday()) % 7
    if direction == 1:
        return pub + timedelta(days=fwd or 7)
    if direction == 0:
        return pub + timedelta(days=wd - pub.weekday())
    if ctx.weekdays_seen is not None and wd in ctx.weekdays_seen:
        return ctx.weekdays_seen[wd]  # the same weekday again in one story is the same day
    if back and _has_future_cue(ctx, start, end):
        d = pub + timedelta(days=fwd)
    else:
        d = pub - timedelta(days=back)
    if ctx.weekdays_seen is not None:
        ctx.weekdays_seen[wd] = d
    return d


def _resolve_date(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    L, pub = ctx.lang, ctx.pub
    month = L.get("months", g.get("months"))
    wd = L.get("weekdays", g.get("weekdays"))
    direction = L.get("directions", g.get("directions"))
    if direction is None:
        direction = L.get("directions", g.get("dir0"))
    mod = L.get("edges", g.get("edges"))
    suffix, typ = _pod_suffix(L, g)
    year: int | None = None
    if g.get("year"):
        y = int(g["year"])
        year = _year_of_2digits(y, pub) if len(g["year"]) == 2 else y
    day: int | None = None
    if g.get("day"):
        raw = g["day"]
        day = int(raw) if raw.isdigit() else L.get("day_ordinals", raw)
        if day is None:
            day = L.get("numbers", raw)
    if month is not None and day is not None:
        if year is not None:
            d = _safe_date(year, month, day)
            if d is None:
                return None
            return d.isoformat() + suffix, typ, False, "day", mod
        cands = [c for c in (_safe_date(pub.year + k, month, day) for k in (-1, 0, 1)) if c]
        if not cands:
            return None
        if direction == -1:
            past = [c for c in cands if c < pub]
            d = max(past) if past else cands[0]
        elif direction == 1:
            fut = [c for c in cands if c > pub]
            d = min(fut) if fut else cands[-1]
        else:
            pool = cands
            if wd is not None:
                pool = [c for c in cands if c.weekday() == wd] or cands
            ok = [c for c in pool if c <= pub + timedelta(days=_FUTURE_DAYS)]
            d = max(ok) if ok else min(pool)
            if wd is None and d < pub and _has_future_cue(ctx, start, end):
                fut = [c for c in pool if c >= pub]
                d = min(fut) if fut else d
            elif wd is None and d < pub - timedelta(days=365 - _FUTURE_DAYS):
                nxt = _safe_date(d.year + 1, month, day)
                if nxt and nxt <= pub + timedelta(days=_FUTURE_DAYS):
                    d = nxt
        return d.isoformat() + suffix, typ, True, "day", mod
    if month is not None:
        if day is None and g.get("day") is not None:
            return None
        if year is not None:
            return f"{year:04d}-{month:02d}", "DATE", False, "month", mod
        if (
            L.bare_month_capitalised
            and not g.get("edges")
            and _norm_key(ctx.text[start:end]) == _norm_key(g["months"] or "")
            and not ctx.text[start : start + 1].isupper()
        ):
            return None
        if direction == -1:
            y = pub.year if month < pub.month else pub.year - 1
        elif direction == 1:
            y = pub.year if month > pub.month else pub.year + 1
        elif direction == 0:
            y = pub.year
        else:
            y = pub.year if month <= pub.month + 2 else pub.year - 1
        return f"{y:04d}-{month:02d}", "DATE", True, "month", mod
    if wd is not None:
        d = _resolve_weekday(ctx, wd, direction, start, end)
        return d.isoformat() + suffix, typ, True, "day", mod
    return None


def _offset_day(ctx: _Ctx, g: dict[str, str | None], table: str, base: date) -> _Res | None:
    """A word that is a day offset from ``base`` ("hier" from publication, "lendemain" from the
    last date of the text), with its part of the day."""
    off = ctx.lang.get(table, g.get(table))
    if off is None:
        return None
    d = base + timedelta(days=int(off))
    suffix, typ = _pod_suffix(ctx.lang, g)
    return d.isoformat() + suffix, typ, True, "day", None


def _resolve_day_word(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    return _offset_day(ctx, g, "day_words", ctx.pub)


def _resolve_anchor_word(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    return _offset_day(ctx, g, "anchor_words", ctx.anchor)


def _resolve_this_pod(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    suffix, typ = _pod_suffix(ctx.lang, g)
    if not suffix:
        return None
    return ctx.pub.isoformat() + suffix, typ, True, "day", None


def _resolve_rel_unit(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    L, pub = ctx.lang, ctx.pub
    unit = L.get("units", g.get("units"))
    direction = L.get("directions", g.get("directions")) or 0
    mod = L.get("edges", g.get("edges"))
    if unit is None:
        return None
    d = _shift(pub, int(direction), unit)
    if unit == "Y":
        return f"{d.year:04d}", "DATE", True, "year", mod
    if unit == "M":
        return f"{d.year:04d}-{d.month:02d}", "DATE", True, "month", mod
    if unit == "W":
        return _week_value(d), "DATE", True, "week", mod
    if unit == "WE":
        if direction == 0 and pub.weekday() < 2:  # "ce week-end" early in the week: the last one
            d = pub - timedelta(weeks=1)
        return _week_value(d) + "-WE", "DATE", True, "week", mod
    if unit == "D":
        return d.isoformat(), "DATE", True, "day", mod
    if unit == "Q":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}", "DATE", True, "range", mod
    if unit == "HALF":
        return f"{d.year:04d}-H{(d.month - 1) // 6 + 1}", "DATE", True, "range", mod
    if unit == "DE":
        return f"{d.year // 10:03d}", "DATE", True, "range", mod
    if unit == "CE":
        return f"{d.year // 100:02d}", "DATE", True, "range", mod
    return None


def _resolve_ago(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    L = ctx.lang
    unit = L.get("units", g.get("units"))
    n = _num(L, g)
    mod = L.get("quantity_mods", g.get("quantity_mods"))
    if unit is None or n is None:
        return None
    if n == "X":
        return "PAST_REF", "DATE", True, None, mod
    k = float(n)
    if unit in ("H", "MIN", "S"):
        return ctx.pub.isoformat(), "DATE", True, "day", mod
    if k != int(k) or k > 5000:
        return None
    try:
        d = _shift(ctx.pub, -int(k), unit)
    except (ValueError, OverflowError):
        return None
    if unit in ("D", "W", "WE"):
        return d.isoformat(), "DATE", True, "day", mod
    if unit in ("M", "Q", "HALF"):
        return f"{d.year:04d}-{d.month:02d}", "DATE", True, "month", mod
    return f"{d.year:04d}", "DATE", True, "year", mod


def _resolve_recent(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    L = ctx.lang
    unit = L.get("units", g.get("units"))
    direction = L.get("directions", g.get("directions"))
    if unit is None:
        return None
    if direction is None:
        direction = -1  # "recent weeks"
    n = _num(L, g)
    if n is not None:
        return _duration_value(n, unit), "DURATION", False, None, None
    ref = "PAST_REF" if direction < 0 else "FUTURE_REF" if direction > 0 else "PRESENT_REF"
    return ref, "DATE", True, None, None


def _resolve_duration(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    L = ctx.lang
    unit = L.get("units", g.get("units"))
    if unit is None:
        return None
    mod = L.get("quantity_mods", g.get("quantity_mods"))
    if g.get("fraction"):
        frac = L.get("fractions", g["fraction"])
        if frac is None:
            return None
        n = str(frac)
        base = {"CE": 100, "DE": 10, "Y": 1}.get(unit)
        if base:
            v = float(n) * base
            return f"P{int(v) if v == int(v) else v}Y", "DURATION", False, None, mod
        return _duration_value(n, unit), "DURATION", False, None, mod
    n = _num(L, g)
    if n is None:
        return None
    return _duration_value(n, unit), "DURATION", False, None, mod


def _resolve_year(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    L = ctx.lang
    y = g.get("year")
    if not y:
        return None
    mod = L.get("edges", g.get("edges"))
    text = ctx.text
    if not g.get("edges") and not g.get("span_ctx") and _norm_key(text[start:end]) == y:
        before = text[max(0, start - 25) : start]
        prev = re.findall(r"[\w'’]+", before)
        prev_word = _norm_key(prev[-1]) if prev else ""
        if re.search(r"[\d$€£]\s*$|[.,]$", before):
            return None
        after = text[end : end + 25]
        context_ok = prev_word in L.year_context or (
            prev_word.endswith("'") and prev_word in L.year_context
        )
        if not context_ok and re.match(r"\s+[a-zà-ÿ]", after):
            return None
    return y, "DATE", False, "year", mod


def _resolve_decade(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    raw = g.get("decade") or ""
    if len(raw) == 2:
        y = 1900 + int(raw) if 1900 + int(raw) <= ctx.pub.year else 2000 + int(raw)
    elif len(raw) == 4:
        y = int(raw)
    else:
        return None
    mod = ctx.lang.get("edges", g.get("edges"))
    return f"{y // 10:03d}X", "DATE", len(raw) == 2, "range", mod


_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _resolve_season(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    L, pub = ctx.lang, ctx.pub
    s = L.get("seasons", g.get("seasons"))
    if s is None:
        return None
    direction = L.get("directions", g.get("directions"))
    mod = L.get("edges", g.get("edges"))
    first = _SEASON_START[s]
    if direction == -1:
        y = pub.year if first + 3 <= pub.month else pub.year - 1
    elif direction == 1:
        y = pub.year if first > pub.month else pub.year + 1
    else:
        y = pub.year
    return f"{y:04d}-{s}", "DATE", True, "range", mod


def _resolve_time(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    suffix, typ = _pod_suffix(ctx.lang, g)
    if typ != "TIME":
        return None
    day = ctx.anchor
    # "vers 15 h 30, hier": a day word right after the clock time gives its day
    m = re.match(r"[\s,]{1,3}([^\W\d_][\w'’-]*)", ctx.text[end : end + 30])
    if m:
        off = ctx.lang.get("day_words", m.group(1))
        if off is not None:
            day = ctx.pub + timedelta(days=int(off))
    return day.isoformat() + suffix, "TIME", True, "day", None


def _resolve_anchor_pod(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    suffix, typ = _pod_suffix(ctx.lang, g)
    if not suffix:
        return None
    mod = ctx.lang.get("edges", g.get("edges"))
    return ctx.anchor.isoformat() + suffix, "TIME", True, "day", mod


def _resolve_set(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    L = ctx.lang
    sw = L.get("set_words", g.get("set_words"))
    if sw is not None:
        return str(sw), "SET", False, None, None
    wd = L.get("weekdays", g.get("weekdays"))
    if wd is not None:
        return f"XXXX-WXX-{wd + 1}", "SET", False, None, None
    unit = L.get("units", g.get("units"))
    if unit is not None:
        return _duration_value("1", unit), "SET", False, None, None
    pod = L.get("parts_of_day", g.get("parts_of_day"))
    if pod:
        return f"XXXX-XX-XXT{pod}", "SET", False, None, None
    return None


def _resolve_ref(ctx: _Ctx, g: dict[str, str | None], start: int, end: int) -> _Res | None:
    ref = ctx.lang.get("refs", g.get("refs"))
    if ref is None:
        return None
    return str(ref), "DATE", True, None, None


_RESOLVERS: dict[str, Callable[[_Ctx, dict[str, str | None], int, int], _Res | None]] = {
    "date": _resolve_date,
    "day_word": _resolve_day_word,
    "anchor_word": _resolve_anchor_word,
    "this_pod": _resolve_this_pod,
    "rel_unit": _resolve_rel_unit,
    "ago": _resolve_ago,
    "recent": _resolve_recent,
    "duration": _resolve_duration,
    "year": _resolve_year,
    "decade": _resolve_decade,
    "season": _resolve_season,
    "time": _resolve_time,
    "set": _resolve_set,
    "anchor_pod": _resolve_anchor_pod,
    "ref": _resolve_ref,
}


def _resolve(ctx: _Ctx, kind: str, m: re.Match[str]) -> _Res | None:
    fn = _RESOLVERS.get(kind)
    if fn is None:
        return None
    try:
        return fn(ctx, m.groupdict(), m.start(), m.end())
    except (ValueError, OverflowError, KeyError, TypeError):
        return None


