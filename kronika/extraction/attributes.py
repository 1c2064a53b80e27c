"""Stage 4, attributes of a candidate: the governing appeal/demand/refusal, modality,
quantity."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from spacy.tokens import Token

from .base import (Trigger, _lemma, _lower)
from .lexicon import prefix_lookup

if TYPE_CHECKING:  # pragma: no cover
    pass


class AttributeStage:
    """Mixin of :class:`kronika.extraction.coder.Coder`."""

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
                if t.pos_ == "VERB" and self.lex.entries_for(t.lemma_):
                    break  # "demande de protester contre ce coup d'État": the coup is the protest's target
        return self._modal_governor(trig, anchor)

    def _modal_governor(self, trig: Trigger, anchor: Token) -> tuple[str, str, Token] | None:
        """"Russia said Sudan must return the helicopter": an action under a modal of obligation
        (``modality.auxiliary_governors`` of support.yaml) in the clause of a reporting verb is
        the reporter's demand (or appeal) of it; the reporting verb is the governor."""
        mod = self.lex.raw_support.get("modality") or {}
        auxes = {str(k).lower(): str(v) for k, v in (mod.get("auxiliary_governors") or {}).items()}
        if not auxes:
            return None
        v = trig.token if trig.is_verb else anchor
        if v is None:
            return None
        kind = next((auxes[_lower(c)] for c in v.children if c.dep_.startswith("aux") and _lower(c) in auxes), None)
        h = v.head
        if kind is None or v.dep_ != "ccomp" or h.i == v.i or _lemma(h) not in self.lex.reporting | self.lex.announce_verbs:
            return None
        table = self.lex.governors.get(kind, (set(), {}))[1]
        code = prefix_lookup(table, trig.entry.code) or (mod.get("governor_defaults") or {}).get(kind)
        return (kind, str(code), h) if code else None

    def refusal_by_negation(self, trig: Trigger, anchor: Token) -> str | None:
        """The refusal code of a cooperative action negated with a future or conditional
        auxiliary ("Syria will not accept more refugees", "Obama said he would not provide
        support to Israel": a refusal, CAMEO 12x), from ``modality.refusing_auxiliaries`` and
        the ``refusal_codes`` of support.yaml; None otherwise."""
        auxes = self.lex.refusing_auxiliaries
        table = self.lex.governors.get("refusal", (set(), {}))[1]
        if not auxes or not table:
            return None
        code = prefix_lookup(table, trig.entry.code) or self.lex.refusal_defaults.get(trig.entry.code[:2])
        if not code:
            return None
        t = trig.token if trig.is_verb else anchor
        for _ in range(3):
            if t is None or t.pos_ not in ("VERB", "AUX", "ADJ"):
                return None
            kids = list(t.children)
            neg = any(_lower(k) in self.lex.negation and k.dep_ in ("advmod", "neg") for k in kids)
            aux = any(k.dep_.startswith("aux") and _lower(k) in auxes for k in kids)
            if neg:
                return str(code) if aux else None
            if t.dep_ != "xcomp" or t.head.i == t.i:
                return None
            t = t.head  # "will not agree to lift the sanctions"
        return None

    def future_tense(self, trig: Trigger, anchor: Token) -> bool:
        """Whether the trigger's own clause is in the future ("will attack") or the reported
        future ("said they would blockade"), not planned by a verb or a marker."""
        v = trig.token if trig.is_verb else anchor
        if v is None:
            return False
        for k in v.children:
            if not k.dep_.startswith("aux"):
                continue
            if "Fut" in k.morph.get("Tense"):
                return True
            if _lower(k) in self.lex.reported_future and v.dep_ == "ccomp" and v.head.i != v.i \
                    and _lemma(v.head) in self.lex.reporting | self.lex.announce_verbs:
                return True
        return False

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
        reported_future = False  # "Iraq said it would allow…": a conditional of the reported clause
        own = {t.i for t in trig.tokens}  # "ne restera pas impuni": the phrase's own negation
        for i, tok in enumerate(chain):
            kids = [k for k in tok.children if k.i not in own]
            if any(_lower(k) in self.lex.negation and k.dep_ in ("advmod", "det", "cc", "mark") for k in kids):
                negated = True
            if any("Neg" in k.morph.get("Polarity") for k in kids):
                negated = True
            if i > 0 and _lemma(tok) in self.lex.negating_verbs:
                negated = True
            moods = tok.morph.get("Mood") + [m for k in kids if k.dep_.startswith("aux") for m in k.morph.get("Mood")]
            cnd_aux = [k for k in kids if k.dep_.startswith("aux") and "Cnd" in k.morph.get("Mood")]
            if "Cnd" in moods and cnd_aux and "Cnd" not in tok.morph.get("Mood") \
                    and all(_lower(k) in self.lex.reported_future for k in cnd_aux) \
                    and tok.dep_ == "ccomp" and _lemma(tok.head) in self.lex.reporting | self.lex.announce_verbs:
                reported_future = True  # the future of a reported clause, not a hypothesis
            elif "Cnd" in moods:
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
        planned = planned or (reported_future and not hypothetical)
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
