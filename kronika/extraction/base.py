"""Shared shapes of the extraction stages: the trigger, the candidate event, the parse
relations the rules read and small token helpers."""


from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from spacy.tokens import Span, Token

from ..model import Actor, Mention, Place
from .lexicon import TriggerEntry

SUBJ = {"nsubj", "nsubj:pass", "csubj"}
OBJ = {"obj", "iobj", "obl:arg", "obl", "obl:mod", "obl:agent", "xcomp", "ccomp", "nmod"}
NOUN_POS = {"NOUN", "PROPN", "PRON", "NUM", "X"}
VERB_POS = {"VERB", "AUX", "ADJ"}
# dependents that belong to a noun phrase (its words), as opposed to clauses hanging on it
NP_DEPS = {"det", "amod", "nummod", "nmod", "flat", "compound", "fixed", "appos", "case", "advmod", "dep"}
CLAUSE_DEPS = {"acl:relcl", "ccomp", "advcl", "parataxis", "csubj"}


@lru_cache(maxsize=1)
def coding_rules() -> dict[str, Any]:
    text = resources.files("kronika.data").joinpath("coding.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def is_reciprocal(code: str) -> bool:
    rec = set(coding_rules().get("reciprocal", []))
    return code in rec or code[:3] in rec or code[:2] in rec


def _lower(tok: Token) -> str:
    return tok.text.lower().replace("’", "'")


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower().replace("’", "'")


@dataclass
class Trigger:
    token: Token  # head token of the trigger
    tokens: list[Token]
    entry: TriggerEntry
    confidence: float = 1.0  # the classification stage's certainty that this is an event
    learned: bool = False  # found by the trigger model, not by a lexicon entry

    @property
    def is_verb(self) -> bool:
        return self.token.pos_ in ("VERB", "AUX") or (self.token.pos_ == "ADJ" and self.entry.pos != "NOUN")


@dataclass
class Candidate:
    """An event before deduplication."""

    trigger: Trigger
    code: str
    source: Actor | None
    target: Actor | None
    modality: str
    quantity: int | None
    date: str | None
    date_precision: str | None
    date_inferred: bool
    location: Place | None
    attribution: Actor | None
    sentence: Span
    extra_mentions: list[Mention] = field(default_factory=list)
    anaphoric: bool = False  # "cette libération": a new mention of an action told before
    confidence: float = 1.0  # trigger confidence × argument confidence (1 local, lower when backed off)


def _nominal(t: Token) -> bool:
    """A noun, a name, or a name the tagger took for a pronoun ("Kiev")."""
    return t.pos_ in ("PROPN", "NOUN", "X") or (t.pos_ == "PRON" and t.text[:1].isupper()
                                                 and not t.morph.get("PronType") and not t.morph.get("Reflex"))


def _norm_phrase(text: str) -> list[str]:
    return text.lower().replace("’", "'").replace("'", "' ").split()


def _depth(tok: Token) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok = tok.head
        d += 1
    return d


def _actor_key(a: Actor | None) -> tuple:
    if a is None:
        return (None,)
    return (a.country,) if a.country else (a.id,)


def _mention(c: Candidate) -> Mention:
    s = c.sentence
    text = s.text.strip()
    s0 = s.start_char + (len(s.text) - len(s.text.lstrip()))
    toks = c.trigger.tokens
    t0 = min(t.idx for t in toks)
    t1 = max(t.idx + len(t.text) for t in toks)
    return Mention(sentence=text, start=s0, end=s0 + len(text), trigger=s.doc.text[t0:t1], trigger_start=t0, trigger_end=t1)


def _read_lang_yaml(lang: str, name: str) -> Any:
    try:
        return yaml.safe_load(resources.files(f"kronika.lang.{lang}").joinpath(name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
