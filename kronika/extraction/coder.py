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

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Article, Event
from ..ontology import load_ontology
from .arguments import ArgumentStage
from .attributes import AttributeStage
from .classifier import ClassifierStage, settings
from .base import (Candidate, Trigger, _lemma, _lower, _mention, _norm_phrase, _read_lang_yaml, coding_rules,
                   is_reciprocal)
from .lexicon import Lexicon, TriggerEntry, load_lexicon, prefix_lookup
from .linear import LinearStage
from .merging import MergingStage
from .phrases import PhraseRules
from .triggers import TriggerStage

if TYPE_CHECKING:  # pragma: no cover
    from .context import DocContext

__all__ = ["Coder", "Candidate", "Trigger", "coding_rules", "is_reciprocal"]


def _open(a: Actor | None) -> bool:
    """No target, or one whose country nothing gave (a role the article does not place)."""
    return a is None or a.country is None


def _placed(ctx: "DocContext", role: Actor | None, country: str, sector: str, aid: str) -> Actor:
    """The default target of an action in ``country``: the role the text names, placed there,
    else the country's ``sector`` (id ``aid``)."""
    if role is not None and role.text:
        return ctx.actors.with_country(role, country)
    return Actor(text="", name=f"{country} {sector}", country=country, sector=sector, id=aid)


class Coder(TriggerStage, ClassifierStage, ArgumentStage, LinearStage, AttributeStage, MergingStage, PhraseRules):
    """Codes events in parsed documents of one language: the stages are mixins, each in its
    own module (triggers, classifier, phrases, arguments, attributes, merging)."""

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
        self.actor_preps = set(g.get("actor_preps", []))  # after them a country name is an actor, not a place
        self.genitive_preps = set(g.get("genitive_preps", []))
        self.between_preps = set(g.get("between_preps", []))
        self.noun_target_preps = set(g.get("noun_target_preps", []))
        self.relative_pronouns = set(g.get("relative_pronouns", []))
        self.place_preps = set(g.get("place_preps", []))
        self.coord_words = set(g.get("coordinators", []))
        self.subject_adjunct_preps = set(g.get("subject_adjunct_preps", []))
        self.charge_words = set(g.get("charge_words", []))
        self.verdict_adjectives = set(g.get("verdict_adjectives", []))
        self.object_control = set(g.get("object_control_verbs", []))
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
        self.support_nouns = set(g.get("support_nouns", []))
        self.backoff_deps = set(g.get("backoff_deps", ["xcomp", "obj", "ccomp", "advcl", "obl:arg"]))
        self.clause_subject_roots = set(g.get("clause_subject_target_roots", []))
        self.stative_participles = set(g.get("stative_participles", []))
        self.from_preps = set(g.get("from_preps", []))
        self.purpose_marks = set(g.get("purpose_marks", []))
        self.from_target_codes = tuple(str(c) for c in g.get("from_target_codes", [])) or ("-",)
        self.infinitive_roots = set(g.get("infinitive_target_roots", []))
        self.infinitive_from_preps = set(g.get("infinitive_from_preps", []))

    def code_document(self, doc: Doc, article: Article, ctx: "DocContext") -> list[Event]:
        """All events of an article (deduplicated), in text order."""
        ctx.reporting = self.lex.reporting | self.lex.announce_verbs
        self.linear = not doc.has_annotation("DEP")
        cands: list[Candidate] = []
        for sent in doc.sents:
            triggers = self.find_triggers(sent)
            triggers = self.classify(sent, triggers)
            triggers = self._drop_nested(triggers)
            for trig in triggers:
                cands.extend(self._candidates(trig, sent, ctx))
            ctx.after_sentence(sent, self)
        return self._to_events(self._dedup(cands), article)

    def _candidates(self, trig: Trigger, sent: Span, ctx: "DocContext") -> list[Candidate]:
        if self.linear:
            pairs, anchor = self._linear_pairs(trig, sent, ctx), trig.token
        else:
            pairs, anchor = self.arguments(trig, ctx)
        arg_conf = 1.0
        if not self.linear and (not pairs or all(p[0] is None for p in pairs)):
            # no local agent: the governing clause's subject, else the party of the previous sentences
            backed = self._backoff_source(trig, anchor, sent, ctx)
            if backed is not None:
                src, arg_conf = backed
                tgts = [p[1] for p in pairs if p[1] is not None and p[1].id != src.id]
                pairs = [(src, t) for t in tgts[:3]] or [(src, None)]
        gov = None if self.linear else self.governed(trig, anchor)
        if gov is not None:
            # the appeal/demand/refusal is the event: its author is the governing verb's subject
            kind, new_code, verb = gov
            subjs, passive = self._subjects(verb) if verb.pos_ in ("VERB", "AUX") else ([], False)
            authors = [a for a in (self.resolve(t, ctx) for t in subjs) if a is not None] if not passive else []
            if authors:
                targets = [p[1] for p in pairs if p[1] is not None] or [p[0] for p in pairs if p[0] is not None]
                pairs = [(authors[0], targets[0] if targets else None)]
        pairs = [p for p in pairs if p[0] is not None]
        if not pairs and not self.linear and trig.is_verb and trig.entry.code[:2] in self.rules.get("speech_act_roots", []):
            speaker = self._speaker(trig, ctx)  # who says a speech act that names no agent
            if speaker is not None and speaker.country:
                pairs = [(speaker, None)]
        if not pairs:
            return []
        modality, planned = self.modality(trig, anchor)
        code = trig.entry.code
        if gov is not None:
            # the appeal, demand or refusal is asserted unless it is itself negated or denied
            # ("l'opposant a nié avoir appelé à des sanctions": a denied appeal, no sanctions)
            gmod, _ = self.modality(Trigger(gov[2], [gov[2]], trig.entry), gov[2])
            code, modality, planned = gov[1], "negated" if gmod == "negated" else "asserted", False
        if modality == "negated" and gov is None:
            refused = self.refusal_by_negation(trig, anchor)  # "will not accept": a refusal
            if refused:
                code, modality = refused, "asserted"
        if planned and self.future_tense(trig, anchor):
            threat = self.lex.announced_threat_code(code)  # "will attack": a threat
            if threat:
                code, modality, planned = threat, "asserted", False
        if planned:
            intent = self.lex.intent_code(code)
            if intent:
                code, modality = intent, "asserted"
        if modality == "planned" and code[:2] in self.rules.get("asserted_roots", []):
            modality = "asserted"
        if trig.entry.implicit_code and all(p[0] is not None and p[0].text == "" for p in pairs):
            code = trig.entry.implicit_code  # no party named: "des heurts ont éclaté" is a riot
        att = ctx.attribution(trig, self)
        date_v, prec, inferred = ctx.event_date(trig, anchor, sent, modality)
        out = []
        for src, tgt in pairs:
            if src is not None and tgt is not None and src.id and src.id == tgt.id and not (
                    src.start is not None and src.start == tgt.start
                    and (is_reciprocal(code) or code[:2] in self.rules.get("mutual_roots", []))):
                # one plural phrase on both sides of a reciprocal action is kept ("entre milices")
                if not (tgt.text and src.text and tgt.start != src.start and tgt.id.startswith("group:")
                        and not ctx.resolve_named_text(tgt)):
                    continue
                # "le nouveau président a reçu les félicitations du roi du Maroc": the president's
                # country came from the story, not his words: unknown, not the sender's
                tgt = replace(tgt, country=None, id=f"group:UNK:{tgt.sector}")
            src = ctx.unknown_captor(src, tgt, code)
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
            # a target without a country (None, or a role the article does not place) takes the
            # default of its action; a role keeps its words
            if _open(tgt) and src is not None and ctx.is_state(src.country) and src.sector != "IGO":
                sector = trig.entry.own_target or prefix_lookup(self.rules.get("default_targets", {}), code)
                if sector and src.sector != sector:
                    tgt = _placed(ctx, tgt, src.country, sector, f"group:{src.country}:{sector}")
            if _open(tgt) and src is not None and code[:2] in self.rules.get("main_country_target_roots", []):
                mc = ctx.actors.story_country()
                if mc and mc != src.country:
                    tgt = _placed(ctx, tgt, mc, "GOV", f"country:{mc}")
            if _open(tgt) and src is not None and (code[:3] in self.visit_codes or code[:2] == "04") and loc is not None \
                    and loc.country and loc.country != src.country:
                tgt = _placed(ctx, tgt, loc.country, "GOV", f"country:{loc.country}")
            if src is not None and tgt is not None and ctx.is_state(src.country) and ctx.is_state(tgt.country) \
                    and src.country != tgt.country:
                ctx.last_pair = (src, tgt)
            anaphoric = not trig.is_verb and (src is None or not src.text) and (tgt is None or not tgt.text) and any(
                c.dep_ == "det" and "Dem" in c.morph.get("PronType") for c in trig.token.children)
            out.append(Candidate(trig, code, src, tgt, modality, qty, date_v, prec, inferred, loc, att, sent,
                                 anaphoric=anaphoric, confidence=round(trig.confidence * arg_conf, 3)))
        if not self.linear:
            out.extend(self._accusations(trig, anchor, out, ctx))
        return out

    def _speaker(self, trig: Trigger, ctx: "DocContext") -> Actor | None:
        """The subject of the reporting verb whose complement the trigger's clause is, or of a
        reporting incise hung on it ("« … ne restera pas impuni », a déclaré le ministre",
        which the parser makes a parataxis of the quote); not "selon X"."""
        t = trig.token
        verbs = [c for c in t.children if c.dep_ == "parataxis" and c.i > t.i]
        if t.dep_ in ("ccomp", "parataxis") and t.head.i != t.i:
            verbs.append(t.head)
        for v in verbs:
            if _lemma(v) in self.lex.reporting:
                subj, passive = self._subject(v)
                return None if subj is None or passive else self.resolve(subj, ctx)
        return None

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

    def _to_events(self, cands: list[Candidate], article: Article) -> list[Event]:
        events = []
        floor = settings().min_confidence
        for c in cands:
            if c.confidence < floor:
                continue
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
                event_id=f"{article.id}#{len(events)}",
                confidence=c.confidence,
            ))
        return events
