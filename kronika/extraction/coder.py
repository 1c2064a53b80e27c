"""The extraction stage: from a parsed article to coded events.

For each sentence:
1. triggers — tokens whose lemma, or token sequences whose words, are in the language's
   lexicon (``kronika/lang/<lang>/triggers.yaml``); an entry restricted to some objects
   ("lever" + "sanctions") is preferred over a bare one and applies only when they match;
2. arguments — the source and target from the dependency parse: subject and object of an
   active verb; "par" agent and subject of a passive; the de-complement, adjective
   ("sanctions américaines") and "par"/"contre"/"entre" complements of a nominalisation;
   the subject of a support verb ("confirmer la levée", "procéder à l'arrestation"),
   reversed for "faire face à", "être la cible de"; coordinated actors give one event each,
   or source and target for reciprocal actions; the implicit agent of a passive comes from
   ``data/coding.yaml``;
3. attributes — modality (negated, planned → intent code, hypothetical), quantity, date
   (the parse-attached time expression, else the sentence's, else the publication date for
   the day's news), location (the attached place, else the sentence's, else the country
   where a domestic action happened), and attribution for reported speech;
4. one event per action per article: the same action mentioned twice is one event with
   two mentions.

Without a dependency parse (the English fallback) arguments come from word order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Sequence

import yaml
from spacy.tokens import Doc, Span, Token

from ..model import Actor, Article, Event, Mention, Place
from ..ontology import load_ontology
from .lexicon import Lexicon, TriggerEntry, load_lexicon, prefix_lookup

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


class Coder:
    """Codes events in parsed documents of one language."""

    def __init__(self, lang: str = "fr"):
        self.lang = lang
        self.lex: Lexicon = load_lexicon(lang)
        self.onto = load_ontology()
        self._phrase_index: dict[str, list[TriggerEntry]] = {}
        for e in self.lex.phrases:
            if e.phrase:
                self._phrase_index.setdefault(e.phrase[0], []).append(e)
        numbers = _read_lang_yaml(lang, "numbers.yaml") or {}
        self.number_words: dict[str, int] = {str(k).lower(): int(v) for k, v in (numbers.get("words") or {}).items()}
        self.approx_words: set[str] = set(numbers.get("approximately") or [])
        self.g: dict[str, Any] = _read_lang_yaml(lang, "grammar.yaml") or {}
        g = self.g
        self.source_preps = set(g.get("source_preps", []))
        self.strong_target_preps = set(g.get("strong_target_preps", []))
        self.weak_target_preps = set(g.get("weak_target_preps", []))
        self.genitive_preps = set(g.get("genitive_preps", []))
        self.between_preps = set(g.get("between_preps", []))
        self.noun_target_preps = set(g.get("noun_target_preps", []))
        self.relative_pronouns = set(g.get("relative_pronouns", []))
        self.place_preps = set(g.get("place_preps", []))
        self.coord_words = set(g.get("coordinators", []))
        self.subject_adjunct_preps = set(g.get("subject_adjunct_preps", []))
        self.charge_words = set(g.get("charge_words", []))
        self.event_adjunct_preps = set(g.get("event_adjunct_preps", []))
        self.about_preps = set(g.get("about_preps", []))
        self.attribution_verbs = set(g.get("attribution_verbs", []))
        self.for_preps = set(g.get("for_preps", []))
        self.active_with_etre = set(g.get("active_with_etre", []))
        self.dual_heads = set(g.get("dual_heads", []))
        self.dual_numbers = set(g.get("dual_numbers", []))
        self.rules = coding_rules()
        self.participle_endings = tuple(g.get("participle_endings", []))
        self.for_roots = set(self.rules.get("for_target_roots", []))
        self.about_roots = set(self.rules.get("about_target_roots", []))
        self.passive_aux = set(g.get("passive_auxiliaries", []))
        self.units = set(g.get("units", []))
        self.auxiliaries = set(g.get("auxiliary_lemmas", []))
        self.linear = False
        self.targeting_verbs = set(g.get("targeting_verbs", []))
        self.visit_codes = set(self.rules.get("visit_codes", []))
        self.blockers = [tuple(_norm_phrase(b)) for b in (self.lex.raw_support.get("blockers") or [])]

    # ------------------------------------------------------------------ triggers
    def _objects_of(self, tok: Token, noun: bool) -> set[str]:
        """Lemmas that can satisfy an entry's ``objects``: heads of the complements and their words."""
        out: set[str] = set()
        deps = {"nmod", "amod", "obl", "obl:arg", "obl:mod", "acl", "appos"} if noun else OBJ | {"nsubj:pass"}
        for c in tok.children:
            if c.dep_ in deps or (not noun and c.dep_ == "obj"):
                for t in list(c.subtree)[:30]:
                    out.add(_lemma(t))
                    out.add(_lower(t))
        if not noun:
            # the parser often scatters a long object: also read the words after the verb
            for t in tok.doc[tok.i + 1:min(tok.sent.end, tok.i + 26)]:
                if t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm"):
                    break
                out.add(_lemma(t))
        if not noun and any(c.dep_ == "aux:pass" for c in tok.children):
            for c in tok.children:
                if c.dep_ in ("nsubj", "nsubj:pass"):
                    out.update(_lemma(t) for t in list(c.subtree)[:8])
        if tok.dep_ == "acl" or (tok.dep_ == "amod" and tok.pos_ in ("VERB", "ADJ")):
            # participle on a noun: "les détenus libérés", "l'opposant condamné à vingt ans"
            out.add(_lemma(tok.head))
            out.add(_lower(tok.head))
        return out

    def _choose(self, tok: Token, entries: Sequence[TriggerEntry]) -> TriggerEntry | None:
        noun = tok.pos_ in NOUN_POS
        objs: set[str] | None = None
        best: TriggerEntry | None = None
        if self.linear:
            window = {_lemma(t) for t in tok.doc[tok.i + 1:min(tok.sent.end, tok.i + 9)]} | \
                {_lower(t) for t in tok.doc[tok.i + 1:min(tok.sent.end, tok.i + 9)]}
            for e in entries:
                if e.objects and not (e.objects & window) or e.not_objects & window:
                    continue
                if e.modifiers or e.heads or e.reflexive:
                    continue
                if best is None or e.specificity > best.specificity:
                    best = e
            return best
        for e in entries:
            if e.pos:
                want = e.pos.upper()
                if want == "NOUN" and not noun:
                    continue
                if want in ("VERB", "ADJ") and tok.pos_ not in VERB_POS:
                    continue
            if e.heads and _lemma(tok.head) not in e.heads:
                continue
            if e.reflexive and not any(c.dep_.startswith("expl") or "Yes" in c.morph.get("Reflex") for c in tok.children):
                continue
            if e.modifiers and not any(_lemma(c) in e.modifiers or _lower(c) in e.modifiers
                                       for c in tok.children if c.dep_ in ("amod", "nmod", "compound", "flat")):
                continue
            if e.objects or e.not_objects:
                if objs is None:
                    objs = self._objects_of(tok, noun)
                if e.objects and not (e.objects & objs):
                    continue
                if e.not_objects & objs:
                    continue
            if best is None or e.specificity > best.specificity:
                best = e
        return best

    def _is_charge(self, tok: Token) -> bool:
        if self.linear:
            return False
        h = tok
        for _ in range(3):
            if h.head.i == h.i:
                return False
            h = h.head
            if _lemma(h) in self.charge_words or _lower(h) in self.charge_words:
                return True
        return False

    def find_triggers(self, sent: Span) -> list[Trigger]:
        """Trigger tokens of a sentence, each with its lexicon entry."""
        found: list[Trigger] = []
        used: set[int] = set()
        toks = list(sent)
        low = [_lower(t) for t in toks]
        for b in self.blockers:
            n = len(b)
            for i in range(len(toks) - n + 1):
                if all(low[i + k] == b[k] or _lemma(toks[i + k]) == b[k] for k in range(n)):
                    used.update(t.i for t in toks[i:i + n])
        # phrases first: they are more specific than the words they contain
        for i, tok in enumerate(toks):
            for e in self._phrase_index.get(_lower(tok), []):
                words = e.phrase or ()
                j, k = i, 0
                matched: list[Token] = []
                while k < len(words) and j < len(toks):
                    if toks[j].is_space:
                        j += 1
                        continue
                    w = _lower(toks[j])
                    if w == words[k] or _lemma(toks[j]) == words[k]:
                        matched.append(toks[j])
                        j += 1
                        k += 1
                    elif w in ("-",) and words[k] != "-":
                        j += 1
                    else:
                        break
                if k == len(words) and matched:
                    if e.objects:
                        if self.linear:
                            near = {_lemma(x) for x in toks[j:j + 8]} | {_lower(x) for x in toks[j:j + 8]}
                        else:
                            near = self._objects_of(matched[-1], True) | self._objects_of(matched[0], False)
                        if not e.objects & near:
                            continue
                    head = matched[0] if self.linear else min(matched, key=lambda t: _depth(t))
                    if any(t.i in used for t in matched):
                        continue
                    found.append(Trigger(head, matched, e))
                    used.update(t.i for t in matched)
        for tok in toks:
            if tok.i in used or tok.is_punct or tok.is_space:
                continue
            entries = self.lex.entries_for(tok.lemma_) or self.lex.entries_for(tok.text)
            if not entries:
                continue
            entry = self._choose(tok, entries)
            if entry is None:
                continue
            if tok.pos_ in ("NOUN", "PROPN") and self._is_charge(tok):
                continue  # "reconnu coupable de meurtre": a charge, not an event of the article
            found.append(Trigger(tok, [tok], entry))
            used.add(tok.i)
        return found

    # ------------------------------------------------------------------ arguments
    def np_text(self, tok: Token) -> tuple[str, int, int]:
        """Words of the noun phrase headed by ``tok`` (no relative clauses, coordinated
        members or trailing appositions), with its character offsets."""
        keep = {tok.i}
        stack = [tok]
        while stack:
            t = stack.pop()
            for c in t.children:
                if c.dep_ == "conj" and t.i != tok.i:
                    # "les chefs d'État et de gouvernement de l'UE": a coordinated complement
                    first = [x for x in c.subtree if x.dep_ != "cc"][:1]
                    if first and first[0].pos_ == "ADP":
                        for x in c.subtree:
                            keep.add(x.i)
                        keep.update(x.i for x in c.children if x.dep_ == "cc")
                        continue
                if c.dep_.split(":")[0] not in NP_DEPS:
                    continue
                if c.dep_ == "appos" and c.i > tok.i and any(x.text == "," for x in c.doc[tok.i:c.i]) and c.i - tok.i > 8:
                    continue  # a long apposition after a comma is a description, not the name
                keep.add(c.i)
                stack.append(c)
        lo = hi = tok.i
        while lo - 1 in keep:
            lo -= 1
        while hi + 1 in keep:
            hi += 1
        span = tok.doc[lo:hi + 1]
        # trim leading/trailing punctuation
        while len(span) > 1 and (span[-1].is_punct or span[-1].is_space):
            span = span[:-1]
        while len(span) > 1 and (span[0].is_punct or span[0].is_space):
            span = span[1:]
        if len(span) > 14:
            span = tok.doc[max(lo, tok.i - 4):min(hi, tok.i + 8) + 1]
        return span.text, span.start_char, span.end_char

    def _dual(self, tok: Token) -> bool:
        """"les deux pays", "les deux parties": the two parties named before."""
        return _lemma(tok) in self.dual_heads and any(
            c.dep_ == "nummod" and _lower(c) in self.dual_numbers for c in tok.children)

    def resolve(self, tok: Token | None, ctx: "DocContext") -> Actor | None:
        """The actor named by the phrase headed by ``tok`` (or None)."""
        if tok is None:
            return None
        if _lower(tok) in ctx.pronouns or (tok.dep_ in ("obj", "iobj") and _lower(tok) in ctx.object_pronouns):
            return ctx.pronoun_antecedent(tok)
        if tok.pos_ == "PRON" and tok.morph.get("PronType"):
            return None
        if tok.pos_ == "NOUN" and any(x.pos in (None, "NOUN") for x in self.lex.entries_for(tok.lemma_)):
            return None  # an action is not an actor ("la répression des manifestants")
        text, s, e = self.np_text(tok)
        a = ctx.resolve(text, s, e)
        return a if a is not None and a.country else None

    def _conjuncts(self, tok: Token) -> list[Token]:
        out = [tok]
        for c in tok.children:
            if c.dep_ == "conj" and c.pos_ in NOUN_POS:
                out.extend(self._conjuncts(c))
        return out

    def _coordinated(self, tok: Token, stop: int) -> list[Token]:
        """Heads of the actors coordinated with ``tok`` before token index ``stop``, read from
        word order ("Le Niger et la BM signent", "les États-Unis, l'Égypte et la Turquie"),
        since the parser often misattaches coordinated names. Falls back to the parse."""
        heads = self._conjuncts(tok)
        if stop <= tok.i:
            return heads
        doc = tok.doc
        lo = tok.i
        while lo - 1 >= tok.sent.start and doc[lo - 1].head.i == tok.i and doc[lo - 1].dep_ in ("det", "amod", "nummod"):
            lo -= 1
        # coordinated names before the subject the parser chose ("Les États-Unis, l'Égypte, …")
        while True:
            j = lo - 1
            if j < tok.sent.start or not (_lower(doc[j]) in self.coord_words or doc[j].text in self.coord_words):
                break
            k = j - 1
            while k >= tok.sent.start and doc[k].pos_ in ("DET", "PROPN", "NOUN", "ADJ", "X") and not doc[k].is_punct:
                k -= 1
            first = k + 1
            boundary = k < tok.sent.start or doc[k].pos_ == "SCONJ" or doc[k].dep_ == "mark" or (
                doc[k].is_punct and doc[k].text not in self.coord_words)
            if first >= j or doc[first].pos_ not in ("DET", "PROPN", "NOUN") or (k >= tok.sent.start and not (
                    doc[k].is_punct and doc[k].text in self.coord_words or _lower(doc[k]) in self.coord_words)):
                if first < j and doc[first].pos_ in ("DET", "PROPN", "NOUN") and boundary:
                    lo = first
                break
            lo = first
        parts: list[list[Token]] = [[]]
        for t in doc[lo:stop]:
            if t.is_punct and t.text in ("-", "‐") and not t.whitespace_ and t.i > 0 and not t.doc[t.i - 1].whitespace_:
                parts[-1].append(t)  # "al-Sissi": a hyphen inside a name
                continue
            if t.pos_ in ("VERB", "AUX") or (t.is_punct and t.text not in self.coord_words) or (
                    t.pos_ == "PRON" and t.i != tok.i and not _nominal(t)):
                break
            if _lower(t) in self.coord_words or t.text in self.coord_words:
                parts.append([])
                continue
            if not parts[-1] and len(parts) > 1 and t.pos_ == "ADP":
                # "les chefs d'État et de gouvernement de l'UE": coordination inside a phrase
                parts.pop()
            parts[-1].append(t)
        parts = [p for p in parts if any(_nominal(x) or x.pos_ == "ADJ" for x in p)]
        if len(parts) <= 1:
            return heads
        out = []
        for p in parts:
            nominal = [x for x in p if _nominal(x)] or [x for x in p if x.pos_ == "ADJ"]
            out.append(min(nominal, key=_depth))
        return out if len(out) >= len(heads) else heads

    def _subjects(self, verb: Token) -> tuple[list[Token], bool]:
        """All subjects of a verb (coordinated ones included) and whether it is passive."""
        subj, passive = self._subject(verb)
        if subj is None:
            return [], passive
        _, s0, s1 = self.np_text(subj)
        extra = [c for c in verb.children if c.dep_ in SUBJ and c.i != subj.i and c.pos_ != "PRON"
                 # a name the parser split off the subject ("Le président Donald | Trump") is not a second one
                 and not (s0 <= c.idx <= s1 + 1)]
        if verb.dep_ == "conj" and verb.head.pos_ in ("PROPN", "NOUN") and verb.head.i < verb.i:
            # "Moscou et Kiev procéderont…" parsed with Moscou as the head of the verb
            first = verb.head
            heads = [first] + [subj]
        else:
            heads = sorted([subj] + extra, key=lambda t: t.i)
        out: list[Token] = []
        for h in heads:
            stop = verb.i if h.i < verb.i else h.i
            for x in self._coordinated(h, stop):
                if all(x.i != y.i for y in out):
                    out.append(x)
        return out, passive

    def _subject(self, verb: Token) -> tuple[Token | None, bool]:
        """The subject token of a verb and whether the clause is passive."""
        passive = (any(c.dep_ in ("aux:pass", "nsubj:pass") for c in verb.children) or "Pass" in verb.morph.get("Voice")) \
            and _lemma(verb) not in self.active_with_etre  # "est arrivé" is not a passive
        for c in verb.children:
            if c.dep_ in SUBJ:
                if c.pos_ == "PRON" and _lower(c) in self.relative_pronouns and verb.dep_ == "acl:relcl":
                    return verb.head, passive
                return c, passive
        if verb.dep_ == "acl:relcl":
            return verb.head, passive
        if verb.dep_ == "acl" and "Inf" in verb.morph.get("VerbForm") and verb.head.pos_ == "PROPN":
            return verb.head, passive  # "Vladimir Poutine, de lancer une invasion"
        if verb.dep_ == "acl" and "Inf" in verb.morph.get("VerbForm") and verb.head.pos_ == "NOUN":
            for c in verb.head.children:
                case = {_lower(x) for x in c.children if x.dep_ in ("case", "fixed")}
                if c.dep_ == "nmod" and case & self.genitive_preps and c.i < verb.i:
                    return c, passive
                if c.dep_ == "det" and "Yes" in c.morph.get("Poss"):
                    return c, passive
        if verb.dep_ == "acl" and "Pres" in verb.morph.get("Tense") and "Part" in verb.morph.get("VerbForm") \
                and verb.head.pos_ == "NOUN" and verb.head.dep_ in ("obj", "nsubj") and verb.head.head.pos_ in ("VERB", "AUX"):
            if verb.head.dep_ == "nsubj":
                return verb.head, passive  # "un texte condamnant X a été adopté": the text's author is unknown
            s, _ = self._subject(verb.head.head)  # "l'UE a adopté une résolution condamnant X"
            return s, passive
        if verb.dep_ in ("xcomp", "conj") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX") or (
                verb.dep_ in ("advcl", "acl") and "Pres" in verb.morph.get("Tense")
                and "Part" in verb.morph.get("VerbForm") and verb.head.pos_ in ("VERB", "AUX")) or (
                verb.dep_ in ("ccomp", "obj") and _lemma(verb.head) in self.auxiliaries):
            # "Washington avait déjà … assoupli": the parser took the auxiliary for the verb
            s, _ = self._subject(verb.head)
            return s, passive
        # the parser left the subject unattached: the noun right before the verb group
        j = verb.i - 1
        doc = verb.doc
        while j >= verb.sent.start:
            t = doc[j]
            if t.pos_ in ("AUX", "ADV", "PART") or t.dep_.startswith(("aux", "expl")) or _lemma(t) in self.auxiliaries:
                j -= 1
                continue
            if t.text == ",":
                # skip a parenthetical between commas ("Washington avait, ces derniers mois, assoupli")
                k = j - 1
                while k >= verb.sent.start and j - k <= 8 and doc[k].text != ",":
                    k -= 1
                if k >= verb.sent.start and doc[k].text == ",":
                    j = k - 1
                    continue
            break
        if j >= verb.sent.start:
            t = verb.doc[j]
            if t.pos_ in ("PROPN", "NOUN") or _nominal(t):
                return t, passive
        return None, passive

    def _governing_verb(self, noun: Token, ctx: "DocContext | None" = None) -> Token | None:
        """The verb whose object or complement a trigger noun is (for support verbs)."""
        h = noun
        if ctx is not None and h.dep_ == "nmod" and ctx.is_time_token(h.head) and h.head.head.pos_ in ("VERB", "AUX"):
            return h.head.head  # "a adopté jeudi de nouvelles sanctions": the date swallowed the object
        if h.dep_.startswith("obl") and _lemma(h.head) in self.event_adjunct_preps and h.head.head.pos_ in ("VERB", "AUX"):
            return h.head.head  # "lors d'un sommet", parsed with "lors" as an adverb
        for _ in range(3):
            if h.dep_ in ("obj", "obl:arg", "xcomp", "nsubj", "nsubj:pass") and h.head.pos_ in ("VERB", "AUX"):
                return h.head
            if h.dep_ in ("obl", "obl:mod") and h.head.pos_ in ("VERB", "AUX"):
                case = {_lower(x) for x in h.children if x.dep_ in ("case", "fixed")}
                if case & self.subject_adjunct_preps and not any(x.dep_ == "det" for x in h.children):
                    return h.head  # "En visite à Minsk, X a déclaré": X is the visitor
                if case & self.event_adjunct_preps and h.i == noun.i:
                    return h.head  # "lors d'un sommet à X, Y a déclaré": Y attends the meeting
                prep = self.lex.support.get(_lemma(h.head), "-")
                if prep and prep != "-" and prep in case or _lemma(h.head) in self.lex.reverse_support:
                    return h.head
                return None
            if h.dep_ in ("conj", "appos") and h.head.i != h.i:
                h = h.head
                continue
            break
        return None

    def arguments(self, trig: Trigger, ctx: "DocContext") -> tuple[list[tuple[Actor | None, Actor | None]], Token | None]:
        """Source/target pairs of a trigger (several for coordinated actors) and the token the
        event's clause hangs on (for modality and time)."""
        tok = trig.token
        e = trig.entry
        src_toks: list[Token] = []
        tgt_toks: list[Token] = []
        anchor = tok
        implicit_agent = False
        if trig.is_verb:
            participle_on_noun = tok.dep_ in ("acl", "amod") and (tok.head.pos_ in NOUN_POS or any(
                c.dep_ in ("det", "nummod") for c in tok.head.children))  # "Dix civils tués": a noun tagged ADJ
            subjs, passive = self._subjects(tok)
            subj = subjs[0] if subjs else None
            if ("Part" in tok.morph.get("VerbForm") and "Past" in tok.morph.get("Tense")
                    and not any(c.dep_.startswith("aux") for c in tok.children)
                    and not (tok.dep_ == "conj" and any(c.dep_.startswith("aux") for c in tok.head.children))
                    and _lemma(tok) not in self.active_with_etre
                    and not (tok.dep_ in ("ccomp", "obj", "xcomp") and _lemma(tok.head) in self.auxiliaries)):
                passive = True  # a bare past participle is passive ("L'opposant X condamné à 20 ans")
            if participle_on_noun and "Pres" in tok.morph.get("Tense"):
                participle_on_noun = False  # "une résolution condamnant X": active, its own subject
            if participle_on_noun:
                passive = passive or "Part" in tok.morph.get("VerbForm") or tok.pos_ == "ADJ"
                subj = tok.head
                subjs = [subj]
            agent = None
            for c in tok.children:
                if c.dep_ == "obl:agent" or (c.dep_.startswith("obl") and any(_lower(x) in self.source_preps for x in c.children if x.dep_ == "case")):
                    agent = c
            if passive and agent is None:
                # "détenus torturés par la police": the parser hung "par" elsewhere
                nxt = [t for t in tok.doc[tok.i + 1:min(tok.sent.end, tok.i + 3)] if t.pos_ != "ADV"]
                if nxt and _lower(nxt[0]) in self.source_preps:
                    for t in tok.doc[nxt[0].i + 1:min(tok.sent.end, nxt[0].i + 5)]:
                        if t.pos_ in ("NOUN", "PROPN"):
                            agent = t
                            break
            if passive:
                if agent is None:
                    # "dix civils tués dans une frappe attribuée à l'armée": the instrument's author
                    for c in tok.children:
                        if c.dep_.startswith("obl") and c.pos_ == "NOUN" and self.lex.entries_for(c.lemma_):
                            ie = self.lex.entries_for(c.lemma_)[0]
                            s2, t2 = self._noun_arguments(c, ie, ctx)
                            if s2:
                                agent = s2[0]
                                break
                            agentive = prefix_lookup(self.rules.get("agentive_genitive", {}), ie.code) or []
                            t2a = [x for x in t2 if (self.resolve(x, ctx) or Actor("")).sector in agentive]
                            if t2a:  # "tuées dans des bombardements du régime"
                                agent = t2a[0]
                                break
                if agent is not None:
                    src_toks = self._conjuncts(agent)
                else:
                    implicit_agent = True
                if subj is not None:
                    tgt_toks = subjs if len(subjs) > 1 else self._conjuncts(subj)
            else:
                if subj is not None:
                    src_toks = subjs if len(subjs) > 1 else self._conjuncts(subj)
                obj = self._verb_object(tok, ctx, e.code)
                if obj is not None:
                    tgt_toks = self._conjuncts(obj)
                if e.subject == "target":
                    src_toks, tgt_toks = tgt_toks, src_toks
                    if not src_toks:
                        implicit_agent = True
        else:
            src, tgt = self._noun_arguments(tok, e, ctx)
            src_toks, tgt_toks = src, tgt
            gov = self._governing_verb(tok, ctx)
            rev = self._reverse_phrase(tok)
            if rev is not None:
                rsubj = next((c for c in rev.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
                if rsubj is None and rev.head is not rev:
                    rsubj, _ = self._subject(rev.head)
                if rsubj is not None and not tgt_toks:
                    tgt_toks = self._conjuncts(rsubj)
                anchor = rev
            elif gov is not None:
                anchor = gov
                glemma = _lemma(gov)
                vsubj, vpass = self._subject(gov)
                if glemma in self.lex.reverse_support:
                    if vsubj is not None and not any(ctx.resolve_quiet(t, self) for t in tgt_toks):
                        tgt_toks = self._conjuncts(vsubj)  # "le Niger bénéficiera d'une aide"
                elif self._is_accuser(gov):
                    pass  # "Amnesty fait état de détenus torturés": Amnesty did not torture them
                elif tok.dep_ == "nsubj:pass" and glemma in self.lex.support and not src_toks:
                    # "l'attaque a été revendiquée par le JNIM": the agent of the support verb
                    ag = [c for c in gov.children if c.dep_ == "obl:agent" or (c.dep_.startswith("obl") and any(
                        _lower(x) in self.source_preps for x in c.children if x.dep_ == "case"))]
                    if ag:
                        src_toks = self._conjuncts(ag[0])
                elif tok.dep_ not in ("nsubj", "nsubj:pass") and not src_toks and vsubj is not None and not vpass:
                    if (glemma in self.lex.support or glemma in self.lex.reporting or glemma in self.lex.planned_verbs
                            or glemma in self.lex.negating_verbs or tok.dep_ in ("obl", "obl:mod", "obl:arg")):
                        vsubjs, _ = self._subjects(gov)
                        src_toks = vsubjs or self._conjuncts(vsubj)
                if not tgt_toks and (glemma in self.lex.support or glemma in self.lex.planned_verbs):
                    # "mener des frappes sur le sud du Liban", "lancer une offensive contre X":
                    # the target hangs on the support verb
                    for c in gov.children:
                        if c.i == tok.i or not c.dep_.startswith("obl") or c.pos_ not in ("NOUN", "PROPN"):
                            continue
                        ccase = {_lower(x) for x in c.children if x.dep_ in ("case", "fixed")}
                        if ccase & self.strong_target_preps or (ccase & self.about_preps and e.code[:2] in self.about_roots):
                            tgt_toks = [c]
                            break
            if not src_toks:
                implicit_agent = True
        # resolve ("les deux pays" stands for the last pair of parties)
        if len(src_toks) == 1 and self._dual(src_toks[0]) and ctx.last_pair is not None:
            text, s0, s1 = self.np_text(src_toks[0])
            srcs = [replace(a, text=text, start=s0, end=s1) for a in ctx.last_pair]
            src_toks = []
        else:
            srcs = []
        srcs += [self.resolve(t, ctx) for t in src_toks] if src_toks else []
        tgts = [self.resolve(t, ctx) for t in tgt_toks] if tgt_toks else []
        srcs = [a for a in srcs if a is not None]
        tgts = [a for a in tgts if a is not None]
        if not tgts and tgt_toks:
            # the target is an action ("dénoncer l'invasion russe", "qualifier ces manifestations
            # d'illégales"): its author is the target
            for t in tgt_toks:
                inner_entries = [x for x in self.lex.entries_for(t.lemma_) if x.pos in (None, "NOUN")]
                if t.pos_ != "NOUN" or not inner_entries:
                    continue
                ie = inner_entries[0]
                s2, _ = self._noun_arguments(t, ie, ctx)
                who = [a for a in (self.resolve(x, ctx) for x in s2) if a is not None]
                if not who:
                    agent = ctx.implicit_agent(Trigger(t, [t], ie), None)
                    who = [agent] if agent is not None else []
                if who and all(w.id != x.id for w in who for x in srcs):
                    tgts.append(who[0])
                    break
        if not tgts and trig.is_verb:
            # "prête à poursuivre les négociations avec l'Ukraine": a partner named deeper
            for t in tok.subtree:
                if abs(t.i - tok.i) > 10 or t.dep_ not in ("nmod", "obl", "obl:arg", "obl:mod"):
                    continue
                tcase = {_lower(x) for x in t.children if x.dep_ in ("case", "fixed")}
                if tcase & self.strong_target_preps:
                    a = self.resolve(t, ctx)
                    if a is not None and all(a.id != x.id for x in srcs):
                        tgts.append(a)
                        break
        if not tgts and srcs and e.code[:2] in self.rules.get("place_as_target_roots", []):
            # "le retrait de son ambassadeur en France", "lancer en Ukraine une invasion":
            # the country where it happens is the target
            scope = list(tok.subtree) + (list(anchor.children) if anchor.i != tok.i else [])
            for t in scope:
                if abs(t.i - tok.i) > 10 or t.pos_ != "PROPN":
                    continue
                tcase = {_lower(x) for x in t.children if x.dep_ in ("case", "fixed")}
                if tcase & self.place_preps:
                    a = self.resolve(t, ctx)
                    if a is not None and a.country != srcs[0].country:
                        tgts.append(a)
                        break
        if not srcs and len(tgts) == 1 and not trig.is_verb:
            agentive = prefix_lookup(self.rules.get("agentive_genitive", {}), e.code) or []
            gen = tgt_toks[0] if tgt_toks else None
            gen_case = {_lower(x) for x in gen.children if x.dep_ in ("case", "fixed")} if gen is not None else set()
            if tgts[0].sector in agentive and gen_case & self.genitive_preps:
                srcs, tgts = tgts, []
        if not tgts and tgt_toks:
            # the complement is a thing ("lever les sanctions sur les exportations de potassium",
            # "la levée des sanctions américaines visant le potassium"): its own complements
            # name the target, and its adjective or agent the source
            inner = replace(e, genitive="target" if srcs else "source")
            for t in tgt_toks:
                s2, t2 = self._noun_arguments(t, inner, ctx)
                if not t2 and srcs:
                    # "a salué le rôle déterminant du président égyptien": the owner sits deeper
                    for x in t.subtree:
                        if x.i == t.i or abs(x.i - t.i) > 8 or x.pos_ not in ("NOUN", "PROPN"):
                            continue
                        xcase = {_lower(y) for y in x.children if y.dep_ in ("case", "fixed")}
                        if xcase & (self.genitive_preps | self.strong_target_preps) and ctx.resolve_named(x, self):
                            t2 = [x]
                            break
                tgts += [a for a in (self.resolve(x, ctx) for x in t2) if a is not None]
                if not srcs:
                    srcs += [a for a in (self.resolve(x, ctx) for x in s2) if a is not None]
        if not srcs and (implicit_agent or src_toks) and not trig.is_verb and len(tgt_toks) == 1:
            more = [self.resolve(x, ctx) for x in self._conjuncts(tgt_toks[0])[1:3]]
            tgts += [a for a in more if a is not None and all(a.id != t.id for t in tgts)]
        if not srcs and (implicit_agent or src_toks):
            if len(tgts) > 1:
                # each coordinated target its own implicit agent ("la libération des otages
                # israéliens et des prisonniers palestiniens": two releases by two parties)
                per = [(ctx.implicit_agent(trig, t), t) for t in tgts[:3]]
                per = [(a, t) for a, t in per if a is not None]
                if per:
                    return per, anchor
            agent = ctx.implicit_agent(trig, tgts[0] if tgts else None)
            if agent is not None:
                srcs = [agent]
        pairs: list[tuple[Actor | None, Actor | None]] = []
        if not srcs:
            return [], anchor
        if len(srcs) > 1 and (is_reciprocal(trig.entry.code) or trig.entry.reciprocal) and (
                not tgts or all(t.id in {s.id for s in srcs} or t.start is None or not tgt_toks for t in tgts)
                or trig.is_verb):
            pairs.append((srcs[0], srcs[1]))
        else:
            for s in srcs:
                if tgts:
                    for t in tgts[:3]:
                        pairs.append((s, t))
                else:
                    pairs.append((s, None))
        return pairs, anchor

    def _reverse_phrase(self, noun: Token) -> Token | None:
        """If a reverse support phrase ("faire face à", "être la cible de") stands right before a
        trigger noun, the token whose subject is the event's target."""
        doc = noun.doc
        lo = max(noun.sent.start, noun.i - 8)
        window = [t for t in doc[lo:noun.i] if not t.is_space]
        forms = [(_lemma(t), _lower(t)) for t in window]
        for ph in self.lex.reverse_phrases:
            k = len(ph) - 1
            matched: list[Token] = []
            for t, (lem, low) in zip(reversed(window), reversed(forms)):
                if k < 0:
                    break
                if ph[k] in (lem, low):
                    matched.append(t)
                    k -= 1
            if k < 0 and matched:
                return min(matched, key=_depth)
        return None

    def _verb_object(self, verb: Token, ctx: "DocContext", verb_code: str | None = None) -> Token | None:
        """The target token of an active verb: its object, else an actor-like complement; the
        best ranked one that names an actor, else the best ranked one ("menacer Caracas de
        sanctions": Caracas, not the sanctions)."""
        ranked: list[tuple[int, int, Token]] = []
        for c in verb.children:
            if c.pos_ not in NOUN_POS and c.dep_ not in ("obj",):
                continue
            rank = None
            case = {_lower(x) for x in c.children if x.dep_ in ("case", "fixed")}
            if c.dep_ == "obj" or c.dep_ == "iobj":
                rank = 0
            elif c.dep_ in ("obl:arg", "obl", "obl:mod", "nmod"):
                if case & self.source_preps:
                    continue
                if case & self.strong_target_preps:
                    rank = 1
                elif case & self.weak_target_preps:
                    rank = 2
                elif not case:
                    rank = 3  # an object the parser took for a modifier ("a libéré samedi 123 prisonniers")
            if rank is None:
                continue
            if ctx.is_time_token(c):
                # "a condamné, samedi, l'ancien ministre", "a enlevé dimanche vingt élèves":
                # the object hangs on the date
                for x in c.children:
                    if x.dep_ in ("conj", "nmod") and x.pos_ in ("NOUN", "PROPN") and not ctx.is_time_token(x):
                        ranked.append((0, x.i, x))
                        break
                continue
            if (rank == 2 and ctx.is_place_token(c)
                    and (verb_code is None or verb_code[:3] not in self.visit_codes)):
                continue
            ranked.append((rank, c.i, c))
        if not ranked:
            return None
        ranked.sort(key=lambda r: (r[0], r[1]))
        for _, _, c in ranked:
            if ctx.resolve_quiet(c, self):
                return c
        return ranked[0][2]

    def _between(self, tok: Token) -> list[Token]:
        """The parties of "entre X et Y" (also "entre les délégations russe et ukrainienne")."""
        doc = tok.doc
        end = tok.i
        while end + 1 < tok.sent.end and not (doc[end + 1].pos_ in ("VERB", "AUX") or doc[end + 1].is_punct
                                                and doc[end + 1].text not in self.coord_words):
            end += 1
        heads = self._coordinated(tok, end + 1)
        if len(heads) > 1:
            return heads
        # adjectives: "les délégations russe et ukrainienne"
        adjs = [t for t in doc[tok.i:end + 1] if t.pos_ == "ADJ"]
        return [tok] + adjs[1:] if len(adjs) >= 2 else heads

    def _noun_arguments(self, noun: Token, e: TriggerEntry, ctx: "DocContext") -> tuple[list[Token], list[Token]]:
        """Source and target tokens of a nominalisation."""
        src: list[Token] = []
        tgt: list[Token] = []
        for c in noun.children:
            case = {_lower(x) for x in c.children if x.dep_ in ("case", "fixed")}
            if c.dep_ == "amod" and c.pos_ in ("ADJ", "PROPN", "NOUN") and ctx.resolve_named(c, self):
                src.append(c)
            elif c.dep_ == "det" and c.morph.get("Poss") == ["Yes"]:
                # "son arrestation" (the possessor undergoes it) / "son soutien" (does it)
                owner = ctx.possessor(noun)
                if owner is not None:
                    (tgt if e.genitive == "target" else src).append(owner)
            elif c.dep_ in ("nmod", "obl", "obl:arg", "obl:mod"):
                if ctx.is_time_token(c):
                    continue
                if c.pos_ == "NOUN" and "Sing" in c.morph.get("Number") and not any(
                        x.dep_ in ("det", "nummod", "amod", "nmod") for x in c.children):
                    continue  # "visite d'État", "coup d'État": a classifier, not an actor
                if case & self.between_preps:
                    conj = self._between(c)
                    src.append(conj[0])
                    if len(conj) > 1:
                        tgt.append(conj[1])
                elif case & self.source_preps:
                    # "une invasion qualifiée de barbare par Bruxelles": the agent of the participle
                    if not any("Part" in t.morph.get("VerbForm") or (t.pos_ == "ADJ" and t.dep_ in ("amod", "acl")
                                                                     and t.text.lower().endswith(self.participle_endings))
                               for t in noun.doc[noun.i + 1:c.i]):
                        src.append(c)
                elif case & self.noun_target_preps or (case & self.about_preps and e.code[:2] in self.about_roots) \
                        or (case & self.for_preps and e.code[:2] in self.for_roots):
                    if case & self.place_preps and ctx.is_place_token(c) and e.code[:2] not in ("04",):
                        continue
                    tgt.append(c)
                elif case & self.genitive_preps or not case:
                    if e.genitive == "source":
                        src.append(c)
                    elif e.genitive == "none":
                        # the de-complement is what the action is about, not an actor
                        # ("la levée des sanctions américaines visant le potassium")
                        s2, t2 = self._noun_arguments(c, replace(e, genitive="source"), ctx)
                        src += s2
                        tgt += [x for x in t2 if x.i != c.i]
                    else:
                        tgt.append(c)
            elif c.dep_ == "acl" and _lemma(c) in self.attribution_verbs and not src:
                # "une frappe aérienne attribuée à l'armée": the author of the action
                for cc in c.children:
                    if cc.dep_.startswith("obl") and cc.pos_ in ("NOUN", "PROPN"):
                        src.append(cc)
                        break
            elif c.dep_ == "acl":
                # "la répression menée par le régime contre l'opposition", "sanctions visant le potassium"
                for cc in c.children:
                    ccase = {_lower(x) for x in cc.children if x.dep_ in ("case", "fixed")}
                    if cc.dep_ == "obl:agent" or ccase & self.source_preps:
                        src.append(cc)
                    elif (cc.dep_ == "obj" and _lemma(c) in self.targeting_verbs) or ccase & self.strong_target_preps \
                            or (ccase & self.for_preps and e.code[:2] in self.for_roots):
                        tgt.append(cc)
            elif c.dep_ == "nummod":
                continue
        if not src:
            # "une frappe de drone attribuée à l'armée": the participle may hang on a complement
            for t in noun.subtree:
                if t.i <= noun.i or t.i - noun.i > 6 or t.dep_ != "acl" or _lemma(t) not in self.attribution_verbs:
                    continue
                obl = [x for x in t.children if x.dep_.startswith("obl") and x.pos_ in ("NOUN", "PROPN")]
                if obl:
                    src.append(obl[0])
                    break
        if not src and not tgt and noun.dep_ == "nmod" and noun.head.pos_ == "NOUN" and noun.head.i < noun.i:
            # "l'accord de cessez-le-feu entre Israël et le Hamas": the parties hang on the head noun
            for c in noun.head.children:
                case = {_lower(x) for x in c.children if x.dep_ in ("case", "fixed")}
                if c.i != noun.i and case & self.between_preps:
                    conj = self._between(c)
                    src.append(conj[0])
                    tgt.extend(conj[1:2])
        if not tgt and noun.i + 2 < noun.sent.end:
            # "sa reconnaissance envers l'émir": the parser lost the preposition's attachment
            nxt = noun.doc[noun.i + 1]
            if _lower(nxt) in self.strong_target_preps and nxt.dep_ in ("punct", "dep", "case", "advmod", "mark") \
                    and nxt.head.i != noun.i:
                for t in noun.doc[noun.i + 2:min(noun.sent.end, noun.i + 6)]:
                    if t.pos_ in ("NOUN", "PROPN"):
                        tgt.append(t)
                        break
                if tgt:
                    # "envers l'émir du Qatar pour ses efforts et le président turc": a second
                    # party coordinated further on, also lost by the parser
                    doc = noun.doc
                    for k in range(tgt[0].i + 1, min(noun.sent.end - 2, tgt[0].i + 14)):
                        if _lower(doc[k]) in self.coord_words and doc[k].text != "," and doc[k + 1].pos_ == "DET" \
                                and doc[k + 2].pos_ in ("NOUN", "PROPN") and ctx.resolve_quiet(doc[k + 2], self):
                            tgt.append(doc[k + 2])
                            break
        if not tgt:
            # "la répression menée par le régime d'X contre l'opposition": the parser often
            # hangs the target on the agent; take a strong target complement below the noun
            for t in noun.subtree:
                if t.i == noun.i or t.dep_ not in ("nmod", "obl", "obl:arg", "obl:mod") or t.i - noun.i > 15:
                    continue
                tcase = {_lower(x) for x in t.children if x.dep_ in ("case", "fixed")}
                if tcase & self.strong_target_preps and not any(t.i == x.i for x in src):
                    tgt.append(t)
                    break
        return src, tgt

    # ------------------------------------------------------------------ attributes
    def governed(self, trig: Trigger, anchor: Token) -> tuple[str, str, Token] | None:
        """(kind, new code, verb) when a verb governing the trigger appeals for, demands or
        refuses the action ("exige la libération de…", "refuse de lever les sanctions")."""
        t = trig.token
        for _ in range(3):
            if t.head.i == t.i or t.dep_ not in ("xcomp", "obj", "obl", "obl:arg", "ccomp", "nmod"):
                break
            t = t.head
            if t.pos_ in ("VERB", "AUX", "NOUN", "ADJ"):
                g = self.lex.governed_code(_lemma(t), trig.entry.code) or self.lex.governed_code(_lower(t), trig.entry.code)
                if g:
                    return g[0], g[1], t
        return None

    def modality(self, trig: Trigger, anchor: Token) -> tuple[str, bool]:
        """(modality, planned) of an event from negation, mood, tense and governing verbs."""
        if self.linear:
            before = [_lower(t) for t in trig.token.doc[max(trig.token.sent.start, trig.token.i - 4):trig.token.i]]
            if any(w in self.lex.negation for w in before):
                return "negated", False
            if any(w in self.lex.planned_verbs or w in self.lex.planned_markers for w in before):
                return "planned", True
            if any(w in self.lex.hypothetical for w in before):
                return "hypothetical", False
            return "asserted", False
        chain: list[Token] = []
        t = trig.token
        for _ in range(4):
            chain.append(t)
            if t.dep_ in ("xcomp", "ccomp", "obj", "obl", "obl:arg", "nmod", "acl", "advcl", "conj") and t.head.i != t.i:
                t = t.head
            else:
                break
        if anchor not in chain:
            chain.append(anchor)
        negated = hypothetical = planned = False
        for i, tok in enumerate(chain):
            kids = list(tok.children)
            if any(_lower(k) in self.lex.negation and k.dep_ in ("advmod", "det", "cc", "mark") for k in kids):
                negated = True
            if any("Neg" in k.morph.get("Polarity") for k in kids):
                negated = True
            if i > 0 and _lemma(tok) in self.lex.negating_verbs:
                negated = True
            moods = tok.morph.get("Mood") + [m for k in kids if k.dep_.startswith("aux") for m in k.morph.get("Mood")]
            if "Cnd" in moods:
                hypothetical = True
            if any(_lower(k) in self.lex.hypothetical and k.dep_ in ("mark", "advmod") for k in kids):
                hypothetical = True
            tenses = tok.morph.get("Tense") + [m for k in kids if k.dep_.startswith("aux") for m in k.morph.get("Tense")]
            if "Fut" in tenses:
                planned = True
            if i > 0 and _lemma(tok) in self.lex.planned_verbs:
                planned = True
            if any(_lemma(k) in self.lex.planned_markers or _lower(k) in self.lex.planned_markers
                   for k in kids if k.dep_ in ("amod", "advmod", "nmod", "obl:mod")):
                planned = True
            if i > 0 and _lemma(tok) in self.lex.reporting:
                break
        if negated:
            return "negated", False
        if hypothetical:
            return "hypothetical", False
        if planned:
            return "planned", True
        return "asserted", False

    def quantity(self, toks: Iterable[Token]) -> int | None:
        """The number of people: a numeral on the target (or the trigger) noun."""
        for t in toks:
            if t is None:
                continue
            if self.linear:
                if t.like_num or _lower(t) in self.number_words:
                    n = self._number(t)
                    if n is not None:
                        return n
                continue
            for c in t.children:
                if c.dep_ in ("nummod", "det") and (c.like_num or _lower(c) in self.number_words):
                    n = self._number(c)
                    if n is not None:
                        return n
            # "au moins 10 civils" / "près de 2.000 Palestiniens": numeral as head
            if t.like_num or (self.linear and _lower(t) in self.number_words):
                n = self._number(t)
                if n is not None:
                    return n
        return None

    def _number(self, tok: Token) -> int | None:
        w = _lower(tok)
        if w in self.number_words:
            return self.number_words[w]
        digits = re.sub(r"[\s.\u202f\u00a0,]", "", w)
        if digits.isdigit() and len(digits) <= 9:
            # "1 000" is split into two tokens by the tokenizer
            nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
            if nxt is not None and nxt.text.isdigit() and len(nxt.text) == 3 and tok.whitespace_:
                digits += nxt.text
            n = int(digits)
            if 1 <= n <= 10_000_000 and not (1900 <= n <= 2100 and len(digits) == 4 and tok.dep_ != "nummod"):
                return n
        return None

    # ------------------------------------------------------------------ main
    def code_document(self, doc: Doc, article: Article, ctx: "DocContext") -> list[Event]:
        """All events of an article (deduplicated), in text order."""
        ctx.reporting = self.lex.reporting | self.lex.announce_verbs
        self.linear = not doc.has_annotation("DEP")
        cands: list[Candidate] = []
        for sent in doc.sents:
            triggers = self.find_triggers(sent)
            triggers = self._drop_nested(triggers)
            for trig in triggers:
                cands.extend(self._candidates(trig, sent, ctx))
            ctx.after_sentence(sent, self)
        return self._to_events(self._dedup(cands), article)

    def _drop_nested(self, triggers: list[Trigger]) -> list[Trigger]:
        """A noun trigger that is the object of a verb trigger that fired on it is part of that
        event ("signer un accord de cessez-le-feu"): keep the verb. A participle that only
        says who did an action ("une frappe attribuée à l'armée") is not an event."""
        if self.linear:
            return triggers
        heads = {t.token.i for t in triggers}
        triggers = [t for t in triggers if not (_lemma(t.token) in self.attribution_verbs
                                                and t.token.head.i in heads and t.token.dep_ == "acl")]
        out = []
        verbs = [t for t in triggers if t.entry.objects]
        for t in triggers:
            if not t.is_verb:
                inside = False
                for v in verbs:
                    if v is t:
                        continue
                    h = t.token
                    for _ in range(3):
                        if h.head.i == v.token.i and h.dep_ in ("obj", "obl", "obl:arg", "obl:mod", "nsubj:pass", "xcomp", "nmod"):
                            inside = True
                            break
                        if h.head.i == h.i:
                            break
                        h = h.head
                if inside:
                    continue
            out.append(t)
        return out

    def _mentions(self, sent: Span, ctx: "DocContext") -> list[Actor]:
        """Actor mentions of a sentence read from word order (no parse): runs of capitalised
        words, and single words the register knows (demonyms, role words)."""
        out: list[Actor] = []
        toks = [t for t in sent if not t.is_space]
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.text[:1].isupper() and t.is_alpha and not (t.i == sent.start and t.lower_ in self.lex.reporting):
                j = i
                while j + 1 < len(toks) and (toks[j + 1].text[:1].isupper() or toks[j + 1].text in ("-", "of")
                                             and j + 2 < len(toks) and toks[j + 2].text[:1].isupper()):
                    j += 1
                span = sent.doc[toks[i].i:toks[j].i + 1]
                a = ctx.resolve(span.text, span.start_char, span.end_char)
                if a is None and j > i:  # "The US envoy": try the words one by one
                    for k in range(i, j + 1):
                        a = ctx.resolve(toks[k].text, toks[k].idx, toks[k].idx + len(toks[k].text))
                        if a is not None and a.country:
                            break
                if a is not None and a.country:
                    out.append(a)
                i = j + 1
                continue
            if t.is_alpha and len(t.text) > 2:
                a = ctx.resolve(t.text, t.idx, t.idx + len(t.text))
                if a is not None and a.country and (a.id or "").split(":")[0] in ("country", "org", "person", "group"):
                    out.append(a)
            i += 1
        return out

    def _linear_pairs(self, trig: Trigger, sent: Span, ctx: "DocContext") -> list[tuple[Actor | None, Actor | None]]:
        """Source and target by word order: the nearest actor before the trigger and the nearest
        after it; "was … by X" swaps them (passive)."""
        ments = self._mentions(sent, ctx)
        t0 = trig.token.idx
        left = [m for m in ments if (m.end or 0) <= t0]
        right = [m for m in ments if (m.start or 0) > t0]
        before = sent.doc[max(sent.start, trig.token.i - 2):trig.token.i]
        passive = any(_lower(t) in self.passive_aux for t in before)
        agent = None
        if passive:
            for m in right:
                span = sent.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None and any(_lower(t) in self.source_preps
                                            for t in sent.doc[max(sent.start, span.start - 3):span.start]):
                    agent = m
                    break
        if passive:
            src = agent
            tgt = left[-1] if left else None
            if src is None:
                src = ctx.implicit_agent(trig, tgt)
        else:
            src = left[-1] if left else None
            tgt = next((m for m in right if src is None or m.id != src.id), None)
            if tgt is None and len(left) >= 2 and (is_reciprocal(trig.entry.code) or trig.entry.reciprocal):
                between = sent.doc.text[left[-2].end or 0:left[-1].start or 0]
                if between.strip().lower() in self.coord_words or between.strip() == ",":
                    src, tgt = left[-2], left[-1]  # "Israel and Hamas signed": first-named as source
        return [(src, tgt)] if src is not None else []

    def _candidates(self, trig: Trigger, sent: Span, ctx: "DocContext") -> list[Candidate]:
        if self.linear:
            pairs, anchor = self._linear_pairs(trig, sent, ctx), trig.token
        else:
            pairs, anchor = self.arguments(trig, ctx)
        gov = None if self.linear else self.governed(trig, anchor)
        if gov is not None:
            # the appeal/demand/refusal is the event: its author is the governing verb's subject
            kind, new_code, verb = gov
            subjs, passive = self._subjects(verb) if verb.pos_ in ("VERB", "AUX") else ([], False)
            authors = [a for a in (self.resolve(t, ctx) for t in subjs) if a is not None] if not passive else []
            if authors:
                targets = [p[1] for p in pairs if p[1] is not None] or [p[0] for p in pairs if p[0] is not None]
                pairs = [(authors[0], targets[0] if targets else None)]
        if not pairs:
            return []
        modality, planned = self.modality(trig, anchor)
        code = trig.entry.code
        if gov is not None:
            code, modality, planned = gov[1], "asserted", False
        if planned:
            intent = self.lex.intent_code(code)
            if intent:
                code, modality = intent, "asserted"
        if trig.entry.implicit_code and all(p[0] is not None and p[0].text == "" for p in pairs):
            code = trig.entry.implicit_code  # no party named: "des heurts ont éclaté" is a riot
        att = ctx.attribution(trig, self)
        date_v, prec, inferred = ctx.event_date(trig, anchor, sent, modality)
        out = []
        for src, tgt in pairs:
            if src is not None and tgt is not None and src.id and src.id == tgt.id:
                continue
            qty_toks = []
            if tgt is not None and tgt.start is not None:
                span = sent.doc.char_span(tgt.start, tgt.end or tgt.start, alignment_mode="expand")
                if span is not None and len(span):
                    qty_toks = [span.root]
            if self.linear:
                qty_toks = [t for t in trig.token.doc[trig.token.i + 1:min(sent.end, trig.token.i + 4)]
                            if (t.like_num or _lower(t) in self.number_words) and t.i + 1 < sent.end
                            and _lower(t.doc[t.i + 1]) not in self.units][:1]
            qty = self.quantity(qty_toks + [trig.token]) if code[:2] in ("08", "17", "18", "19", "20", "03", "14", "11", "10") else None
            if tgt is not None and src is not None and tgt.country == src.country and tgt.start is not None \
                    and ctx._is_captive(tgt) and not ctx.resolve_named_text(tgt):
                others = [c for c in ctx.actors.ranked_countries() if c != src.country]
                if others:
                    tgt = replace(tgt, country=others[0], id=f"group:{others[0]}:{tgt.sector}")
            if tgt is not None and src is not None and tgt.country != src.country and tgt.start is not None \
                    and ctx.is_state(src.country) and code[:2] in ("14", "17", "18") \
                    and not ctx.resolve_named_text(tgt) and not ctx._is_captive(tgt):
                # "des détenus torturés par la police égyptienne": the victims of a state's
                # coercion with no country of their own are in that state
                tgt = replace(tgt, country=src.country, id=f"group:{src.country}:{tgt.sector}")
            loc = ctx.location(trig, sent, src, tgt, code, date_v)
            if tgt is None and src is not None and ctx.is_state(src.country) and src.sector != "IGO":
                sector = prefix_lookup(self.rules.get("default_targets", {}), code)
                if sector and src.sector != sector:
                    tgt = Actor(text="", name=f"{src.country} {sector}", country=src.country, sector=sector,
                                id=f"group:{src.country}:{sector}")
            if tgt is None and src is not None and code[:2] in self.rules.get("main_country_target_roots", []):
                mc = ctx.actors.main_country()
                if mc and mc != src.country:
                    tgt = Actor(text="", name=f"{mc} GOV", country=mc, sector="GOV", id=f"country:{mc}")
            if tgt is None and src is not None and (code[:3] in self.visit_codes or code[:2] == "04") and loc is not None \
                    and loc.country and loc.country != src.country:
                tgt = Actor(text="", name=f"{loc.country} GOV", country=loc.country, sector="GOV",
                            id=f"country:{loc.country}")
            if src is not None and tgt is not None and ctx.is_state(src.country) and ctx.is_state(tgt.country) \
                    and src.country != tgt.country:
                ctx.last_pair = (src, tgt)
            anaphoric = not trig.is_verb and (src is None or not src.text) and (tgt is None or not tgt.text) and any(
                c.dep_ == "det" and "Dem" in c.morph.get("PronType") for c in trig.token.children)
            out.append(Candidate(trig, code, src, tgt, modality, qty, date_v, prec, inferred, loc, att, sent,
                                 anaphoric=anaphoric))
        if not self.linear:
            out.extend(self._accusations(trig, anchor, out, ctx))
        return out

    def _is_accuser(self, verb: Token) -> bool:
        verbs = self.lex.accusers[0]
        return _lemma(verb) in verbs or any(f"{_lemma(verb)} {_lower(c)}" in verbs
                                            for c in verb.children if c.dep_ in ("obj", "fixed"))

    def _accusations(self, trig: Trigger, anchor: Token, events: list[Candidate], ctx: "DocContext") -> list[Candidate]:
        """"Amnesty fait état de détenus torturés": the abuse, and Amnesty accusing its author."""
        verbs, table = self.lex.accusers
        if not events or not table:
            return []
        code = prefix_lookup(table, events[0].code)
        if not code:
            return []
        t = trig.token
        verb = None
        for _ in range(3):
            if t.head.i == t.i:
                break
            t = t.head
            if t.pos_ in ("VERB", "AUX"):
                if self._is_accuser(t):
                    verb = t
                break
        if verb is None:
            return []
        subjs, passive = self._subjects(verb)
        accusers = [a for a in (self.resolve(x, ctx) for x in subjs) if a is not None] if not passive else []
        out = []
        for acc in accusers[:1]:
            ev = events[0]
            if ev.source is None or acc.id == ev.source.id:
                continue
            out.append(Candidate(ev.trigger, code, acc, ev.source, "asserted", None, ev.date, ev.date_precision,
                                 ev.date_inferred, None, None, ev.sentence))
        return out

    def _dedup(self, cands: list[Candidate]) -> list[Candidate]:
        """Merge mentions of the same action: same code family, same actors, compatible dates."""
        out: list[Candidate] = []
        for c in cands:
            merged = False
            if c.anaphoric:
                prev = next((o for o in reversed(out) if o.code[:2] == c.code[:2]), None)
                if prev is not None:
                    prev.extra_mentions.append(_mention(c))
                    continue
            for o in out:
                if (o.sentence.start == c.sentence.start and o.code[:2] == c.code[:2]
                        and _actor_key(o.source) == _actor_key(c.source)
                        and (o.target is None or c.target is None)):
                    # two words for one action in one sentence ("dispersés à coups de gaz lacrymogènes")
                    if o.target is None and c.target is not None:
                        o.target, o.quantity = c.target, o.quantity or c.quantity
                    o.extra_mentions.append(_mention(c))
                    merged = True
                    break
                if (o.code[:3] == c.code[:3] or o.code[:2] == c.code[:2] and min(len(o.code), len(c.code)) == 2) \
                        and _actor_key(o.source) == _actor_key(c.source) and _actor_key(o.target) == _actor_key(c.target) \
                        and o.modality == c.modality \
                        and (o.date == c.date or o.date_inferred or c.date_inferred or o.date is None or c.date is None):
                    if c.sentence.start_char == o.sentence.start_char and c.trigger.token.i == o.trigger.token.i:
                        merged = True
                        break
                    o.extra_mentions.append(_mention(c))
                    if len(c.code) > len(o.code):
                        o.code = c.code
                    if o.quantity is None:
                        o.quantity = c.quantity
                    if (o.date is None or o.date_inferred) and c.date and not c.date_inferred:
                        o.date, o.date_precision, o.date_inferred = c.date, c.date_precision, False
                    if o.location is None or (o.location.place is None and c.location and c.location.place):
                        o.location = c.location or o.location
                    merged = True
                    break
            if not merged:
                out.append(c)
        return self._absorb_partial(out)

    def _absorb_partial(self, cands: list[Candidate]) -> list[Candidate]:
        """A mention that names no target ("la signature d'un document", "ils sont venus
        bombarder") is the same action as a full mention of the article with the same root,
        source and a compatible date: keep one event with both mentions."""
        full = [c for c in cands if c.target is not None]
        out: list[Candidate] = []
        for c in cands:
            if c.target is None and c.source is not None:
                host = next((o for o in full if o.code[:2] == c.code[:2] and _actor_key(o.source) == _actor_key(c.source)
                             and (o.modality == c.modality)
                             and (o.date == c.date or o.date is None or c.date is None or o.date_inferred or c.date_inferred)),
                            None)
                if host is not None:
                    host.extra_mentions.append(_mention(c))
                    host.extra_mentions.extend(c.extra_mentions)
                    continue
            out.append(c)
        return out

    def _to_events(self, cands: list[Candidate], article: Article) -> list[Event]:
        events = []
        for n, c in enumerate(cands):
            info = self.onto.get(c.code)
            trig_toks = c.trigger.tokens
            t0 = min(t.idx for t in trig_toks)
            t1 = max(t.idx + len(t.text) for t in trig_toks)
            sent_text = c.sentence.text.strip()
            s0 = c.sentence.start_char + (len(c.sentence.text) - len(c.sentence.text.lstrip()))
            events.append(Event(
                article_id=article.id,
                published=article.published,
                lang=article.lang,
                cameo=c.code,
                root=info.root,
                quad_class=info.quad_class,
                goldstein=info.goldstein,
                plover_type=info.plover_type,
                plover_mode=info.plover_mode,
                cameo_name=info.name,
                source=c.source,
                target=c.target,
                date=c.date,
                date_precision=c.date_precision,
                date_inferred=c.date_inferred,
                modality=c.modality,
                quantity=c.quantity,
                location=c.location,
                sentence=sent_text,
                start=s0,
                end=s0 + len(sent_text),
                trigger=article.text[t0:t1],
                trigger_start=t0,
                trigger_end=t1,
                attribution=c.attribution,
                mentions=[_mention(c)] + c.extra_mentions,
                event_id=f"{article.id}#{n}",
            ))
        return events


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


from .context import DocContext  # noqa: E402  (circular: the context uses the coder's helpers)
