"""Temporal expressions, part 1: the record, the language tables and date arithmetic.

A language's vocabularies and patterns are read from ``kronika/lang/<lang>/timex.yaml``
(:func:`_load_lang`); nothing here knows a word of any language."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

LANG_DIR = Path(__file__).resolve().parent.parent / "lang"
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


