"""Stage 3, arguments: source and target from the dependency parse (active, passive,
nominalisation, support verbs), or from word order without a parse."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from ..model import Actor
from .base import (NOUN_POS, Trigger, _lemma, _lower, is_reciprocal)
from .lexicon import TriggerEntry, prefix_lookup

if TYPE_CHECKING:  # pragma: no cover
    from .context import DocContext


class ArgumentStage:
    """Mixin of :class:`kronika.extraction.coder.Coder`."""

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
            if passive and agent is None and _lower(tok) in self.stative_participles:
                passive = False  # "Israel is opposed to the plan": the subject holds the stance
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
                if subj is not None and len(src_toks) == 1 and self._mutual(tok, subj, obj, e):
                    tgt_toks = [subj]  # "les milices s'affrontent", "les deux camps s'accusent": each other
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
        srcs += [a for t in src_toks for a in self.resolve_each(t, ctx)] if src_toks else []
        tgts = [a for t in tgt_toks for a in self.resolve_each(t, ctx)] if tgt_toks else []
        srcs = [a for a in srcs if a is not None]
        tgts = [a for a in tgts if a is not None]
        if tgts and tgt_toks and trig.is_verb and e.code[:2] in self.rules.get("action_author_target_roots", []):
            # "ont condamné les frappes américaines en Irak": the reaction is to the action's
            # author when its own words name one, not to a place or a victim inside the phrase
            authors = self._action_authors(tgt_toks, srcs, ctx)
            if authors:
                tgts = authors
        if not tgts and tgt_toks:
            # the target is an action ("dénoncer l'invasion russe", "qualifier ces manifestations
            # d'illégales"): its author is the target
            for t in tgt_toks:
                inner_entries = [x for x in self.lex.entries_for(t.lemma_) if x.pos in (None, "NOUN")] or [
                    m[2] for m in self._phrase_matches(list(t.doc[t.i:min(t.sent.end, t.i + 6)])) if m[0].i == t.i]
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
            ct = self._clause_target(tok, ctx, e.code, srcs)  # "demanded that China drop …"
            if ct is not None:
                tgts = [a for a in self.resolve_each(ct, ctx) if a is not None]
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
            if not trig.is_verb:
                # "le lancement de l'opération militaire russe en Ukraine": the parser often
                # hangs the place higher; the words right after the noun's phrase, up to a
                # verb or a punctuation mark, are still its complements
                for w in tok.doc[tok.i + 1:min(tok.sent.end, tok.i + 9)]:
                    if w.pos_ in ("VERB", "AUX", "PUNCT", "SCONJ", "PRON"):
                        break
                    if w not in scope:
                        scope.append(w)
            preps = self.place_preps | (self.about_preps if e.code[:2] in self.about_roots else set())
            for t in scope:
                if abs(t.i - tok.i) > 10 or t.pos_ != "PROPN":
                    continue
                tcase = {_lower(x) for x in t.children if x.dep_ in ("case", "fixed")}
                if tcase & self.genitive_preps and t.head.pos_ == "NOUN" and t.head.i != tok.i:
                    # "des frappes sur la banlieue sud de Beyrouth": the place names the area
                    tcase |= {_lower(x) for x in t.head.children if x.dep_ in ("case", "fixed")}
                if tcase & preps:
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
                # "l'invalidation de sa candidature": a thing's owner undergoes the action
                owned = any(c.dep_ == "det" and "Yes" in c.morph.get("Poss") for c in t.children)
                s2, t2 = self._noun_arguments(t, replace(e, genitive="target") if owned else inner, ctx)
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
        if not tgts and tgt_toks and srcs and e.code[:2] in self.rules.get("own_state_target_roots", []) \
                and ctx.is_state(srcs[0].country):
            # "le Japon a exhorté la population", "l'opposition dénonce le pouvoir": a role the
            # article gives no country is the source's own state's
            role = self._role_actor(tgt_toks[0], ctx)
            if role is not None:
                tgts = [ctx.actors.with_country(role, srcs[0].country)]
        contest = self.rules.get("domestic_contest", {})
        # "pointent « de nombreuses irrégularités »": the parser may make the object an xcomp
        objs = tgt_toks or ([c for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "NOUN"][:1] if trig.is_verb else [])
        if not tgts and objs and srcs and e.code[:2] in contest.get("roots", []) \
                and srcs[0].sector in contest.get("sectors", []) and ctx.is_state(srcs[0].country) \
                and not any(ctx.resolve_quiet(t, self) for t in objs):
            # "l'opposition dénonce des irrégularités", "les partisans contestent les résultats":
            # the domestic order a non-state actor contests is its own state's
            c = srcs[0].country
            tgts = [Actor(text="", name=f"{ctx.actors.reg.country_name(c, ctx.actors.lang)} (GOV)", country=c,
                          sector="GOV", id=f"group:{c}:GOV")]
        pairs: list[tuple[Actor | None, Actor | None]] = []
        if not srcs:
            return [], anchor
        if not tgts and tgt_toks:
            # a party named by a role that nothing places keeps its words, country null
            tgts = [a for a in [self._role_actor(tgt_toks[0], ctx)] if a is not None and a.start not in {x.start for x in srcs}]
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

    def _action_authors(self, toks: list[Token], srcs: list[Actor], ctx: "DocContext") -> list[Actor]:
        """The named authors of the actions among ``toks`` (nouns the lexicon knows as
        triggers: "les frappes américaines", "l'invasion de l'Ukraine par la Russie"), other than
        the reacting sources."""
        out: list[Actor] = []
        for t in toks:
            if t.pos_ != "NOUN":
                continue
            inner = [x for x in self.lex.entries_for(t.lemma_) if x.pos in (None, "NOUN")] or [
                m[2] for m in self._phrase_matches(list(t.doc[t.i:min(t.sent.end, t.i + 6)])) if m[0].i == t.i]
            if not inner:
                continue
            s2, _ = self._noun_arguments(t, inner[0], ctx)
            for x in s2:
                if not ctx.resolve_named(x, self):
                    continue
                a = self.resolve(x, ctx)
                if a is not None and a.country and all(a.id != w.id for w in srcs + out):
                    out.append(a)
        return out

    def _backoff_source(self, trig: Trigger, anchor: Token | None, sent: Span,
                        ctx: "DocContext") -> tuple[Actor, float] | None:
        """A source for a trigger with no local agent, and the confidence of that reading:
        the subject of the governing clause ("X a décidé de lancer des négociations": 0.7,
        one level lower each further clause), else the last main subject of the previous
        sentences (0.4). Reporting verbs and verbs that are triggers of another action are
        not climbed: their subject announces or does something else."""
        h = trig.token
        level = 0
        for _ in range(5):
            if h.head.i == h.i:
                break
            if h.dep_ == "nmod" and _lemma(h.head) in self.support_nouns:
                h = h.head  # "la reprise des négociations": the support noun is not a clause
                continue
            if h.dep_ not in self.backoff_deps:
                break
            h = h.head
            if h.pos_ not in ("VERB", "AUX"):
                continue
            lem = _lemma(h)
            fires = self._choose(h, self.lex.entries_for(h.lemma_)) if self.lex.entries_for(h.lemma_) else None
            if lem in ctx.reporting or (fires is not None and fires.code[:2] != trig.entry.code[:2]):
                break  # its subject reports, or does another action
            subjs, passive = self._subjects(h)
            if subjs and not passive:
                a = self.resolve(subjs[0], ctx)
                if a is not None and (a.country or a.text):
                    return a, round(0.7 - 0.1 * level, 2)
                break
            level += 1
        last = getattr(ctx, "last_subject", None)
        if last is not None:
            return last, 0.4
        return None

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
                    # "le Mali, le Niger et le Tchad ont annoncé leur retrait": every member
                    plural = ctx.actors.coref.t.possessives.get(_lower(c)) == "Plur"
                    owners = self._coordinated(owner, min(noun.i, owner.sent.end)) if plural else [owner]
                    (tgt if e.genitive == "target" else src).extend(owners)
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
                    elif is_reciprocal(e.code) and "Plur" in c.morph.get("Number") and c.pos_ == "NOUN":
                        tgt.append(c)  # "des affrontements entre groupes armés": the group on both sides
                elif case & self.source_preps:
                    # "une invasion qualifiée de barbare par Bruxelles": the agent of the participle
                    if not any("Part" in t.morph.get("VerbForm") or (t.pos_ == "ADJ" and t.dep_ in ("amod", "acl")
                                                                     and t.text.lower().endswith(self.participle_endings))
                               for t in noun.doc[noun.i + 1:c.i]):
                        src.append(c)
                elif case & self.noun_target_preps or (case & self.about_preps and e.code[:2] in self.about_roots) \
                        or (case & self.from_preps and e.code.startswith(self.from_target_codes)) \
                        or (case & self.for_preps and e.code[:2] in self.for_roots):
                    if case & self.place_preps and ctx.is_place_token(c) and e.code[:2] not in ("04",):
                        continue
                    tgt.append(c)
                elif case & self.genitive_preps or not case:
                    if e.genitive == "source" and any(
                            d.dep_ == "det" and "Yes" in d.morph.get("Poss") for d in noun.children):
                        tgt.append(c)  # "leur retrait de la CEDEAO": the possessive is the source
                    elif e.genitive == "source":
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
        if not src:
            # "annonce la libération de 40 prisonniers par Minsk": the parser hangs the agent on
            # the complement; the agent of a participle there ("l'opposant arrêté par la
            # police") is not the noun's
            for c in noun.children:
                if not c.dep_.startswith(("nmod", "obl")) or c.pos_ == "VERB":
                    continue
                for cc in c.children:
                    ccase = {_lower(x) for x in cc.children if x.dep_ in ("case", "fixed")}
                    if cc.dep_.startswith(("nmod", "obl")) and ccase & self.source_preps and cc.pos_ in ("PROPN", "NOUN") \
                            and ctx.resolve_quiet(cc, self):
                        src.append(cc)
                        break
                if src:
                    break
        if not src and noun.dep_ == "obj" and noun.head.pos_ == "VERB" and not any(
                c.dep_ in ("aux:pass", "nsubj:pass") for c in noun.head.children):
            # … or on the active verb whose object the noun is ("annonce la libération de
            # vingt opposants par le régime biélorusse")
            for c in noun.head.children:
                ccase = {_lower(x) for x in c.children if x.dep_ in ("case", "fixed")}
                if c.i > noun.i and (c.dep_ == "obl:agent" or c.dep_.startswith("obl") and ccase & self.source_preps) \
                        and c.pos_ in ("PROPN", "NOUN") and ctx.resolve_quiet(c, self):
                    src.append(c)
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
