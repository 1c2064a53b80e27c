"""Stage 1, candidates: tokens whose lemma, or token sequences whose words, are in the
language's lexicon; an entry restricted to some objects is preferred when they match;
nested triggers (a noun that is the object of a verb trigger) are dropped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from spacy.tokens import Span, Token

from .base import (NOUN_POS, OBJ, VERB_POS, Trigger, _depth,
                   _lemma, _lower)
from .lexicon import TriggerEntry, fold, units

if TYPE_CHECKING:  # pragma: no cover
    pass


DECLINED = "kronika_declined"  # doc.user_data key: (DECLINED, sentence start) -> token indices


def declined_tokens(sent: Span) -> set[int]:
    """Token indices of a sentence that ``find_triggers`` declined (see there)."""
    return sent.doc.user_data.get((DECLINED, sent.start), set())


class TriggerStage:
    """Mixin of :class:`kronika.extraction.coder.Coder`."""

    def _objects_of(self, tok: Token, noun: bool, window: bool = True) -> set[str]:
        """Lemmas that can satisfy an entry's ``objects``: heads of the complements and their words
        (for a verb, with ``window``, also the words after it up to the next finite verb)."""
        out: set[str] = set()
        deps = {"nmod", "amod", "obl", "obl:arg", "obl:mod", "acl", "appos"} if noun else OBJ | {"nsubj:pass"}
        for c in tok.children:
            if c.dep_ in deps or (not noun and c.dep_ == "obj"):
                for t in list(c.subtree)[:30]:
                    out.add(_lemma(t))
                    out.add(_lower(t))
                    out.add(fold(t.text))
        if not noun and window:
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

    def _complement_heads(self, tok: Token, noun: bool) -> set[str]:
        """Forms of the heads of a word's complements (with their conjuncts and the words of a
        compound name): what ``not_objects`` is compared with, so that a word deep in a
        relative clause does not exclude a sense ("la libération des prisonniers que compte
        le pays" is a release, although ``libération`` excludes "de la ville / du pays")."""
        deps = {"nmod", "amod", "obl", "obl:arg", "obl:mod", "acl", "appos"} if noun else OBJ | {"nsubj:pass"}
        out: set[str] = set()
        for c in tok.children:
            if c.dep_ in deps or (not noun and c.dep_ == "obj"):
                for t in [c] + [x for x in c.children if x.dep_ in ("conj", "flat", "fixed", "compound", "amod",
                                                                     "flat:name")]:
                    out.update((_lemma(t), _lower(t), fold(t.text), fold(t.lemma_)))
        if tok.dep_ == "acl" or (tok.dep_ == "amod" and tok.pos_ in ("VERB", "ADJ")):
            out.update((_lemma(tok.head), _lower(tok.head), fold(tok.head.text)))
        return out

    def _core_objects(self, tok: Token) -> set[str]:
        """Lemmas of a verb's object, clausal complement, particle, argument obliques and
        passive subject, and of the noun a participle qualifies."""
        out: set[str] = set()
        for c in tok.children:
            if c.dep_ in ("obj", "iobj", "xcomp", "ccomp", "compound:prt", "nsubj:pass", "obl:arg"):
                for t in list(c.subtree)[:30]:
                    out.update((_lemma(t), _lower(t), fold(t.text)))
        if tok.dep_ == "acl" or (tok.dep_ == "amod" and tok.pos_ in ("VERB", "ADJ")):
            out.update((_lemma(tok.head), _lower(tok.head)))
        return out

    def _choose(self, tok: Token, entries: Sequence[TriggerEntry]) -> TriggerEntry | None:
        noun = tok.pos_ in NOUN_POS
        objs: set[str] | None = None
        direct: set[str] = set()
        heads: set[str] | None = None
        best: TriggerEntry | None = None
        best_rank: tuple[bool, int] = (False, -1)
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
            reflexive = any(c.dep_.startswith("expl") or "Yes" in c.morph.get("Reflex") for c in tok.children)
            if e.reflexive and not reflexive or e.not_reflexive and reflexive:
                continue
            if e.not_attribute and self._has_attribute(tok):
                continue  # "un délai jugé trop long", "ont jugé bienvenue la prolongation": consider
            if e.not_clause and any(c.dep_ in ("ccomp", "parataxis") for c in tok.children):
                continue  # "a averti qu'il y aura des pénuries": a warning, not a threat
            if e.modifiers and not any(_lemma(c) in e.modifiers or _lower(c) in e.modifiers
                                       for c in tok.children if c.dep_ in ("amod", "nmod", "compound", "flat")):
                continue
            if e.objects or e.not_objects:
                if objs is None:
                    objs = self._objects_of(tok, noun)
                    direct = objs if noun else self._core_objects(tok)
                if e.objects and not (e.objects & objs):
                    continue
                if e.not_objects:
                    heads = self._complement_heads(tok, noun) if heads is None else heads
                    if e.not_objects & heads:
                        continue
            # objects found in the verb's object outrank objects met further on ("halted
            # economic aid … in line with efforts to end the fighting": the aid, not the fighting)
            rank = (bool(e.objects & direct), e.specificity)
            if best is None or rank > best_rank:
                best, best_rank = e, rank
        return best

    def _excluded_sense(self, tok: Token, entries: Sequence[TriggerEntry]) -> bool:
        """Whether an entry of the word excludes the sense it has here (``not_reflexive``,
        ``not_attribute``, ``not_clause``, ``not_objects``): "s'arrêter devant", "jugé trop long"."""
        if self.linear or tok.pos_ not in VERB_POS:
            return False
        objs: set[str] | None = None
        for e in entries:
            if e.not_reflexive and any(c.dep_.startswith("expl") or "Yes" in c.morph.get("Reflex") for c in tok.children):
                return True
            if e.not_attribute and self._has_attribute(tok):
                return True
            if e.not_clause and any(c.dep_ in ("ccomp", "parataxis") for c in tok.children):
                return True
            if e.not_objects and not e.objects:
                objs = self._complement_heads(tok, False) if objs is None else objs
                if e.not_objects & objs:
                    return True
        return False

    def _has_attribute(self, tok: Token) -> bool:
        """Whether a verb has an adjective (or an adjectival participle with no object of its
        own) as complement: "jugé trop long", "jugé de plus en plus autoritaire", "jugé
        bienvenue cette prolongation"."""
        for c in tok.children:
            if c.dep_ not in ("xcomp", "obl:arg", "acl", "advcl", "obj") or c.i < tok.i:
                continue
            if c.pos_ == "ADJ" and c.dep_ != "obj" and c.lemma_.lower() not in self.verdict_adjectives:
                return True  # "jugé coupable" is a verdict, not an opinion
            if c.dep_ == "xcomp" and c.pos_ == "NOUN" and not any(x.dep_ == "det" for x in c.children):
                return True  # "ont jugé « bienvenue » la prolongation"
            if c.dep_ == "xcomp" and c.pos_ == "VERB" and "Part" in c.morph.get("VerbForm") \
                    and "Past" in c.morph.get("Tense"):
                return True
        # the parser often hangs a quoted adjective on the quote mark: "jugé « trop long »"
        nxt = [t for t in tok.doc[tok.i + 1:min(tok.sent.end, tok.i + 5)] if not (t.is_punct or t.pos_ == "ADV")]
        if not nxt or nxt[0].lemma_.lower() in self.verdict_adjectives:
            return False
        first = nxt[0]
        return first.pos_ == "ADJ" or (first.pos_ == "VERB" and "Part" in first.morph.get("VerbForm")
                                       and "Past" in first.morph.get("Tense"))

    @staticmethod
    def _in_a_name(tok: Token, sent: Span) -> bool:
        """Whether an event noun is a word of an organisation's or a title's name, as the
        entity recogniser reads it ("le Front de libération nationale", "la Commission
        d'enquête de l'ONU", the newspaper "Libération" mid-sentence)."""
        if tok.ent_type_ not in ("ORG", "MISC"):
            return False
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if ent is None or not ent[0].text[:1].isupper():
            return False
        if ent[0].i != tok.i:
            return True
        if len(ent) > 1 and ent.start <= tok.head.i < ent.end and tok.head.i != tok.i:
            return True  # a modifier inside a longer name ("Amnesty International")
        prev = tok.doc[tok.i - 1] if tok.i > sent.start else None
        return prev is not None and not prev.is_punct and len(ent) == 1 and not any(
            c.dep_ == "det" for c in tok.children)

    def _is_charge(self, tok: Token) -> bool:
        if self.linear:
            return False
        h = tok
        for _ in range(3):
            if h.head.i == h.i or h.dep_ in ("nsubj", "nsubj:pass"):
                return False  # "les rassemblements se poursuivent": the subject is no charge
            h = h.head
            if _lemma(h) in self.charge_words or _lower(h) in self.charge_words:
                # "se poursuivre" is to go on, not to be prosecuted
                return not any(c.dep_.startswith("expl") or "Yes" in c.morph.get("Reflex") for c in h.children)
        return False

    def find_triggers(self, sent: Span) -> list[Trigger]:
        """Trigger tokens of a sentence, each with its lexicon entry."""
        found: list[Trigger] = []
        used: set[int] = set()
        # words the lexicon declines in this sentence (blockers, charges, names, a sense its
        # entries exclude): the open trigger stage does not make them events either
        declined: set[int] = set()
        sent.doc.user_data[(DECLINED, sent.start)] = declined
        toks = list(sent)
        seq = self._unit_seq(toks)
        for _, matched, _ in self._phrase_matches(toks, self.lex.blocker_index, seq):
            used.update(t.i for t in matched)  # support.yaml blockers, compared as phrases are
            declined.update(t.i for t in matched)
        # phrases first: they are more specific than the words they contain
        for head, matched, e in self._phrase_matches(toks, None, seq):
            if e.objects:
                j = matched[-1].i - sent.start + 1
                if self.linear:
                    near = {_lemma(x) for x in toks[j:j + 8]} | {_lower(x) for x in toks[j:j + 8]}
                else:
                    near = self._objects_of(matched[-1], True) | self._objects_of(matched[0], False)
                if not e.objects & (near | {fold(x) for x in near}):
                    continue
            if any(t.i in used for t in matched):
                continue
            if e.lemma and e.pos and len(matched) == 1:
                continue  # one token: the word's own entry applies below, with all its conditions
            if head.pos_ in ("NOUN", "PROPN") and self._is_charge(head):
                used.update(t.i for t in matched)
                declined.update(t.i for t in matched)
                continue  # "accusent le président d'un coup d'État": a charge, not an event
            found.append(Trigger(head, matched, e))
            used.update(t.i for t in matched)
        for tok in toks:
            if tok.i in used or tok.is_punct or tok.is_space:
                continue
            entries = self.lex.entries_for(tok.lemma_) or self.lex.entries_for(tok.text)
            if not entries and tok.pos_ in NOUN_POS:
                entries = self.lex.entries_for_plural(tok.text)
            if not entries:
                continue
            entry = self._choose(tok, entries)
            if entry is None:
                if self._excluded_sense(tok, entries):
                    declined.add(tok.i)
                continue
            if tok.pos_ in ("NOUN", "PROPN") and self._is_charge(tok):
                declined.add(tok.i)
                continue  # "reconnu coupable de meurtre": a charge, not an event of the article
            if tok.pos_ in ("NOUN", "PROPN") and self._in_a_name(tok, sent):
                declined.add(tok.i)
                continue  # "l'Armée de libération nationale", "joint par Libération": names
            found.append(Trigger(tok, [tok], entry))
            used.add(tok.i)
        return found

    @staticmethod
    def _unit_seq(toks: list[Token]) -> list[tuple[str, str | None, int]]:
        """(unit, lemma unit or None, token index) of each comparison unit of the tokens."""
        seq: list[tuple[str, str | None, int]] = []
        for n, t in enumerate(toks):
            if t.is_space:
                continue
            us = units(t.text)
            lem = units(t.lemma_) if len(us) == 1 else []
            for u in us:
                seq.append((u, lem[0] if len(lem) == 1 else None, n))
        return seq

    def _phrase_matches(self, toks: list[Token], index: dict | None = None,
                        seq: list[tuple[str, str | None, int]] | None = None) -> list[tuple[Token, list[Token], Any]]:
        """Phrase entries found in a sentence, compared unit by unit (lexicon.units: case,
        accents, plural, elision and hyphenation do not matter), at token boundaries; a
        one-word unit also matches by its lemma ("a pris en otage" for "prendre en otage")."""
        if seq is None:
            seq = self._unit_seq(toks)
        index = self.lex.phrase_index if index is None else index
        out: list[tuple[Token, list[Token], Any]] = []
        starts = [k for k in range(len(seq)) if k == 0 or seq[k][2] != seq[k - 1][2]]
        for a in starts:
            cands = index.get(seq[a][0], []) + (
                index.get(seq[a][1], []) if seq[a][1] and seq[a][1] != seq[a][0] else [])
            for words, e in sorted(cands, key=lambda c: -len(c[0])):  # the longest phrase first
                b = a + len(words)
                if b > len(seq) or (b < len(seq) and seq[b][2] == seq[b - 1][2]):
                    continue  # the phrase must end where a token ends
                if all(seq[a + k][0] == w or seq[a + k][1] == w for k, w in enumerate(words)):
                    matched = [toks[n] for n in sorted({seq[k][2] for k in range(a, b)})]
                    head = matched[0] if self.linear else min(matched, key=lambda t: _depth(t))
                    out.append((head, matched, e))
        return out

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
