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
import functools
import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

import yaml

LANG_DIR = Path(__file__).resolve().parent / "lang"
_APOS = "['’]"
_FUTURE_DAYS = 62  # a date without a year may lie at most this far after publication


@dataclass
class Timex:
    """A temporal expression of a text, resolved to a TIMEX3-style value."""

    start: int
    end: int
    text: str
    value: str | None
    type: str  # DATE | TIME | DURATION | SET
    relative: bool  # the value depends on the publication date (or the story's dates)
    precision: str | None  # day | month | year | week | range | None
    mod: str | None = None  # START | MID | END | MORE_THAN | LESS_THAN | APPROX

    def event_date(self) -> str | None:
        """The value cut to YYYY, YYYY-MM or YYYY-MM-DD for event records.

        "2025-12-13TEV" → "2025-12-13"; a week → its Thursday's month ("2025-W50" → "2025-12");
        None for durations, sets, references and undetermined values.
        """
        v = self.value
        if not v or self.type in ("DURATION", "SET"):
            return None
        m = re.match(r"^(\d{4})-W(\d{2})", v)
        if m:
            try:
                d = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 4)
            except ValueError:
                return None
            return f"{d.year:04d}-{d.month:02d}"
        m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?![\d])", v)
        if not m:
            return None
        return "-".join(g for g in m.groups() if g)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["event_date"] = self.event_date()
        return d


# ----------------------------------------------------------------------------- language data


def _norm_key(s: str) -> str:
    """Normalise a word for table lookup: lowercase, straight apostrophes, single spaces."""
    s = s.lower().replace("’", "'").replace("‘", "'")
    s = re.sub(r"[‐‑–]", "-", s)
    return re.sub(r"\s+", " ", s).strip()


def _word_regex(word: str) -> str:
    """Regex for one table word: apostrophes match both forms, spaces any whitespace."""
    out = []
    for ch in word:
        if ch in "'’":
            out.append(_APOS)
        elif ch == " ":
            out.append(r"\s+")
        elif ch == "-":
            out.append(r"[-‐‑]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@dataclass
class _Pattern:
    kind: str
    regex: re.Pattern[str]
    order: int


class _Lang:
    """Tables and compiled patterns of one language."""

    def __init__(self, data: dict[str, Any]):
        self.tables: dict[str, dict[str, Any]] = {}
        for name, val in data.items():
            if isinstance(val, dict) and name not in ("fragments",):
                self.tables[name] = {_norm_key(str(k)): v for k, v in val.items()}
        self.year_context = {_norm_key(str(w)) for w in data.get("year_context", [])}
        fc = data.get("future_cues")
        self.future_cues = re.compile(fc, re.I) if fc else None
        self.future_exceptions = {_norm_key(w) for w in data.get("future_cue_exceptions", [])}
        self.not_timex = {_norm_key(str(w)) for w in data.get("not_timex", [])}
        self.bare_month_capitalised = bool(data.get("bare_month_capitalised", False))
        self.case_sensitive = {_norm_key(w) for w in data.get("capitalised_only", [])}
        self.sequence_preps = frozenset(_norm_key(w) for w in data.get("sequence_prepositions", []))
        fragments = data.get("fragments", {})
        self.patterns: list[_Pattern] = []
        for i, p in enumerate(data.get("patterns", [])):
            src = p["re"]
            # expand fragments first (they may contain table placeholders)
            for _ in range(3):
                src = re.sub(r"\{([A-Z]+)\}", lambda m: "(?:" + fragments[m.group(1)] + ")", src)
            src = src.replace("’", _APOS)
            src = re.sub(r"\{([a-z_]+)(?::([a-z_0-9]+))?\}", self._alternation, src)
            regex = re.compile(r"(?<![\w])(?:" + src + r")(?![\w])", re.I)
            self.patterns.append(_Pattern(p["kind"], regex, i))

    def _alternation(self, m: re.Match[str]) -> str:
        table, group = m.group(1), m.group(2) or m.group(1)
        words = sorted(self.tables[table], key=len, reverse=True)
        body = "|".join(_word_regex(w) for w in words)
        return f"(?P<{group}>{body})"

    def get(self, table: str, word: str | None) -> Any:
        if word is None:
            return None
        return self.tables.get(table, {}).get(_norm_key(word))


@functools.lru_cache(maxsize=8)
def _load_lang(lang: str) -> _Lang:
    path = LANG_DIR / lang / "timex.yaml"
    if not path.exists():
        path = LANG_DIR / "fr" / "timex.yaml"
    with open(path, encoding="utf-8") as f:
        return _Lang(yaml.safe_load(f))


# ----------------------------------------------------------------------------- date arithmetic


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _shift(d: date, n: int, unit: str) -> date:
    """``d`` moved by ``n`` units (D, W, M, Y, DE, CE, WE, Q, HALF)."""
    if unit in ("D",):
        return d + timedelta(days=n)
    if unit in ("W", "WE"):
        return d + timedelta(weeks=n)
    months = {"M": 1, "Q": 3, "HALF": 6, "Y": 12, "DE": 120, "CE": 1200}.get(unit)
    if months is None:
        return d
    y, m = _add_months(d.year, d.month, n * months)
    day = min(d.day, calendar.monthrange(y, m)[1]) if 1 <= y <= 9999 else 1
    return date(y, m, day)


def _week_value(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except (ValueError, OverflowError):
        return None


def _year_of_2digits(yy: int, pub: date) -> int:
    y = 2000 + yy
    return y if y <= pub.year + 10 else 1900 + yy


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
