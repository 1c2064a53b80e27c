"""A spaCy component that rewrites a parser's relations into the Universal-Dependencies-style
relations kronika's extraction rules are written over.

The French model already speaks UD (``obj``, ``obl`` + ``case``, ``nsubj:pass``…); a model
trained on another scheme (the English ``en_core_web_sm``: ClearNLP labels, prepositions
heading their nouns) is adapted by a mapping kept as data, ``kronika/lang/<lang>/deps.yaml``
(its header documents every step). This module knows no word of any language: languages
without a ``deps.yaml`` get no adapter.

The component runs at the end of the pipeline (after the parser, the attribute ruler that sets parts of speech and morphology, and the entity recogniser); the
rewritten tree keeps every token in its sentence, so sentence boundaries do not move.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy
import yaml
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc, Span


@dataclass(frozen=True)
class Rule:
    dep: str
    to: str
    pos: frozenset[str] = frozenset()
    head_pos: frozenset[str] = frozenset()


@dataclass
class DepMap:
    """The mapping of one language (``lang/<lang>/deps.yaml``)."""

    prep: dict[str, Any] = field(default_factory=dict)
    fixed: list[tuple[str, ...]] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    keep: frozenset[str] = frozenset()
    aux_features: dict[str, dict[str, str]] = field(default_factory=dict)
    entities: dict[str, str] = field(default_factory=dict)
    lemmas: dict[str, str] = field(default_factory=dict)

    def covers(self, label: str) -> bool:
        """Whether a parser label is mapped (renamed, restructured or kept on purpose)."""
        return label in self.keep or any(r.dep == label for r in self.rules) or label in (
            self.prep.get("deps", []) + self.prep.get("object_deps", []) + self.prep.get("clause_deps", []))


def has_depmap(lang: str) -> bool:
    try:
        return resources.files(f"kronika.lang.{lang}").joinpath("deps.yaml").is_file()
    except ModuleNotFoundError:
        return False


@lru_cache(maxsize=4)
def load_depmap(lang: str) -> DepMap:
    text = resources.files(f"kronika.lang.{lang}").joinpath("deps.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text) or {}
    rules = [Rule(dep=r["dep"], to=r["to"], pos=frozenset(r.get("pos") or ()), head_pos=frozenset(r.get("head_pos") or ()))
             for r in raw.get("relabel") or []]
    return DepMap(prep=raw.get("prepositions") or {}, fixed=[tuple(str(f).lower().split()) for f in raw.get("fixed") or []],
                  rules=rules, keep=frozenset(raw.get("keep") or ()),
                  aux_features={str(k).lower(): dict(v) for k, v in (raw.get("aux_features") or {}).items()},
                  entities=dict(raw.get("entities") or {}),
                  lemmas={str(k).lower(): str(v) for k, v in (raw.get("lemmas") or {}).items()})


def _children(heads: list[int], i: int, lo: int, hi: int) -> list[int]:
    """Dependents of ``i`` (searched inside its sentence ``lo:hi``: trees do not cross sentences)."""
    return [k for k in range(lo, hi) if heads[k] == i and k != i]


def adapt(doc: Doc, m: DepMap) -> Doc:
    """Rewrite ``doc``'s tree and labels in place by the mapping ``m``."""
    n = len(doc)
    if n == 0 or not doc.has_annotation("DEP"):
        return doc
    heads = [t.head.i for t in doc]
    deps = [t.dep_ for t in doc]
    pos = [t.pos_ for t in doc]
    low = [t.text.lower().replace("’", "'") for t in doc]
    p = m.prep
    prep_deps = set(p.get("deps", []))
    obj_deps = set(p.get("object_deps", []))
    clause_deps = set(p.get("clause_deps", []))
    prep_pos = set(p.get("pos", []))
    verbal = set(p.get("verbal_heads", []))
    bounds = [(0, 0)] * n
    for sent in doc.sents:
        for k in range(sent.start, sent.end):
            bounds[k] = (sent.start, sent.end)

    def is_prep(i: int) -> bool:
        return deps[i] in prep_deps and (pos[i] in prep_pos or deps[i] != "dative")

    # 1. multiword prepositions: the first word stays the preposition, the others are `fixed`
    for i in range(n):
        if not is_prep(i):
            continue
        for f in m.fixed:
            k = len(f)
            if tuple(low[i:i + k]) != f or i + k > n:
                continue
            rest = list(range(i + 1, i + k))
            if not all(heads[j] == i or heads[j] in rest for j in rest):
                continue
            for j in rest:
                for c in _children(heads, j, *bounds[j]):
                    if c not in rest and deps[c] in obj_deps | clause_deps:
                        heads[c] = i  # the object of the last word is the object of the whole
                heads[j], deps[j] = i, "fixed"
            break
    # 2. prepositions become case markers (or marks) under their objects
    for i in range(n):
        if not is_prep(i):
            continue
        kids = _children(heads, i, *bounds[i])
        objs = [c for c in kids if deps[c] in obj_deps]
        clauses = [c for c in kids if deps[c] in clause_deps and pos[c] not in prep_pos]
        h = heads[i]
        on_verb = pos[h] in verbal or h == i
        if objs:
            o = objs[0]
            heads[o] = h if h != i else o
            if deps[i] == p.get("agent_dep"):
                deps[o] = p.get("agent", "obl:agent")
            else:
                deps[o] = p.get("on_verb", "obl") if on_verb else p.get("on_noun", "nmod")
            if h == i:
                deps[o] = "ROOT"
            for c in objs[1:]:
                heads[c] = o
            heads[i], deps[i] = o, "case"
        elif clauses:
            v = clauses[0]
            heads[v] = h if h != i else v
            deps[v] = "ROOT" if h == i else (p.get("clause_on_verb", "advcl") if on_verb else p.get("clause_on_noun", "acl"))
            heads[i], deps[i] = v, "mark"
    # 3. plain renames
    for i in range(n):
        for r in m.rules:
            if deps[i] != r.dep:
                continue
            if r.pos and pos[i] not in r.pos:
                continue
            if r.head_pos and pos[heads[i]] not in r.head_pos:
                continue
            deps[i] = r.to
            break
    arr = numpy.zeros((n, 2), dtype="uint64")
    for i in range(n):
        arr[i, 0] = numpy.int64(heads[i] - i).astype("uint64")
        arr[i, 1] = doc.vocab.strings.add(deps[i])
    doc.from_array([HEAD, DEP], arr)
    # 4. morphology the word itself carries ("will" → future, "would" → conditional)
    for t in doc:
        feats = m.aux_features.get(low[t.i])
        if feats and t.dep_.startswith("aux"):
            d = t.morph.to_dict()
            d.update(feats)
            t.set_morph("|".join(f"{k}={v}" for k, v in sorted(d.items())))
    # 5. lemmas the lemmatizer gets wrong
    if m.lemmas:
        for t in doc:
            fix = m.lemmas.get(low[t.i])
            if fix:
                t.lemma_ = fix
    # 6. entity labels
    if m.entities and doc.ents:
        doc.ents = [Span(doc, e.start, e.end, label=m.entities.get(e.label_, e.label_)) for e in doc.ents]
    return doc


@Language.factory("kronika_ud", default_config={"lang": "en"})
def make_ud_adapter(nlp: Language, name: str, lang: str):
    m = load_depmap(lang)

    def component(doc: Doc) -> Doc:
        return adapt(doc, m)

    return component
