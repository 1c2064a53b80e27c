"""The actor register: countries, demonyms, seats of power, organisations, people, roles.

Everything is loaded once from the data files (kronika/data, kronika/lang/XX) and turned
into dictionaries keyed by normalised token tuples (see kronika.actors.text), so that a
lookup is a handful of dict probes. ``ActorRegister.default()`` caches the instance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from kronika.actors.text import Stemmer, norm_key, norm_text, skeleton, tokenize
from kronika.actors.userfile import env_paths, merged, read_user_register

PKG = Path(__file__).resolve().parents[1]
DATA = PKG / "data"
LANG = PKG / "lang"
LANGS = ("fr", "en")


def _as_date(v: Any) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, date):
        return v
    s = str(v)
    if len(s) == 4:
        return date(int(s), 1, 1)
    if len(s) == 7:
        return date(int(s[:4]), int(s[5:7]), 1)
    return date.fromisoformat(s)


@dataclass
class Role:
    """A dated role of a person: title, country, sector, [start, end)."""

    title: str
    country: str | None
    sector: str | None
    start: date | None = None
    end: date | None = None

    def covers(self, when: date | None) -> bool:
        """True when the role is held on ``when`` (an unknown date matches open roles)."""
        if when is None:
            return self.end is None
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)


@dataclass
class Entity:
    """A named entry of the register (country, organisation, person, seat)."""

    kind: str  # country | org | person | seat
    key: str  # id without prefix: 'BLR', 'viasna', 'alexandre-loukachenko'
    name: str
    country: str | None
    sector: str | None
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    surname: str | None = None
    names: dict[str, str] = field(default_factory=dict)  # lang -> display name
    org_id: str | None = None  # for seats standing for an organisation

    @property
    def id(self) -> str:
        """The stable actor id, e.g. 'person:alexandre-loukachenko'."""
        return f"{self.kind}:{self.key}"

    def at(self, when: date | None) -> tuple[str | None, str | None, Role | None]:
        """(country, sector, role) of the entity on ``when``: first covering role, else defaults."""
        for r in self.roles:
            if r.covers(when):
                return (r.country or self.country, r.sector or self.sector, r)
        return (self.country, self.sector, None)


@dataclass(frozen=True)
class Hit:
    """One entry of the phrase index: what a normalised phrase may name."""

    kind: str  # country | demonym | seat | org | person | capital
    code: str  # country/org code (country, demonym, seat) or entity key (org, person)
    sector: str | None = None
    caps: bool = False  # only matches when the text is in capitals
    plural: bool = False  # demonym in a plural form
    cased: tuple[bool, ...] = ()  # per word: capitalised in the data, so must be in the text


@dataclass
class LangTables:
    """The role table and grammar hints of one language (lang/XX/roles.yaml)."""

    stem: Stemmer
    roles: dict[tuple[str, ...], tuple[str | None, str]]  # stem key -> (sector, kind)
    max_role_len: int
    former_markers: frozenset[str]
    former_sector: str
    target_prepositions: frozenset[str]
    of_words: frozenset[str]
    determiners: frozenset[str]
    demonym_noun_sector: str
    demonym_noun_capitalised: bool
    unknown_person_sector: str | None
    bare_country_sector: str
    foreign_markers: frozenset[str] = frozenset()  # stems: the actor is not of the main country
    bare_of_words: frozenset[str] = frozenset()  # 'de' without article: "visite d'État"
    non_roles: frozenset[str] = frozenset()  # words that never start a role ("moins" is not "moine")
    coordinators: frozenset[str] = frozenset()  # "les présidents de la RDC et de l'Angola"


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    if not path.exists():
        return rows
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            rows.append(line.split("\t"))
    return rows


def _read_yaml(path: Path) -> Any:
    if not path.exists():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _is_caps_variant(v: str) -> bool:
    letters = [c for c in v if c.isalpha()]
    return 0 < len(letters) <= 4 and v.upper() == v and " " not in v.strip()


class ActorRegister:
    """All known actors and the lookup tables built from them.

    Public use: ``ActorRegister.default()``, ``describe(actor_id)``, ``search(query)``;
    kronika.actors.document.DocumentActors uses the indexes.
    """

    def __init__(self, data_dir: Path = DATA, lang_dir: Path = LANG, user_files: tuple[str, ...] = ()) -> None:
        self.data_dir = data_dir
        self.lang_dir = lang_dir
        self.user_files = tuple(user_files)
        self._user = [read_user_register(Path(p)) for p in self.user_files]
        self.index: dict[tuple[str, ...], list[Hit]] = {}
        self.capitals: dict[tuple[str, ...], str] = {}
        self.countries: dict[str, Entity] = {}
        self.orgs: dict[str, Entity] = {}
        self.people: dict[str, Entity] = {}
        self.org_by_code: dict[str, Entity] = {}
        self.langs: dict[str, LangTables] = {}
        self.names_cfg: dict[str, Any] = _read_yaml(lang_dir / "fr" / "names.yaml") or {}
        self.honorifics = {norm_key(h) for h in self.names_cfg.get("honorifics", [])}
        self.particles = {norm_text(p) for p in self.names_cfg.get("name_particles", [])}
        self.not_names = {norm_text(p) for p in self.names_cfg.get("not_names", [])}
        self._load_langs()
        self._load_countries()
        self._load_demonyms()
        self._load_orgs()
        self._load_seats()
        self._load_people()
        self.max_len = max((len(k) for k in self.index), default=1)
        self._build_fuzzy()

    # ------------------------------------------------------------------ loading
    @classmethod
    def default(cls) -> "ActorRegister":
        """The register built from the package data files and the user register files named
        by ``KRONIKA_REGISTER`` (see kronika.actors.userfile); cached per set of files."""
        return _default_register(env_paths())

    def _entries(self, file: str, key: str, key_of) -> list[dict[str, Any]]:
        items = _read_yaml(self.data_dir / file) or []
        for u in self._user:
            items = merged(items, u.get(key, []), key_of)
        return items

    def _add(self, phrase: str, hit: Hit) -> None:
        key = norm_key(phrase)
        if not key:
            return
        if _is_caps_variant(phrase):
            hit = Hit(hit.kind, hit.code, hit.sector, True, hit.plural)
        if hit.kind != "demonym":
            # 'la Réunion', 'Niger', 'Malé': a proper name only where the text capitalises it
            # (articles and particles such as 'le', 'de' excepted)
            cased = tuple(t.orig[:1].isupper() and t.norm not in self.not_names for t in tokenize(phrase))
            if any(cased):
                hit = Hit(hit.kind, hit.code, hit.sector, hit.caps, hit.plural, cased)
        lst = self.index.setdefault(key, [])
        if hit.kind == "demonym" and any(h.kind == "demonym" and h.code == hit.code for h in lst):
            if hit.plural:  # 'togolais' is singular and plural: keep the plural reading
                lst[:] = [h for h in lst if not (h.kind == "demonym" and h.code == hit.code)] + [hit]
            return
        same = (hit.kind, hit.code, hit.sector)
        if not hit.cased:  # an uncased spelling of the same entry lifts the constraint
            lst[:] = [h for h in lst if not (h.cased and (h.kind, h.code, h.sector) == same)]
        elif any(not h.cased and (h.kind, h.code, h.sector) == same for h in lst):
            return
        if hit not in lst:
            lst.append(hit)

    def _load_langs(self) -> None:
        for lang in LANGS:
            cfg = _read_yaml(self.lang_dir / lang / "roles.yaml") or {}
            stem = Stemmer(cfg.get("stem_rules") or [], int(cfg.get("min_stem", 3)))
            roles: dict[tuple[str, ...], tuple[str | None, str]] = {}

            def add(words: list[str], sector: str | None, kind: str) -> None:
                for w in words or []:
                    k = tuple(stem(t) for t in norm_key(str(w)))
                    if k:
                        roles[k] = (sector, kind)

            for sector, words in (cfg.get("sectors") or {}).items():
                add(words, sector, "role")
            for sector, words in (cfg.get("collective") or {}).items():
                add(words, sector, "collective")
            add(cfg.get("inherit") or [], None, "inherit")
            for sector, words in (cfg.get("inherit_default") or {}).items():
                add(words, sector, "inherit")
            self.langs[lang] = LangTables(
                stem=stem,
                roles=roles,
                max_role_len=max((len(k) for k in roles), default=1),
                former_markers=frozenset(norm_text(w) for w in cfg.get("former_markers", [])),
                former_sector=cfg.get("former_sector", "OPP"),
                target_prepositions=frozenset(norm_text(w) for w in cfg.get("target_prepositions", [])),
                of_words=frozenset(norm_text(w) for w in cfg.get("of_words", [])),
                determiners=frozenset(norm_text(w) for w in cfg.get("determiners", [])),
                demonym_noun_sector=cfg.get("demonym_noun_sector", "CVL"),
                demonym_noun_capitalised=bool(cfg.get("demonym_noun_capitalised", False)),
                unknown_person_sector=cfg.get("unknown_person_sector"),
                bare_country_sector=cfg.get("bare_country_sector", "GOV"),
                bare_of_words=frozenset(norm_text(w) for w in cfg.get("bare_of_words", [])),
                non_roles=frozenset(norm_text(w) for w in cfg.get("non_roles", [])),
                coordinators=frozenset(norm_text(w) for w in cfg.get("coordinators", [])),
                foreign_markers=frozenset(stem(w) for w in (norm_text(x) for x in cfg.get("foreign_markers", []))
                                          if w and " " not in w),
            )
            self.langs[lang].inflection = cfg.get("demonym_inflection") or []  # type: ignore[attr-defined]

    def _load_countries(self) -> None:
        rows = _read_tsv(self.data_dir / "countries.tsv")
        for r in rows[1:] if rows and rows[0][0] == "iso3" else rows:
            iso3, _iso2, name_fr, name_en, capital, variants = (r + [""] * 6)[:6]
            e = Entity("country", iso3, name_fr, iso3, None, names={"fr": name_fr, "en": name_en})
            e.aliases = [v for v in variants.split("|") if v]
            self.countries[iso3] = e
            for v in e.aliases:
                self._add(v, Hit("country", iso3))
            if capital:
                self.capitals.setdefault(norm_key(capital), iso3)

    def _inflect(self, lang: str, masc: str) -> list[tuple[str, bool]]:
        """All four forms of a demonym from its masculine singular, by the language's rules."""
        rules = getattr(self.langs.get(lang), "inflection", [])
        for rule in rules:
            suf = str(rule[0] or "")
            if masc.endswith(suf):
                base = masc[: len(masc) - len(suf)] if suf else masc
                fs, mp, fp = (str(x or "") for x in rule[1:4])
                return [(masc, False), (base + fs, False), (base + mp, True), (base + fp, True)]
        return [(masc, False)]

    def _load_demonyms(self) -> None:
        for lang in LANGS:
            for r in _read_tsv(self.lang_dir / lang / "demonyms.tsv"):
                if r[0] == "iso3":
                    continue
                code, masc = r[0].strip(), r[1].strip()
                forms = self._inflect(lang, masc)
                if len(forms) == 1:
                    forms = forms * 4
                for i, x in enumerate(r[2:5]):
                    if x.strip():  # explicit irregular form overrides the derived one
                        forms[i + 1] = (x.strip(), i >= 1)
                for form, plural in forms:
                    for v in form.split("|"):
                        if v:
                            self._add(v, Hit("demonym", code, plural=plural))

    def _load_orgs(self) -> None:
        for o in self._entries("organisations.yaml", "organisations", lambda o: str(o["id"])):
            e = Entity("org", str(o["id"]), o["name"], o.get("country"), o.get("sector"))
            e.aliases = [str(a) for a in o.get("aliases", [])]
            e.names = {k: v for k, v in (o.get("names") or {}).items()}
            self.orgs[e.key] = e
            if o.get("primary"):
                self.org_by_code[str(e.country)] = e
            for a in [e.name, *e.aliases, *e.names.values()]:
                self._add(a, Hit("org", e.key))

    def _load_seats(self) -> None:
        rows = [r for lang in LANGS for r in _read_tsv(self.lang_dir / lang / "seats.tsv")]  # every language's file
        for r in rows:
            if r[0] == "name":
                continue
            name, code = r[0].strip(), r[1].strip()
            sector = r[2].strip() if len(r) > 2 and r[2].strip() else "GOV"
            self._add(name, Hit("seat", code, sector))

    def _load_people(self) -> None:
        for p in self._entries("people.yaml", "people", lambda p: str(p.get("id") or "-".join(norm_key(p["name"])))):
            key = str(p.get("id") or "-".join(norm_key(p["name"])))
            e = Entity("person", key, p["name"], p.get("country"), p.get("sector"))
            e.aliases = [str(a) for a in p.get("aliases", [])]
            e.surname = p.get("surname") or p["name"].split()[-1]
            for r in p.get("roles") or []:
                e.roles.append(
                    Role(
                        str(r.get("title", "")),
                        r.get("country") or e.country,
                        r.get("sector") or e.sector,
                        _as_date(r.get("start")),
                        _as_date(r.get("end")),
                    )
                )
            self.people[key] = e
            for a in [e.name, *e.aliases]:
                self._add(a, Hit("person", key))

    def _build_fuzzy(self) -> None:
        """Skeleton keys of every person alias, for typo/transliteration-tolerant lookup."""
        self.fuzzy_keys: list[str] = []
        self.fuzzy_ids: list[str] = []
        for e in self.people.values():
            for a in {e.name, *e.aliases}:
                self.fuzzy_keys.append(skeleton(a))
                self.fuzzy_ids.append(e.key)
        self.search_keys: list[str] = []
        self.search_ids: list[str] = []
        for group in (self.people, self.orgs, self.countries):
            for e in group.values():
                for a in {e.name, *e.aliases, *e.names.values()}:
                    self.search_keys.append(norm_text(a))
                    self.search_ids.append(e.id)

    # ------------------------------------------------------------------ lookups
    def entity(self, actor_id: str) -> Entity | None:
        """The entity of an id 'country:BLR', 'org:viasna' or 'person:...'."""
        kind, _, key = actor_id.partition(":")
        table = {"country": self.countries, "org": self.orgs, "person": self.people}.get(kind)
        return table.get(key) if table is not None else None

    def fuzzy_person(self, text: str, cutoff: float = 84.0) -> str | None:
        """The key of the register person whose alias is closest to ``text``, or None.

        Names must have the same number of words and each word must be close, so that
        'Kim Yo-jong' never matches 'Kim Jong-un'.
        """
        return fuzzy_match(skeleton(text), self.fuzzy_keys, self.fuzzy_ids, cutoff)

    def country_name(self, code: str | None, lang: str = "fr") -> str | None:
        """Display name of a country or organisation code."""
        if code is None:
            return None
        c = self.countries.get(code)
        if c:
            return c.names.get(lang) or c.name
        o = self.org_by_code.get(code)
        return o.name if o else code

    def describe(self, actor_id: str) -> dict[str, Any] | None:
        """{id, name, kind, country, sector, aliases, roles} for a register id, else None.

        'group:BLR:COP' ids are described from their parts.
        """
        if actor_id.startswith("group:"):
            parts = actor_id.split(":")
            if len(parts) != 3:
                return None
            return {"id": actor_id, "name": f"{self.country_name(parts[1])} ({parts[2]})", "kind": "group",
                    "country": parts[1], "sector": parts[2], "aliases": [], "roles": []}
        e = self.entity(actor_id)
        if e is None:
            return None
        sector = e.sector if e.kind != "country" else "GOV"
        return {
            "id": e.id,
            "name": e.name,
            "kind": e.kind,
            "country": e.country,
            "sector": sector,
            "aliases": list(dict.fromkeys(e.aliases)),
            "roles": [
                {"title": r.title, "country": r.country, "sector": r.sector,
                 "start": r.start.isoformat() if r.start else None,
                 "end": r.end.isoformat() if r.end else None}
                for r in e.roles
            ],
        }

    def search(self, query: str, limit: int = 20, cutoff: float = 80.0) -> list[dict[str, Any]]:
        """Search over the names and aliases of people, organisations and countries, case and
        accents ignored.

        Returns describe() dicts with a ``score`` (0–100), best first, one per actor: 100 for
        a name or alias equal to the query, 92 when the query is whole words of one ("Kim"),
        else the edit-distance similarity to the whole alias or to as many of its words as the
        query has (× 0.95), kept from ``cutoff`` on — so "Lukashenko" gives Loukachenko and
        not states whose long names contain similar letters.
        """
        q = norm_text(query)
        if not q:
            return []
        n = len(q.split())
        scored: list[tuple[float, int]] = []
        for idx, key in enumerate(self.search_keys):
            if key == q:
                score = 100.0
            elif f" {q} " in f" {key} ":
                score = 92.0
            else:
                words = key.split()
                score = fuzz.ratio(q, key)
                if len(words) > n:
                    score = max(score, 0.95 * max(fuzz.ratio(q, " ".join(words[i:i + n]))
                                                  for i in range(len(words) - n + 1)))
            if score >= cutoff:
                scored.append((score, idx))
        scored.sort(key=lambda x: -x[0])
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for score, idx in scored:
            aid = self.search_ids[idx]
            if aid in seen:
                continue
            seen.add(aid)
            d = self.describe(aid)
            if d is not None:
                d["score"] = round(float(score), 1)
                out.append(d)
            if len(out) >= limit:
                break
        return out


def fuzzy_match(key: str, keys: list[str], ids: list[str], cutoff: float) -> str | None:
    """Best id whose key is close to ``key`` word by word (same word count), else None."""
    if not key or not keys:
        return None
    words = key.split()
    for cand, score, idx in process.extract(key, keys, scorer=fuzz.ratio, limit=5, score_cutoff=cutoff):
        cw = cand.split()
        if len(cw) != len(words):
            continue
        if all(a[:1] == b[:1] and fuzz.ratio(a, b) >= (100 if min(len(a), len(b)) <= 3 else 70)
               for a, b in zip(words, cw)):
            return ids[idx]
    return None


@lru_cache(maxsize=4)
def _default_register(user_files: tuple[str, ...] = ()) -> ActorRegister:
    return ActorRegister(user_files=user_files)
