"""Dating events (GUIDELINES §2 ``date``): the time expression attached to the trigger, the
date of the report in reported speech, or the story's day for the day's news. A mixin of
:class:`kronika.extraction.context.DocContext`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from ..timex import sequence_prepositions

if TYPE_CHECKING:  # pragma: no cover
    from ..timex import Timex
    from .base import Trigger


class DatingMixin:
    """The time methods of DocContext (it holds ``doc``, ``timexes``, ``time_tokens``,
    ``published``, ``sent_index``, ``reporting``…)."""
    def is_time_token(self, tok: Token) -> bool:
        return tok.i in self.time_tokens

    def event_date(self, trig: "Trigger", anchor: Token, sent: Span, modality: str) -> tuple[str | None, str | None, bool]:
        """(date, precision, inferred) of an event (GUIDELINES §2 ``date``).

        In order: a time expression attached to the trigger or its anchor in the parse ("la
        pendaison jeudi de X", "a libéré samedi"); one of the trigger's own clause ("a signé,
        mardi, trois accords"); in reported speech, the date of the reporting verb ("a déclaré
        lundi que … allaient lever"); else, for an asserted or planned action told as the day's
        news, the story's day (inferred); else None. Without a parse: the closest expression
        of the sentence."""
        attached = None
        sent_tx = [tx for tx in self.timexes if sent.start_char <= tx.start < sent.end_char and tx.event_date()]
        if sent_tx and not self.parsed:
            attached = min(sent_tx, key=lambda tx: abs(tx.start - trig.token.idx))  # no parse: the closest
        elif sent_tx:
            attached = self._attached_timex(sent_tx, {trig.token.i, anchor.i})
            if attached is None and not _embedded_noun(trig.token):
                own_clause = {_own_clause(trig.token).i, _own_clause(anchor).i}
                for tx in sent_tx:
                    span = self.doc.char_span(tx.start, tx.end, alignment_mode="expand")
                    if span is not None and _clause_head(span.root).i in own_clause \
                            and not self._behind_sequence(span.root, own_clause):
                        attached = tx  # an expression of the same clause ("a signé, mardi, trois accords")
                        break
        if attached is None and sent_tx and self.parsed and modality in ("asserted", "planned"):
            start = anchor if anchor.pos_ in ("VERB", "AUX") else trig.token
            verb = self._reporting_verb(start)
            if verb is not None and verb.i not in (trig.token.i, anchor.i):
                attached = self._attached_timex(sent_tx, {verb.i})  # the report's date
        if attached is not None:
            v = attached.event_date()
            return v, _precision(v), False
        if modality in ("asserted", "planned") and self._is_news_of_the_day(trig, anchor, self.reporting):
            if self.published_precision == "month":  # the day of an article dated YYYY-MM is unknown
                return self.published.isoformat()[:7], "month", True
            return self.story_day().isoformat(), "day", True
        return None, None, False

    def _reporting_verb(self, tok: Token) -> Token | None:
        """The reporting verb whose report an action is told in: the verb its clause is the
        complement of ("a déclaré lundi que … allaient lever"), or an incise around it ("ont
        signé l'accord, a annoncé mercredi Trump", often parsed with the incise as the head)."""
        v = self._tense_verb(tok, self.reporting)
        if v is not None and v.lemma_.lower() in self.reporting:
            return v
        clause = _own_clause(tok) if tok.pos_ in ("VERB", "AUX") else _clause_head(tok)
        h = clause.head
        if clause.dep_ in ("ccomp", "parataxis", "advcl") and h.i != clause.i and h.lemma_.lower() in self.reporting:
            return h
        for c in clause.children:
            if c.dep_ == "parataxis" and c.lemma_.lower() in self.reporting:
                return c
        return None

    def _behind_sequence(self, tok: Token, stop: set[int]) -> bool:
        """Whether ``tok`` hangs on a noun introduced by a preposition of sequence ("après la
        pendaison jeudi"), below the clause heads ``stop``."""
        seq = sequence_prepositions(self.lang)
        h = tok
        for _ in range(8):
            if h.i in stop or h.head.i == h.i or h.pos_ in ("VERB", "AUX") and h.i != tok.i:
                return False
            if h.i != tok.i and h.pos_ in ("NOUN", "PROPN") and any(
                    c.dep_ in ("case", "fixed") and c.lower_ in seq for c in h.children):
                return True
            h = h.head
        return False

    def _attached_timex(self, sent_tx: list["Timex"], heads: set[int]) -> "Timex | None":
        """The first expression whose phrase hangs on one of ``heads`` in the parse, climbing
        through nouns but not through another verb, nor through a noun introduced by a
        preposition of sequence ("après la pendaison jeudi de X": jeudi dates the hanging only)."""
        seq = sequence_prepositions(self.lang)
        for tx in sent_tx:
            span = self.doc.char_span(tx.start, tx.end, alignment_mode="expand")
            if span is None:
                continue
            h = span.root
            for _ in range(4):
                if h.i in heads:
                    return tx
                if h.head.i == h.i or h.pos_ in ("VERB",):
                    break
                if h.i != span.root.i and h.pos_ in ("NOUN", "PROPN") and any(
                        c.dep_ in ("case", "fixed") and c.lower_ in seq for c in h.children):
                    break
                h = h.head
        return None

    def story_day(self) -> date:
        """The day the article's news happened: the first day-precise date of the lead (its
        first sentences) that lies in the week before publication and is neither in a background
        clause nor behind a preposition of sequence ("ont signé lundi", "a annoncé mercredi");
        else the publication date. Undated
        actions told as the day's news belong to that day, not to the day the paper came out."""
        if self._story_day is None:
            self._story_day = self.published
            for tx in self.timexes:
                if self.doc.char_span(tx.start, tx.end, alignment_mode="expand") is None:
                    continue
                span = self.doc.char_span(tx.start, tx.end, alignment_mode="expand")
                if self.sent_index.get(span.root.sent.start, 99) > _LEAD_SENTENCES:
                    break
                v = tx.event_date()
                if tx.precision != "day" or not v or len(v) != 10:
                    continue
                d = date.fromisoformat(v)
                if not (self.published - timedelta(days=_STORY_WINDOW_DAYS) <= d <= self.published):
                    continue
                if self.parsed and (_is_background(_clause_head(span.root)) or self._behind_sequence(span.root, set())):
                    continue
                self._story_day = d
                break
        return self._story_day

    def _tense_verb(self, tok: Token, reporting: set[str]) -> Token | None:
        """The finite verb whose tense dates an action: the trigger's own verb, climbing out of
        infinitives ("allaient lever") and, in reported speech, up to the reporting verb
        ("a déclaré que les États-Unis allaient lever": the déclaration is today's)."""
        v = tok if tok.pos_ in ("VERB", "AUX", "ADJ") else None
        h = tok
        for _ in range(6):
            if v is not None and ("Fin" in v.morph.get("VerbForm") or any(c.dep_.startswith("aux") for c in v.children)):
                break
            if h.head.i == h.i:
                break
            h = h.head
            if h.pos_ in ("VERB", "AUX"):
                v = h
        if v is None:
            return None
        # reported speech: the reporting verb's tense
        h = v
        for _ in range(3):
            if h.dep_ in ("ccomp", "xcomp", "parataxis") and h.head.i != h.i and h.head.lemma_.lower() in reporting:
                return h.head
            if h.dep_ in ("conj",) and h.head.i != h.i:
                h = h.head
                continue
            break
        return v

    def _is_news_of_the_day(self, trig: "Trigger", anchor: Token, reporting: set[str] = frozenset()) -> bool:
        """Whether an undated action is the day's news: a verb in the passé composé, present or
        future (not plus-que-parfait or imparfait), or a nominalisation in the lead."""
        if not self.parsed:
            return self._sentence_no(trig) <= 2 or trig.token.idx < self.first_paragraph_end
        start = anchor if anchor.pos_ in ("VERB", "AUX") else trig.token
        verb = self._tense_verb(start, reporting)
        if verb is not None:
            auxes = [c for c in verb.children if c.dep_.startswith("aux")]
            tenses = set(verb.morph.get("Tense"))
            aux_tenses = {t for a in auxes for t in a.morph.get("Tense") if "Fin" in a.morph.get("VerbForm")}
            if "Imp" in aux_tenses or "Pqp" in aux_tenses:
                return False  # plus-que-parfait: background
            if "Imp" in tenses and not auxes and "Fin" in verb.morph.get("VerbForm"):
                # imparfait: background, unless it tells what went on meanwhile in an adverbial
                # clause of a main action that is itself the day's news ("…, tandis que l'armée déployait…")
                return self._simultaneous_with_news(verb)
            if auxes or tenses & {"Pres", "Fut"} or verb.pos_ == "ADJ" or "Part" in verb.morph.get("VerbForm"):
                if trig.token.pos_ in ("NOUN", "PROPN") and verb.i != anchor.i and anchor.i == trig.token.i:
                    # a nominalisation whose tense we had to borrow from a clause above it: the
                    # day's news only in the lead (a noun that is the object of a support or
                    # governing verb takes that verb's tense)
                    return trig.token.idx < max(self.first_paragraph_end, 400)
                return True
            return False
        # a nominalisation with no verb: only in the lead
        return self._sentence_no(trig) <= 1 or trig.token.idx < self.first_paragraph_end

    def _simultaneous_with_news(self, verb: Token) -> bool:
        """Whether an imparfait verb heads an adverbial clause whose main verb is in a tense of
        the day's news (passé composé, présent, futur): the clause describes the same moment."""
        head = verb.head
        if verb.dep_ != "advcl" or head.i == verb.i or head.pos_ not in ("VERB", "AUX") or _is_background(head):
            return False
        auxes = [c for c in head.children if c.dep_.startswith("aux")]
        return bool(auxes) or bool(set(head.morph.get("Tense")) & {"Pres", "Fut"})

    def _sentence_no(self, trig: "Trigger") -> int:
        return self.sent_index.get(trig.token.sent.start, 99)


_LEAD_SENTENCES = 3  # headline + lead: the sentences whose date is the story's day
_STORY_WINDOW_DAYS = 7  # a lead date further back is background, not the day's news


def _is_background(verb: Token) -> bool:
    """Whether a clause's verb is in a background tense (imparfait, plus-que-parfait)."""
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    auxes = [c for c in verb.children if c.dep_.startswith("aux")]
    aux_tenses = {t for a in auxes for t in a.morph.get("Tense") if "Fin" in a.morph.get("VerbForm")}
    if aux_tenses & {"Imp", "Pqp"}:
        return True
    return not auxes and "Imp" in verb.morph.get("Tense") and "Fin" in verb.morph.get("VerbForm")


def _own_clause(tok: Token) -> Token:
    """The clause whose time expressions date ``tok``: a verb's own clause, shared with the verb
    it is coordinated with or the verb it completes ("a été arrêté lundi et transféré",
    "allaient lever"), but not with the clause it is subordinate to; a noun's nearest verb."""
    if tok.pos_ not in ("VERB", "AUX"):
        return _clause_head(tok)
    h = tok
    for _ in range(6):
        if h.dep_ in ("conj", "xcomp") and h.head.i != h.i and h.head.pos_ in ("VERB", "AUX"):
            h = h.head
        else:
            break
    return h


def _embedded_noun(tok: Token) -> bool:
    """Whether a noun trigger sits two or more noun complements deep under its clause's verb
    ("en dépit des avertissements sur les risques de répression"): a mention inside another
    phrase, not the action the clause's time expression dates."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    depth, h = 0, tok
    for _ in range(12):
        if h.head.i == h.i or h.pos_ in ("VERB", "AUX") and h.i != tok.i:
            break
        if h.dep_.startswith("nmod"):
            depth += 1
        h = h.head
    return depth >= 2


def _precision(v: str | None) -> str | None:
    if not v:
        return None
    return {4: "year", 7: "month", 10: "day"}.get(len(v))


def _clause_head(tok: Token) -> Token:
    """The verb heading the clause ``tok`` is in (or the sentence root)."""
    h = tok
    for _ in range(12):
        if h.pos_ in ("VERB", "AUX") and h.i != tok.i or h.head.i == h.i:
            return h
        h = h.head
    return h
