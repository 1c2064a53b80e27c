"""Noun phrases and clause structure the argument rules walk: phrase text and span,
resolution of a head token to an actor, coordination, subjects, governing verbs, objects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from ..model import Actor
from .base import (NOUN_POS, NP_DEPS, SUBJ, _depth,
                   _lemma, _lower, _nominal, is_reciprocal)

if TYPE_CHECKING:  # pragma: no cover
    from .context import DocContext
    from .lexicon import TriggerEntry


class PhraseRules:
    """Mixin of :class:`kronika.extraction.coder.Coder`."""

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
                if c.dep_ in ("conj", "cc") and t.i != tok.i and t.i < tok.i and c.i < tok.i:
                    keep.add(c.i)  # "US and British activists": coordinated modifiers before the head
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
        doc = tok.doc
        # a word the tokenizer cut at its hyphens ("Royaume - Uni", "Guinée - Bissau") stays whole
        while hi + 2 < len(doc) and doc[hi + 1].text in "-‑" and doc[hi + 1].idx == doc[hi].idx + len(doc[hi].text) \
                and doc[hi + 2].idx == doc[hi + 1].idx + 1 and not doc[hi + 2].is_punct:
            hi += 2
        while lo - 2 >= 0 and doc[lo - 1].text in "-‑" and doc[lo].idx == doc[lo - 1].idx + 1 \
                and doc[lo - 1].idx == doc[lo - 2].idx + len(doc[lo - 2].text) and not doc[lo - 2].is_punct:
            lo -= 2
        span = doc[lo:hi + 1]
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
        if self._is_action(tok):
            return None  # an action is not an actor ("la répression des manifestants")
        if tok.pos_ == "NOUN" and any(m[0].i == tok.i for m in self._phrase_matches(list(tok.doc[tok.i:min(tok.sent.end, tok.i + 6)]))):
            return None  # nor is a phrase trigger it heads ("a state of emergency", "l'état d'urgence")
        text, s, e = self.np_text(tok)
        a = ctx.resolve(text, s, e)
        return a if a is not None and a.country else None

    def _role_actor(self, tok: Token, ctx: "DocContext") -> Actor | None:
        """The actor a phrase names by a role word alone ("la population", "le pouvoir",
        "les manifestants"), its country unknown; None for an action, a pronoun, a thing or
        foreigners."""
        if tok.pos_ not in ("NOUN", "PROPN") or self._is_action(tok):
            return None
        text, s0, s1 = self.np_text(tok)
        a = ctx.resolve(text, s0, s1)
        if a is None or a.country is not None or not a.sector or (a.id or "").endswith("FOREIGN"):
            return None
        return a

    def _mutual(self, verb: Token, subj: Token, obj: Token | None, e: "TriggerEntry") -> bool:
        """A plural subject, a reflexive clitic and no other object on a verb of an action done
        to each other ("les milices s'affrontent", "les deux camps s'accusent"): reciprocal codes
        and ``coding.yaml: mutual_roots``; not a verb whose entry needs the clitic ("se rendre")."""
        if e.reflexive or not (is_reciprocal(e.code) or e.code[:2] in self.rules.get("mutual_roots", [])):
            return False
        if subj.pos_ != "NOUN" or "Plur" not in subj.morph.get("Number"):
            return False
        clitic = [c for c in verb.children if c.dep_.startswith("expl") or "Yes" in c.morph.get("Reflex")]
        return bool(clitic) and (obj is None or obj.i in {c.i for c in clitic})

    def _is_action(self, tok: Token) -> bool:
        return tok.pos_ == "NOUN" and any(x.pos in (None, "NOUN") for x in self.lex.entries_for(tok.lemma_))

    def _action_is_target(self, noun: Token) -> bool:
        """Whether an action noun names its author by a possessive ("ses sanctions") or a
        "par" agent, so that the author, not a party hanging on the verb, is the target."""
        for c in noun.children:
            if c.dep_ == "det" and "Yes" in c.morph.get("Poss"):
                return True
            if c.dep_.startswith(("nmod", "obl")) and any(_lower(x) in self.source_preps for x in c.children
                                                         if x.dep_ == "case"):
                return True
        return False

    def resolve_each(self, tok: Token, ctx: "DocContext") -> list[Actor | None]:
        """The actors named by the phrase headed by ``tok``: one per state for a plural role
        over coordinated states ("les présidents de la RDC et de l'Angola"), else ``resolve``."""
        if tok.pos_ == "NOUN" and "Plur" in tok.morph.get("Number") and not self._is_action(tok):
            text, s, e = self.np_text(tok)
            many = ctx.actors.resolve_compound(text, s, e)
            if many:
                return list(many)
        return [self.resolve(tok, ctx)]

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
        if verb.dep_ in ("xcomp", "obl:arg") and verb.head.i != verb.i and _lemma(verb.head) in self.object_control:
            # "Bamako accuse son voisin d'avoir abattu un drone": the accused did it; "trois
            # personnes accusées d'avoir tué": the persons
            ctl = verb.head
            obj = next((c for c in ctl.children if c.dep_ in ("obj", "iobj") and c.i < verb.i or c.dep_ == "nsubj:pass"), None)
            if obj is None and ctl.dep_ in ("acl", "amod") and ctl.head.pos_ in NOUN_POS:
                obj = ctl.head
            if obj is not None:
                return obj, passive
        if verb.dep_ in ("xcomp", "conj") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX") or (
                verb.dep_ in ("advcl", "acl") and "Pres" in verb.morph.get("Tense")
                and "Part" in verb.morph.get("VerbForm") and verb.head.pos_ in ("VERB", "AUX")) or (
                verb.dep_ in ("ccomp", "obj") and _lemma(verb.head) in self.auxiliaries) or (
                verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX") and "Inf" in verb.morph.get("VerbForm")
                and any(c.dep_ in ("aux", "mark") and _lower(c) in self.purpose_marks for c in verb.children)):
            # "Washington avait déjà … assoupli": the parser took the auxiliary for the verb;
            # "landowners began a strike to demand…": the purpose infinitive's doer is the clause's subject
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
            if h.dep_ == "nmod" and _lemma(h.head) in self.support_nouns and h.head.i != h.i:
                h = h.head  # "l'imposition de sanctions", "une série d'arrestations": climb the support noun
                continue
            break
        return None

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
                elif case & self.weak_target_preps or (
                        verb_code and case & self.from_preps and verb_code.startswith(self.from_target_codes)):
                    rank = 2  # "withdrew its troops from Lebanon": the country left is the target
                elif not case:
                    rank = 3  # an object the parser took for a modifier ("a libéré samedi 123 prisonniers")
            if rank is None:
                continue
            if ctx.is_time_token(c):
                # "a condamné, samedi, l'ancien ministre", "a enlevé dimanche vingt élèves":
                # the object hangs on the date; the first of its complements that names an actor
                # ("a interdit à quelques jours d'intervalle aux femmes de …"), else the first one
                for x in c.children:
                    if x.dep_ in ("conj", "nmod") and x.pos_ in ("NOUN", "PROPN") and not ctx.is_time_token(x):
                        ranked.append((0, x.i, x))
                continue
            if (rank == 2 and ctx.is_place_token(c) and not case & (self.actor_preps | self.from_preps)
                    and (verb_code is None or verb_code[:3] not in self.visit_codes)):
                continue
            ranked.append((rank, c.i, c))
        if not ranked:
            return None
        ranked.sort(key=lambda r: (r[0], r[1]))
        if ranked[0][0] == 0 and self._is_action(ranked[0][2]) and self._action_is_target(ranked[0][2]):
            # "dénonçant ses sanctions contre le peuple tchadien": the sanctions' author is the
            # target (the argument stage resolves an action to its author), not their victims
            return ranked[0][2]
        quiet = [c for _, _, c in ranked if ctx.resolve_quiet(c, self)]
        # "sent arms to Pakistan": a thing the lexicon knows as an action ("arms") is no
        # party; a party named after it is the target
        for c in quiet:
            if not self._is_action(c):
                return c
        return quiet[0] if quiet else ranked[0][2]

    def _clause_target(self, verb: Token, ctx: "DocContext", code: str, srcs: list) -> Token | None:
        """The target of a verb whose party is named inside its complement clause: the subject
        of a ``that`` clause after a demand or an appeal ("demanded that China drop its
        programme": China; roots of ``clause_subject_target_roots`` in grammar.yaml), else the
        party of the infinitive it governs ("threatened to cut off gas to Israel", "is willing
        to withdraw its troops from Lebanon"; ``infinitive_target_roots``)."""
        root = code[:2]
        ids = {a.id for a in srcs}
        if root in self.clause_subject_roots:
            for c in verb.children:
                if c.dep_ != "ccomp" or c.pos_ not in ("VERB", "AUX"):
                    continue
                subj = next((x for x in c.children if x.dep_ == "nsubj"), None)
                if subj is not None and ctx.resolve_quiet(subj, self):
                    a = self.resolve(subj, ctx)
                    if a is not None and a.id not in ids:
                        return subj
        if root in self.infinitive_roots:
            for c in verb.children:
                if c.dep_ != "xcomp" or c.pos_ != "VERB":
                    continue
                cands = [c] + [x for x in c.children if x.dep_ == "conj" and x.pos_ == "VERB"]
                for v in cands:
                    o = self._verb_object(v, ctx)
                    if o is None:
                        continue
                    a = self.resolve(o, ctx)
                    if a is not None and a.id not in ids:
                        return o
                    for x in v.children:  # "withdraw its troops from Lebanon"
                        xcase = {_lower(y) for y in x.children if y.dep_ in ("case", "fixed")}
                        if x.dep_.startswith("obl") and xcase & self.infinitive_from_preps:
                            a = self.resolve(x, ctx)
                            if a is not None and a.id not in ids:
                                return x
        return None

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
