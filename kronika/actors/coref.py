"""Coreference over one article: what a pronoun, a possessive or a definite description
stands for.

``Coreference(doc, actors)`` lists the actor mentions of a parsed article (names, states,
organisations, role phrases), each with its kind (person, state, group), number and gender.
Then:

- ``antecedent(token)``: a personal pronoun ("il", "elles", "l'", "lui") refers to the
  nearest compatible mention: in its own sentence the closest one before it, in the
  sentences before it the first one of the nearest sentence (its subject, usually), as
  Hobbs' search does. Compatible means same number and, when both are known, same gender;
  a singular pronoun never takes one member of a coordination ("Trump a reçu Tshisekedi et
  Kagame. Il…" is Trump), and a place complement ("à la Maison Blanche") is no antecedent.
- ``possessor(token)``: a possessive ("son", "leurs") refers to the nearest compatible
  mention before it, not to the clause's subject ("Le Tchad a annoncé son retrait de la
  CEEAC, dénonçant ses sanctions": "son" is Chad, "ses" the CEEAC).
- ``description(start, roles, sector)``: "le président" names again the nearest person
  before it who holds that role (by the role words of their mention or of their title).

The language's words are in lang/XX/coref.yaml; the parse gives number and gender.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from kronika.model import Actor

LANG = Path(__file__).resolve().parents[1] / "lang"
NOMINAL = ("NOUN", "PROPN", "X")
NON_HEAD_DEPS = ("flat", "flat:name", "fixed", "compound", "goeswith", "det", "case")
KEEP_DEPS = ("det", "amod", "nmod", "case", "flat", "flat:name", "fixed", "nummod", "compound")


class Resolver(Protocol):  # what DocumentActors gives coreference
    def resolve(self, text: str, start: int | None = None, end: int | None = None) -> Actor | None: ...

    def role_keys(self, text: str) -> frozenset[tuple[str, ...]]: ...

    def title_keys(self, actor: Actor) -> frozenset[tuple[str, ...]]: ...

    def is_actor_word(self, word: str) -> bool: ...


@dataclass
class Mention:
    """One phrase of the article naming an actor."""

    start: int  # character offsets of the phrase
    end: int
    head: int  # token index of its head
    sent: int  # sentence number
    actor: Actor
    kind: str  # person | state | group
    number: str | None  # Sing | Plur
    gender: str | None  # Masc | Fem
    roles: frozenset[tuple[str, ...]]
    coordinated: bool = False  # one member of "X et Y"
    place: bool = False  # introduced by a place preposition


class CorefTables:
    """lang/XX/coref.yaml."""

    def __init__(self, lang: str) -> None:
        path = LANG / lang / "coref.yaml"
        cfg: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        self.pronouns = {str(k).lower(): tuple(v) for k, v in (cfg.get("pronouns") or {}).items()}
        self.possessives = {str(k).lower(): v for k, v in (cfg.get("possessives") or {}).items()}
        self.definite = {str(w).lower() for w in cfg.get("definite") or []}
        self.place_preps = {str(w).lower() for w in cfg.get("place_prepositions") or []}
        self.pronoun_window = int(cfg.get("pronoun_window", 3))
        self.description_window = int(cfg.get("description_window", 12))


_TABLES: dict[str, CorefTables] = {}


def tables(lang: str) -> CorefTables:
    if lang not in _TABLES:
        _TABLES[lang] = CorefTables(lang)
    return _TABLES[lang]


class Coreference:
    """The actor mentions of a parsed article and the antecedents of its anaphors."""

    def __init__(self, doc: Any, actors: Resolver, lang: str = "fr") -> None:
        self.doc = doc
        self.t = tables(lang)
        self.actors = actors
        self.mentions: list[Mention] = []
        self._sent_of: dict[int, int] = {}
        if doc is None or not doc.has_annotation("DEP"):
            return
        for n, s in enumerate(doc.sents):
            for tok in s:
                self._sent_of[tok.i] = n
        for tok in doc:
            m = self._mention(tok)
            if m is not None:
                self.mentions.append(m)
        self._coordinations()
        self.mentions.sort(key=lambda m: (m.start, m.end))

    # ------------------------------------------------------------------ mentions
    def _is_head(self, tok: Any) -> bool:
        if tok.pos_ not in NOMINAL or tok.dep_ in NON_HEAD_DEPS:
            return False
        if tok.ent_type_ == "PER" and tok.head.i != tok.i and tok.head.ent_type_ == "PER" and \
                tok.head.ent_iob_ != "B" and abs(tok.head.i - tok.i) == 1 and tok.dep_.startswith("flat"):
            return False
        return tok.pos_ == "PROPN" or tok.ent_type_ == "PER" or self.actors.is_actor_word(tok.text)

    def _span(self, tok: Any) -> tuple[int, int]:
        keep = {tok.i}
        stack = [tok]
        while stack:
            t = stack.pop()
            for c in t.children:
                if c.dep_ in KEEP_DEPS and abs(c.i - tok.i) <= 10:
                    keep.add(c.i)
                    stack.append(c)
        lo = hi = tok.i
        while lo - 1 in keep:
            lo -= 1
        while hi + 1 in keep:
            hi += 1
        while lo < tok.i and (self.doc[lo].is_punct or self.doc[lo].dep_ == "case"):
            lo += 1
        while hi > tok.i and self.doc[hi].is_punct:
            hi -= 1
        return lo, hi + 1

    def _mention(self, tok: Any) -> Mention | None:
        if not self._is_head(tok):
            return None
        lo, hi = self._span(tok)
        span = self.doc[lo:hi]
        try:
            a = self.actors.resolve(span.text, span.start_char, span.end_char)
        except Exception:  # a resolver bug must not lose the article
            a = None
        if a is None:
            return None
        number = _feat(tok, "Number")
        dets = [c for c in tok.children if c.dep_ == "det" and "Yes" not in c.morph.get("Poss")]
        gender = next((_feat(d, "Gender") for d in dets if _feat(d, "Gender")), None)
        if dets and _feat(dets[0], "Number"):
            number = _feat(dets[0], "Number")
        aid = a.id or ""
        if aid.startswith(("person:", "learned:")) or tok.ent_type_ == "PER":
            kind = "person"
        elif aid.startswith("country:"):
            kind = "state"
        elif aid.startswith("org:") or number == "Plur":
            kind = "group"
        else:
            kind = "person"  # "le ministre turc": one holder of a role
        if gender is None and kind != "person":
            gender = _feat(tok, "Gender")
        if kind == "person" and tok.pos_ != "PROPN" and gender is None:
            gender = _feat(tok, "Gender")
        case = {c.text.lower() for c in tok.children if c.dep_ in ("case", "fixed")}
        roles = self.actors.role_keys(span.text) | self.actors.title_keys(a)
        return Mention(span.start_char, span.end_char, tok.i, self._sent_of.get(tok.i, 0), a, kind,
                       number or "Sing", gender, roles, place=bool(case & self.t.place_preps) and kind != "person")

    def _coordinations(self) -> None:
        """'X et Y' is one plural mention; X and Y alone are no antecedent of 'il'."""
        by_head = {m.head: m for m in self.mentions}
        extra = []
        for m in self.mentions:
            tok = self.doc[m.head]
            conj = [by_head[c.i] for c in tok.children if c.dep_ == "conj" and c.i in by_head]
            if not conj:
                continue
            m.coordinated = True
            for c in conj:
                c.coordinated = True
            end = max(c.end for c in conj)
            extra.append(Mention(m.start, end, m.head, m.sent, m.actor, "group", "Plur", None, frozenset(),
                                 place=m.place))
        self.mentions.extend(extra)

    # ------------------------------------------------------------------ search
    def _candidates(self, pos: int, sent: int, window: int) -> list[Mention]:
        """Mentions before ``pos``: its own sentence nearest first, then each earlier
        sentence (nearest sentence first) in text order."""
        own = [m for m in self.mentions if m.sent == sent and m.end <= pos]
        own.sort(key=lambda m: (-m.end, m.start))
        out = own
        for s in range(sent - 1, max(-1, sent - 1 - window), -1):
            out.extend(m for m in self.mentions if m.sent == s)
        return out

    def _compatible(self, m: Mention, number: str | None, gender: str | None) -> bool:
        if m.place:
            return False
        if number and m.number and number != m.number:
            return False
        if number == "Sing" and m.coordinated and m.number == "Sing":
            return False
        if gender and m.gender and gender != m.gender:
            return False
        return True

    def antecedent(self, tok: Any) -> Mention | None:
        """The mention a personal pronoun stands for (None when nothing fits)."""
        feats = self.t.pronouns.get(tok.text.lower())
        if feats is None or not self.mentions:
            return None
        number, gender = (list(feats) + [None, None])[:2]
        number = _feat(tok, "Number") or number if tok.text.lower() not in ("l'", "l’", "lui", "leur") else number
        sent = self._sent_of.get(tok.i, 0)
        for m in self._candidates(tok.idx, sent, self.t.pronoun_window):
            if m.start <= tok.idx < m.end:
                continue
            if self._compatible(m, number, gender):
                return m
        return None

    def possessor(self, tok: Any) -> Mention | None:
        """The mention a possessive determiner refers to (None when nothing fits)."""
        number = self.t.possessives.get(tok.text.lower())
        if number is None or not self.mentions:
            return None
        sent = self._sent_of.get(tok.i, 0)
        owned = tok.head
        lo = min((t.idx for t in owned.subtree), default=tok.idx)
        for m in self._candidates(tok.idx, sent, self.t.pronoun_window):
            if m.start >= lo and m.sent == sent and m.end <= owned.idx + len(owned.text):
                continue  # inside the possessed phrase itself
            if self._compatible(m, number, None):
                return m
        return None

    def description(self, start: int, roles: frozenset[tuple[str, ...]], sector: str | None,
                    plural: bool = False, prefer: str | None = None) -> Mention | None:
        """The actor a definite role phrase ("le président", "la ministre", "les
        manifestants") names again: the nearest mention before it with the same role words
        and a known country. In an article about one country (``prefer``), a bare title
        is that country's holder when one is named ("le président" in a Malian story that
        also names the South African president)."""
        if not roles or not self.mentions:
            return None
        sent = next((self._sent_of[t.i] for t in self.doc if t.idx >= start), 0) if self._sent_of else 0
        found: list[Mention] = []
        for m in self._candidates(start, sent, self.t.description_window):
            if m.start <= start < m.end or not m.actor.country:
                continue
            if plural != (m.number == "Plur") or m.kind == "state":
                continue
            if m.roles & roles and (sector is None or m.actor.sector == sector):
                found.append(m)
        if prefer is not None:
            return next((m for m in found if m.actor.country == prefer), found[0] if found else None)
        return found[0] if found else None

    def is_definite(self, text: str) -> bool:
        words = text.split()
        first = words[0].lower() if words else ""
        return first in self.t.definite or any(first.startswith(d) for d in self.t.definite if d.endswith(("'", "’")))


def _feat(tok: Any, name: str) -> str | None:
    v = tok.morph.get(name)
    return v[0] if v else None
