"""Load a language's event lexicon: triggers, support verbs, reporting verbs and modality cues.

The data lives in ``kronika/lang/<lang>/triggers.yaml`` and ``support.yaml`` (their
schema is written at the top of each file). This module knows no word of any language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from functools import lru_cache
from importlib import resources
from typing import Any
import unicodedata

import yaml

from ..ontology import load_ontology


@dataclass(frozen=True)
class TriggerEntry:
    """One lexicon entry: a word or phrase that reports an action of a CAMEO category."""

    code: str
    lemma: str | None = None
    phrase: tuple[str, ...] | None = None
    pos: str | None = None
    objects: frozenset[str] = frozenset()
    not_objects: frozenset[str] = frozenset()
    genitive: str = "target"  # nouns: the de-complement is the target or the source
    subject: str = "source"  # verbs: the grammatical subject is the source or the target
    agent: str | None = None  # sector of the implicit agent of a passive ("condamné" → JUD)
    own_target: str | None = None  # with no target named: the source's own state, this sector (a coup)
    modifiers: frozenset[str] = frozenset()  # nouns: needs one of these adjectives/modifiers
    reflexive: bool = False  # verbs: needs a reflexive clitic ("s'opposer à")
    reciprocal: bool = False  # done by two parties together ("échanger des prisonniers")
    heads: frozenset[str] = frozenset()  # applies only under one of these words ("des violences ont éclaté")
    implicit_code: str | None = None  # code when no party is named ("des heurts ont éclaté": riot)
    # verbs: senses that are not this event — with a reflexive clitic ("s'arrêter devant"),
    # with an adjective as complement ("un délai jugé trop long"), with a complement clause
    # ("avertir qu'il y aura des pénuries")
    not_reflexive: bool = False
    not_attribute: bool = False
    not_clause: bool = False
    extra: tuple[tuple[str, Any], ...] = ()

    @property
    def specificity(self) -> int:
        return (2 if self.objects else 0) + (2 if self.modifiers else 0) + (1 if self.reflexive else 0) \
            + (1 if self.phrase else 0) + len(self.code)


def _norm(word: str) -> str:
    return word.strip().lower().replace("’", "'")


_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
_HYPHENS = re.compile(r"[-‐‑‒–—]+")
# elided and full articles/prepositions compare equal ("d'" = "de", "l'" = "le" = "la")
_ELISION = {"d'": "de", "l'": "le", "la": "le", "les": "le", "qu'": "que", "s'": "se", "n'": "ne",
            "m'": "me", "t'": "te", "j'": "je", "c'": "ce", "jusqu'": "jusque", "lorsqu'": "lorsque",
            "puisqu'": "puisque"}


@lru_cache(maxsize=262144)
def fold(word: str) -> str:
    """Lowercase, typographic apostrophes made straight, accents removed ("État" → "etat")."""
    w = unicodedata.normalize("NFKD", word.strip().lower().translate(_APOSTROPHES))
    w = "".join(c for c in w if not unicodedata.combining(c))
    return w.replace("œ", "oe").replace("æ", "ae")


def singular(word: str) -> str:
    """A crude singular for comparison only, applied to both sides ("coups" → "coup", "feux" → "feu")."""
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def units(text: str) -> list[str]:
    """See ``_units`` (cached; a new list each call)."""
    return list(_units(text))


@lru_cache(maxsize=262144)
def _units(text: str) -> tuple[str, ...]:
    """Comparison units of a text: folded, split at spaces, hyphens and after apostrophes,
    elisions expanded, plurals cut ("coups d’État" and "coup d'Etat" both give
    ["coup", "de", "etat"]; "cessez-le-feu" and "cessez le feu" give ["cessez", "le", "feu"])."""
    out = []
    for w in _HYPHENS.sub(" ", fold(text)).replace("'", "' ").split():
        out.append(_ELISION.get(w, singular(w)))
    return tuple(out)


def _folded(words: list[str]) -> frozenset[str]:
    """Words and their folded forms (objects compare without case or accents)."""
    return frozenset(words) | frozenset(fold(w) for w in words)


def _words(value: Any) -> list[str]:
    """A YAML value that lists words: a list of strings or of {lemma|phrase: …} dicts."""
    out: list[str] = []
    for item in value or []:
        if isinstance(item, str):
            out.append(_norm(item))
        elif isinstance(item, dict):
            w = item.get("lemma") or item.get("phrase") or item.get("word")
            if w:
                out.append(_norm(str(w)))
    return out


@dataclass
class Lexicon:
    lang: str
    by_lemma: dict[str, list[TriggerEntry]] = field(default_factory=dict)
    phrases: list[TriggerEntry] = field(default_factory=list)
    # tolerant matching: folded lemma → entries; first unit → (units, entry) of phrases and of
    # multiword lemmas ("cessez-le-feu" also written "cessez le feu")
    by_fold: dict[str, list[TriggerEntry]] = field(default_factory=dict)
    phrase_index: dict[str, list[tuple[tuple[str, ...], TriggerEntry]]] = field(default_factory=dict)
    blocker_index: dict[str, list[tuple[tuple[str, ...], None]]] = field(default_factory=dict)  # support.yaml blockers
    support: dict[str, str | None] = field(default_factory=dict)  # lemma -> required preposition
    support_phrases: list[tuple[str, ...]] = field(default_factory=list)
    reverse_support: set[str] = field(default_factory=set)
    reverse_phrases: list[tuple[str, ...]] = field(default_factory=list)
    reporting: set[str] = field(default_factory=set)
    negation: set[str] = field(default_factory=set)
    negating_verbs: set[str] = field(default_factory=set)
    planned_verbs: set[str] = field(default_factory=set)
    hypothetical: set[str] = field(default_factory=set)
    reported_future: set[str] = field(default_factory=set)  # "said it would": a future in the past
    refusing_auxiliaries: set[str] = field(default_factory=set)  # "will not accept": a refusal
    refusal_defaults: dict[str, str] = field(default_factory=dict)
    planned_threat_roots: set[str] = field(default_factory=set)  # "will attack": a threat
    intent_codes: dict[str, str] = field(default_factory=dict)
    # verbs governing an action that change its code: "appeler à la libération" → 0253,
    # "exiger la libération" → 1053, "refuser de libérer" → 1243 (kind → (verbs, code map))
    governors: dict[str, tuple[set[str], dict[str, str]]] = field(default_factory=dict)
    planned_markers: set[str] = field(default_factory=set)
    accusers: tuple[set[str], dict[str, str]] = field(default_factory=lambda: (set(), {}))
    announce_verbs: set[str] = field(default_factory=set)
    raw_support: dict[str, Any] = field(default_factory=dict)

    def entries_for(self, lemma: str) -> list[TriggerEntry]:
        """Entries of a lemma; without an exact entry, of its folded form (case, accents)."""
        return self.by_lemma.get(_norm(lemma)) or self.by_fold.get(fold(lemma), [])

    def entries_for_plural(self, word: str) -> list[TriggerEntry]:
        """Entries of a noun read as a plural the lemmatiser missed ("liberations")."""
        return self.by_fold.get(singular(fold(word)), [])

    def _index(self, entry: TriggerEntry, text: str) -> None:
        key = tuple(units(text))
        if key:
            self.phrase_index.setdefault(key[0], []).append((key, entry))

    def intent_code(self, code: str) -> str | None:
        """The 03x intent code for a planned action of ``code`` (most specific prefix wins)."""
        return prefix_lookup(self.intent_codes, code)

    def announced_threat_code(self, code: str) -> str | None:
        """The threat code of an act of force announced in the future tense ("the rebels will
        attack the city", "said they would blockade Paris"), roots of ``planned_threat_roots``."""
        if code[:2] not in self.planned_threat_roots:
            return None
        return prefix_lookup(self.governors.get("threat", (set(), {}))[1], code)

    def governed_code(self, verb_lemma: str, code: str) -> tuple[str, str] | None:
        """(kind, new code) when ``verb_lemma`` appeals for, demands or refuses an action of ``code``."""
        for kind, (verbs, table) in self.governors.items():
            if verb_lemma in verbs:
                new = prefix_lookup(table, code)
                if new:
                    return kind, new
        return None


def prefix_lookup(table: dict[str, Any], code: str) -> Any:
    """The value for the most specific prefix of a CAMEO code (4, 3 then 2 digits), or None."""
    for k in (code, code[:3], code[:2]):
        if k in table:
            return table[k]
    return None


def _read_yaml(lang: str, name: str) -> Any:
    try:
        text = resources.files(f"kronika.lang.{lang}").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return yaml.safe_load(text)


def trigger_files(lang: str) -> list[str]:
    """The trigger files of a language: ``triggers.yaml`` then ``triggers-*.yaml`` (by name)."""
    try:
        names = [p.name for p in resources.files(f"kronika.lang.{lang}").iterdir()]
    except (FileNotFoundError, ModuleNotFoundError):
        return []
    extra = sorted(n for n in names if n.startswith("triggers-") and n.endswith(".yaml"))
    return (["triggers.yaml"] if "triggers.yaml" in names else []) + extra


KNOWN_KEYS = {"lemma", "phrase", "pos", "code", "objects", "not_objects", "genitive", "subject", "agent", "own_target",
              "example", "note", "modifiers", "reflexive", "reciprocal", "heads", "implicit_code",
              "not_reflexive", "not_attribute", "not_clause"}


@lru_cache(maxsize=4)
def load_lexicon(lang: str) -> Lexicon:
    """The lexicon of ``lang`` (cached). Entries whose code is not in CAMEO are refused."""
    onto = load_ontology()
    lex = Lexicon(lang=lang)
    data: list[dict[str, Any]] = []
    for name in trigger_files(lang):
        part = _read_yaml(lang, name) or []
        if isinstance(part, dict):  # grouped form {group: [entries]}
            part = [e for group in part.values() for e in (group or [])]
        data.extend(part)
    for raw in data:
        code = str(raw.get("code", "")).strip()
        if code not in onto:
            raise ValueError(f"lang/{lang}/triggers.yaml: unknown CAMEO code {code!r} in {raw}")
        phrase = raw.get("phrase")
        entry = TriggerEntry(
            code=code,
            lemma=_norm(raw["lemma"]) if raw.get("lemma") else None,
            phrase=tuple(_norm(phrase).replace("'", "' ").replace("-", " - ").split()) if phrase else None,
            pos=(raw.get("pos") or None),
            objects=_folded(_words(raw.get("objects"))),
            not_objects=_folded(_words(raw.get("not_objects"))),
            genitive=raw.get("genitive", "target"),
            subject=raw.get("subject", "source"),
            agent=raw.get("agent"),
            own_target=raw.get("own_target"),
            modifiers=frozenset(_words(raw.get("modifiers"))),
            reflexive=bool(raw.get("reflexive", False)),
            reciprocal=bool(raw.get("reciprocal", False)),
            heads=frozenset(_words(raw.get("heads"))),
            implicit_code=str(raw["implicit_code"]) if raw.get("implicit_code") else None,
            not_reflexive=bool(raw.get("not_reflexive", False)),
            not_attribute=bool(raw.get("not_attribute", False)),
            not_clause=bool(raw.get("not_clause", False)),
            extra=tuple(sorted((k, str(v)) for k, v in raw.items() if k not in KNOWN_KEYS)),
        )
        if entry.implicit_code and entry.implicit_code not in onto:
            raise ValueError(f"lang/{lang}/triggers.yaml: unknown CAMEO code {entry.implicit_code!r} in {raw}")
        if entry.lemma:
            lex.by_lemma.setdefault(entry.lemma, []).append(entry)
            lex.by_fold.setdefault(fold(entry.lemma), []).append(entry)
            if len(units(entry.lemma)) > 1:  # "cessez-le-feu", "tête à tête": also in several tokens
                lex._index(entry, entry.lemma)
        elif entry.phrase:
            lex.phrases.append(entry)
            lex._index(entry, str(raw["phrase"]))
    sup = _read_yaml(lang, "support.yaml") or {}
    lex.raw_support = sup
    for b in sup.get("blockers") or []:
        key = tuple(units(str(b)))
        if key:
            lex.blocker_index.setdefault(key[0], []).append((key, None))
    for item in sup.get("support", []) or []:
        if isinstance(item, str):
            lex.support[_norm(item)] = None
        elif item.get("lemma"):
            lex.support[_norm(item["lemma"])] = item.get("prep")
        elif item.get("phrase"):
            lex.support_phrases.append(tuple(_norm(item["phrase"]).split()))
    for item in sup.get("reverse_support", []) or []:
        if isinstance(item, str):
            lex.reverse_support.add(_norm(item))
        elif item.get("lemma"):
            lex.reverse_support.add(_norm(item["lemma"]))
        elif item.get("phrase"):
            lex.reverse_phrases.append(tuple(_norm(item["phrase"]).split()))
    lex.reporting = set(_words(sup.get("reporting")))
    mod = sup.get("modality", {}) or {}
    lex.negation = set(_words(mod.get("negation")))
    lex.negating_verbs = set(_words(mod.get("negating_verbs")))
    lex.planned_verbs = set(_words(mod.get("planned_verbs")))
    lex.hypothetical = set(_words(mod.get("hypothetical")))
    lex.reported_future = set(_words(mod.get("reported_future")))
    lex.refusing_auxiliaries = set(_words(mod.get("refusing_auxiliaries")))
    lex.refusal_defaults = {str(k): str(v) for k, v in (mod.get("refusal_defaults") or {}).items()}
    lex.planned_threat_roots = {str(r) for r in mod.get("planned_threat_roots") or []}
    lex.intent_codes = {str(k): str(v) for k, v in (mod.get("intent_codes") or sup.get("intent_codes") or {}).items()}
    lex.planned_markers = set(_words(mod.get("planned_markers")))
    lex.announce_verbs = set(_words(mod.get("announce_verbs")))
    accuse_verbs = set(_words(mod.get("accuse_verbs") or sup.get("accuse_verbs")))
    accuse_codes = {str(k): str(v) for k, v in (mod.get("accuse_codes") or sup.get("accuse_codes") or {}).items()}
    lex.accusers = (accuse_verbs, accuse_codes)
    for kind in ("appeal", "demand", "refusal", "threat"):
        verbs = set(_words(mod.get(f"{kind}_verbs")))
        table = {str(k): str(v) for k, v in (mod.get(f"{kind}_codes") or {}).items()}
        for v in table.values():
            if v not in onto:
                raise ValueError(f"lang/{lang}/support.yaml: unknown CAMEO code {v!r} in {kind}_codes")
        if verbs and table:
            lex.governors[kind] = (verbs, table)
    return lex
