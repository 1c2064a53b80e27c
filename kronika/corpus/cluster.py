"""Corpus events: reports of one real-world action, across articles and languages.

Each stored event is a *report*. Reports are grouped into *corpus events* by complete
linkage: a report joins a corpus event only if it is compatible with every report already in
it —

- same CAMEO root (or one ``families`` entry of ``kronika/data/corpus.yaml``, none by
  default) and compatible codes (the same base code unless one is generic: 141 and 1411
  agree, 140 agrees with any 14x, 1724 and 173 do not) and the same modality (a planned
  action and its report are one);
- compatible actors, read by country: the source countries agree (or one is unknown), the
  target countries too; for actions two parties do together (``symmetric`` in
  ``kronika/data/corpus.yaml``: meetings, agreements, ceasefires) the parties may be named in
  either order;
- compatible dates at their precision: each date is an interval (a day, with
  ``day_tolerance`` days of slack; a month; a year; an undated report the
  ``undated_window_days`` before its publication; an inferred date, not written in the
  event's sentence, also the ``inferred_window_days`` before it) and the intervals meet, so "samedi",
  "on Saturday", "le 13 décembre" and "mi-décembre" can join while a release a month later
  cannot;
- compatible quantities (the smaller at least ``quantity_ratio`` of the larger) and places
  (two towns no more than ``place_km`` apart);
- from a different article (an article's extractor already merged its own mentions of one
  action, so two events of one article are two actions).

Among the compatible corpus events the one agreeing on the most details (full code, exact
day, actor ids on the side they fit, quantity) wins, then (for an inferred date) the one whose
dates are nearest, then the largest; with none, the report starts a new corpus event. The
most precise reports are placed first (days, then months, years, undated) so that vague
reports — background mentions such as "la libération de 52 prisonniers en septembre" in a
later article — join the precise event they refer to.

Clustering is incremental: ``Clusterer.load`` rebuilds the state of stored corpus events
from their reports (a few numbers per corpus event: the intersection of the date intervals,
the countries, the quantity range, the towns, the articles), and ``assign`` places only the
new reports. Lookups go through an index by (root, country, month), so the cost grows with
the number of reports, not with its square (benchmarks/bench_corpus.py).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

RULES_FILE = Path(__file__).resolve().parents[1] / "data" / "corpus.yaml"
PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True)
class Rules:
    day_tolerance: int = 1
    undated_window_days: int = 7
    inferred_window_days: int = 7
    quantity_ratio: float = 0.5
    place_km: float = 150.0
    symmetric: tuple[str, ...] = ()
    families: tuple[tuple[str, ...], ...] = ()

    def is_symmetric(self, cameo: str) -> bool:
        return any(cameo.startswith(p) for p in self.symmetric)

    def block(self, cameo: str) -> str:
        """The family of codes a report can be grouped within: its root, or the name of the
        ``families`` entry one of whose prefixes it starts with (reports of one coup coded
        1724 by one article and 190 or 192 by another)."""
        for i, fam in enumerate(self.families):
            if any(cameo.startswith(p) for p in fam):
                return f"family{i}"
        return cameo[:2]


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    d = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")) or {}
    return Rules(
        day_tolerance=int(d.get("day_tolerance", 1)),
        undated_window_days=int(d.get("undated_window_days", 7)),
        inferred_window_days=int(d.get("inferred_window_days", 7)),
        quantity_ratio=float(d.get("quantity_ratio", 0.5)),
        place_km=float(d.get("place_km", 150)),
        symmetric=tuple(str(x) for x in d.get("symmetric") or ()),
        families=tuple(tuple(str(p) for p in fam) for fam in d.get("families") or ()),
    )


def _month_bounds(y: int, m: int) -> tuple[date, date]:
    first = date(y, m, 1)
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def date_interval(value: str | None, precision: str | None, published: str | None,
                  rules: Rules, inferred: bool = False) -> tuple[int, int, int] | None:
    """``(first day, last day, precision rank)`` of a report's date, as day ordinals. An
    inferred date (not written in the event's sentence: the story's day or the publication
    date) also covers the ``inferred_window_days`` before it, as an undated report does: a
    background mention is often given the day of the article that recalls it."""
    slack = rules.inferred_window_days if inferred else 0
    try:
        if value:
            parts = [int(p) for p in str(value)[:10].split("-")]
            if len(parts) >= 3 and precision in (None, "day"):
                d = date(parts[0], parts[1], parts[2]).toordinal()
                return d - slack, d + rules.day_tolerance, 0
            if len(parts) >= 2 and precision != "year":
                a, b = _month_bounds(parts[0], parts[1])
                return a.toordinal() - slack, b.toordinal(), 1
            return date(parts[0], 1, 1).toordinal(), date(parts[0], 12, 31).toordinal(), 2
        if published:
            parts = [int(p) for p in str(published)[:10].split("-")]
            if len(parts) >= 3:
                hi = date(parts[0], parts[1], parts[2]).toordinal()
                lo = hi
            else:
                a, b = _month_bounds(parts[0], parts[1])
                lo, hi = a.toordinal(), b.toordinal()
            return lo - rules.undated_window_days, hi, 3
    except (ValueError, TypeError, IndexError):
        return None
    return None


MODALITY_GROUP = {"asserted": "asserted", "planned": "asserted"}  # a planned action and its report are one action


def codes_compatible(a: str, b: str) -> bool:
    """Same root, and the same base code unless one of them is generic: 141 and 1411 agree,
    140 (a protest) agrees with any 14x, 1724 (state of emergency) and 173 (arrests) do not."""
    if a[:2] != b[:2]:
        return False
    if len(a) < 3 or len(b) < 3 or a[2] == "0" or b[2] == "0":
        return True
    return a[:3] == b[:3]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(slots=True)
class Report:
    """What clustering needs of one stored event."""

    event_id: str
    article_id: str
    cameo: str
    root: str
    modality: str
    src: str | None
    tgt: str | None
    loc: str | None
    lo: int
    hi: int
    rank: int
    quantity: int | None
    city: tuple[float, float] | None
    source_id: str | None
    target_id: str | None
    inferred: bool = False

    @classmethod
    def from_row(cls, r: Mapping[str, Any], rules: Rules) -> "Report | None":
        iv = date_interval(r.get("date"), r.get("date_precision"), r.get("published"), rules,
                           bool(r.get("date_inferred")))
        if iv is None:
            return None
        city = None
        if r.get("location_precision") == "city" and r.get("location_lat") is not None \
                and r.get("location_lon") is not None:
            city = (float(r["location_lat"]), float(r["location_lon"]))
        q = r.get("quantity")
        return cls(
            event_id=r["event_id"], article_id=r["article_id"], cameo=str(r["cameo"]), root=rules.block(str(r["cameo"])),
            modality=MODALITY_GROUP.get(r.get("modality") or "asserted", r.get("modality") or "asserted"), src=r.get("source_country") or None,
            tgt=r.get("target_country") or None, loc=r.get("location_country") or None,
            lo=iv[0], hi=iv[1], rank=iv[2], quantity=int(q) if q is not None and q == q else None, city=city,
            source_id=r.get("source_id"), target_id=r.get("target_id"),
            inferred=bool(r.get("date_inferred")),
        )

    def countries(self) -> set[str]:
        c = {x for x in (self.src, self.tgt) if x}
        return c or ({self.loc} if self.loc else set())


def corpus_event_id(seed_event_id: str) -> str:
    """The id of the corpus event a report started (stable across runs)."""
    return "ce-" + hashlib.sha1(seed_event_id.encode("utf-8")).hexdigest()[:12]


@dataclass
class Cluster:
    id: str
    root: str
    modality: str
    symmetric: bool
    src: str | None = None
    tgt: str | None = None
    lo: int = -(10 ** 9)  # intersection of the members' date intervals
    hi: int = 10 ** 9
    qmin: int | None = None
    qmax: int | None = None
    cities: list[tuple[float, float]] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    days: set[int] = field(default_factory=set)
    bases: set[str] = field(default_factory=set)  # specific base codes (3 digits, not generic)
    quantities: set[int] = field(default_factory=set)
    source_ids: set[str] = field(default_factory=set)
    target_ids: set[str] = field(default_factory=set)
    n: int = 0

    @staticmethod
    def _sides(r: Report, orient: tuple[str | None, str | None]) -> tuple[str | None, str | None]:
        """``r``'s actor ids on the cluster's source and target sides (crossed when the
        parties of a symmetric action are named in the other order)."""
        return (r.target_id, r.source_id) if (r.src, r.tgt) != orient else (r.source_id, r.target_id)

    def orientation(self, r: Report) -> tuple[str | None, str | None] | None:
        """``(source, target)`` countries of ``r`` as they fit this cluster, or None."""
        def ok(a: str | None, b: str | None) -> bool:
            return a is None or b is None or a == b

        if ok(r.src, self.src) and ok(r.tgt, self.tgt):
            return r.src, r.tgt
        if self.symmetric and ok(r.tgt, self.src) and ok(r.src, self.tgt):
            return r.tgt, r.src
        return None

    def fits(self, r: Report, rules: Rules) -> tuple[str | None, str | None] | None:
        if r.article_id in self.articles or r.modality != self.modality or r.root != self.root:
            return None
        if r.lo > self.hi or r.hi < self.lo:
            return None
        if r.quantity is not None and self.qmin is not None:
            lo, hi = min(r.quantity, self.qmin), max(r.quantity, self.qmax or r.quantity)
            if hi > 0 and lo / hi < rules.quantity_ratio:
                return None
        if r.city is not None and any(_km(r.city, c) > rules.place_km for c in self.cities):
            return None
        if any(b[:2] == r.cameo[:2] and not codes_compatible(r.cameo, b) for b in self.bases):
            return None
        return self.orientation(r)

    def score(self, r: Report, orient: tuple[str | None, str | None]) -> int:
        sid, tid = self._sides(r, orient)
        s = 2 * (r.cameo in self.codes) + (sid in self.source_ids) + (tid in self.target_ids)
        if r.rank == 0 and r.lo in self.days:
            s += 2
        if r.quantity is not None and r.quantity in (self.qmin, self.qmax):
            s += 1
        return s

    def add(self, r: Report, orient: tuple[str | None, str | None]) -> None:
        self.src = self.src or orient[0]
        self.tgt = self.tgt or orient[1]
        self.lo, self.hi = max(self.lo, r.lo), min(self.hi, r.hi)
        if r.quantity is not None:
            self.qmin = r.quantity if self.qmin is None else min(self.qmin, r.quantity)
            self.qmax = r.quantity if self.qmax is None else max(self.qmax, r.quantity)
        if r.city is not None:
            self.cities.append(r.city)
        self.articles.add(r.article_id)
        self.codes.add(r.cameo)
        if len(r.cameo) >= 3 and r.cameo[2] != "0":
            self.bases.add(r.cameo[:3])
        if r.quantity is not None:
            self.quantities.add(r.quantity)
        if r.rank == 0:
            self.days.add(r.lo)
        sid, tid = self._sides(r, orient)
        if sid:
            self.source_ids.add(sid)
        if tid:
            self.target_ids.add(tid)
        self.n += 1


def _month(ordinal: int) -> int:
    d = date.fromordinal(ordinal)
    return d.year * 12 + d.month - 1


class Clusterer:
    """The corpus events of a store, and the placement of new reports among them."""

    def __init__(self, rules: Rules | None = None):
        self.rules = rules or load_rules()
        self.clusters: dict[str, Cluster] = {}
        self.index: dict[tuple[str, str, int], list[Cluster]] = {}
        self._indexed: set[tuple[str, str, str]] = set()  # (cluster id, country, "") registered

    def _register(self, c: Cluster, countries: Iterable[str]) -> None:
        if c.lo > c.hi:
            return
        m0, m1 = _month(max(c.lo, 1)), _month(max(c.hi, 1))
        for country in countries:
            if (c.id, country, "") in self._indexed:
                continue
            self._indexed.add((c.id, country, ""))
            for m in range(m0, min(m1, m0 + 24) + 1):
                self.index.setdefault((c.root, country, m), []).append(c)

    def _new(self, r: Report, cid: str | None = None) -> Cluster:
        c = Cluster(id=cid or corpus_event_id(r.event_id), root=r.root, modality=r.modality,
                    symmetric=self.rules.is_symmetric(r.cameo))
        self.clusters[c.id] = c
        return c

    def _place(self, c: Cluster, r: Report, orient: tuple[str | None, str | None]) -> None:
        first = c.n == 0
        c.add(r, orient)
        if first:
            self._register(c, r.countries())
        else:
            self._register(c, {x for x in (c.src, c.tgt) if x})

    def load(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Stored reports with their ``corpus_event_id``: rebuild those corpus events."""
        n = 0
        for row in rows:
            r = Report.from_row(row, self.rules)
            cid = row.get("corpus_event_id")
            if r is None or not cid:
                continue
            c = self.clusters.get(cid) or self._new(r, cid)
            self._place(c, r, c.orientation(r) or (r.src, r.tgt))
            n += 1
        return n

    def candidates(self, r: Report) -> list[Cluster]:
        seen: dict[str, Cluster] = {}
        m0, m1 = _month(max(r.lo, 1)), _month(max(r.hi, 1))
        for country in r.countries():
            for m in range(m0, min(m1, m0 + 24) + 1):
                for c in self.index.get((r.root, country, m), ()):
                    seen.setdefault(c.id, c)
        return list(seen.values())

    def _best(self, r: Report) -> tuple[tuple[int, int, int], Cluster, tuple] | None:
        """The compatible corpus event agreeing with ``r`` on most details; for a report with
        an inferred date, then the one whose dates are nearest (the centres of the two date
        intervals: an inferred date is near the true one, a month says nothing of the day);
        then the largest, then the smallest id; with its key and orientation."""
        best = None
        for c in self.candidates(r):
            o = c.fits(r, self.rules)
            if o is None:
                continue
            key = (c.score(r, o), -abs((r.lo + r.hi) - (c.lo + c.hi)) if r.inferred else 0, c.n)
            if best is None or key > best[0] or (key == best[0] and c.id < best[1].id):
                best = (key, c, o)
        return best

    def assign_one(self, r: Report) -> str:
        best = self._best(r)
        if best is None:
            c, o = self._new(r), (r.src, r.tgt)
        else:
            _, c, o = best
        self._place(c, r, o)
        return c.id

    def assign(self, rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
        """Place new reports (event rows); returns ``event_id → corpus_event_id``. Reports
        without a usable date get a corpus event of their own."""
        reports, alone = [], {}
        for row in rows:
            r = Report.from_row(row, self.rules)
            if r is None:
                alone[row["event_id"]] = corpus_event_id(row["event_id"])
            else:
                reports.append(r)
        reports.sort(key=lambda r: (r.rank, r.lo, r.article_id, r.event_id))  # precise first
        out = {r.event_id: self.assign_one(r) for r in reports}
        out.update(alone)
        return out


def cluster_rows(rows: Iterable[Mapping[str, Any]], rules: Rules | None = None) -> dict[str, str]:
    """Cluster event rows from scratch (``event_id → corpus_event_id``)."""
    return Clusterer(rules).assign(rows)
