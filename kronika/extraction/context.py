"""What the coder knows about the whole article while it codes one trigger:
its actors (with coreference), its time expressions and its places."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Place
from .lexicon import prefix_lookup
from ..timex import sequence_prepositions

if TYPE_CHECKING:  # pragma: no cover
    from ..actors import DocumentActors
    from ..places import Gazetteer
    from ..timex import Timex
    from .coder import Coder, Trigger


class DocContext:
    """Per-article state shared by the coder's rules."""

    def __init__(self, doc: Doc, published: date, actors: "DocumentActors", timexes: list["Timex"],
                 gazetteer: "Gazetteer", grammar: dict[str, Any], rules: dict[str, Any], lang: str = "fr",
                 published_precision: str = "day"):
        self.doc = doc
        self.parsed = doc.has_annotation("DEP")  # without a parse, never walk heads or children
        self.published = published
        self.published_precision = published_precision  # "month" for an article dated YYYY-MM
        self.actors = actors
        self.gaz = gazetteer
        self.g = grammar
        self.rules = rules
        self.lang = lang
        self.timexes = [t for t in timexes if t.end > t.start]
        self.pronouns = set(grammar.get("subject_pronouns", []))
        self.plural_pronouns = set(grammar.get("plural_pronouns", []))
        self.captive_words = set(grammar.get("captive_words", []))
        self.according_to = set(grammar.get("according_to", []))
        self.place_preps = set(grammar.get("place_preps", []))
        self.object_pronouns = set(grammar.get("object_pronouns", []))
        self.reporting: set[str] = set()
        self.time_tokens: dict[int, "Timex"] = {}
        for tx in self.timexes:
            span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
            if span is not None:
                for t in span:
                    self.time_tokens[t.i] = tx
        self._cache: dict[tuple[str, int | None], Actor | None] = {}
        self._place_cache: dict[str, Place | None] = {}
        self._readings: dict[str, Place | None] = {}  # one reading of a place name per article
        self._sent_place: dict[int, str | None] = {}
        self.last_subject: Actor | None = None
        self.last_pair: tuple[Actor, Actor] | None = None  # the last two states acting together
        self.last_person: Actor | None = None
        self.sent_index: dict[int, int] = {}
        for n, s in enumerate(doc.sents):
            self.sent_index[s.start] = n
        self.first_paragraph_end = doc.text.find("\n\n") if "\n\n" in doc.text else len(doc.text)
        self._story_day: date | None = None

    # ------------------------------------------------------------------ actors
    def resolve(self, text: str, start: int | None = None, end: int | None = None) -> Actor | None:
        """The actor a phrase names; a role without a country cue takes the country the
        article gives it (coreference, place of the action, story country), else None."""
        key = (text, start)
        if key not in self._cache:
            try:
                self._cache[key] = self.actors.resolve_in_context(
                    text, start=start, end=end, place_country=lambda: self.place_country_at(start),
                    story_place=lambda: self.place_country_at(start, story=True))
            except Exception:  # a resolver bug must not lose the article
                self._cache[key] = None
        a = self._cache[key]
        if a is None:
            return None
        return Actor(text=a.text, name=a.name, country=a.country, sector=a.sector, id=a.id, start=start, end=end)

    def place_country_at(self, start: int | None, story: bool = False) -> str | None:
        """The country where the action at character ``start`` happens: of the first place
        named in its sentence ("des hommes armés ont attaqué un autocar à Seytenga" -> BFA),
        else (``story``) of the story's place (the first city of the lead)."""
        if story:
            c = self.place_country_at(start, story=False)
            if c is None:
                sp = self.story_place()
                c = sp.country if sp is not None and sp.country in set(self.actors.ranked_countries()) else None
            return c

        if start is None or not self.parsed:
            return None
        span = self.doc.char_span(start, start + 1, alignment_mode="expand")
        if span is None:
            return None
        sent = span[0].sent
        if sent.start not in self._sent_place:
            # a place whose country the article never names is more likely a false match of
            # the gazetteer than the scene of the action
            named = set(self.actors.ranked_countries())
            self._sent_place[sent.start] = next(
                (pl.country for _, _, pl in self.places_in(sent) if pl.country and (not named or pl.country in named)),
                None)
        return self._sent_place[sent.start]

    def resolve_quiet(self, tok: Token, coder: "Coder") -> bool:
        text, s, e = coder.np_text(tok)
        a = self.resolve(text, s, e)
        return a is not None and a.country is not None

    def resolve_named(self, tok: Token, coder: "Coder") -> bool:
        """Whether a word names a country, organisation or person by itself ("américaines",
        "onusien"), not a generic group that only takes the article's country ("humanitaire")."""
        text, s, e = coder.np_text(tok)
        a = self.resolve(text, s, e)
        return a is not None and a.country is not None and bool(a.id) and not a.id.startswith("group:")

    def resolve_named_text(self, actor: Actor) -> bool:
        """Whether an actor's own words name its country ("otages israéliens", "vingt
        Israéliens") rather than taking the article's main country ("sept otages")."""
        if actor.id and not actor.id.startswith("group:"):
            return True
        span = self.doc.char_span(actor.start, actor.end or actor.start, alignment_mode="expand") \
            if actor.start is not None else None
        for t in span or []:
            demonym_noun = t.pos_ in ("NOUN", "PROPN") and t.text[:1].isupper()
            if t.pos_ != "ADJ" and not demonym_noun:
                continue
            a = self.resolve(t.text)
            if a is not None and a.country and ((a.id or "").startswith("country:") or demonym_noun):
                return True
        return False

    def pronoun_antecedent(self, tok: Token) -> Actor | None:
        """The actor a personal pronoun stands for: the nearest compatible mention
        (kronika.actors.coref), resolved in its own context; None when nothing fits."""
        m = self.actors.coref.antecedent(tok)
        if m is None:
            return None
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        a = self.resolve(span.text, m.start, m.end) if span is not None else m.actor
        return a if a is not None and a.country else None

    def possessor(self, noun: Token) -> Token | None:
        """The owner of "son/sa/leur …": the nearest compatible mention before the
        possessive (kronika.actors.coref), as the head token of its phrase."""
        det = next((c for c in noun.children if c.dep_ == "det" and "Yes" in c.morph.get("Poss")), None)
        m = self.actors.coref.possessor(det) if det is not None else None
        return self.doc[m.head] if m is not None else None

    def after_sentence(self, sent: Span, coder: "Coder") -> None:
        """Remember the sentence's main subject for pronouns in the next sentences."""
        if not self.parsed:
            return
        for ent in sent.ents:
            # the last person named, for "il", "elle" and object clitics ("le tribunal l'a condamné")
            if ent.label_ in ("PER", "PERSON"):
                a = self.resolve(ent.text, ent.start_char, ent.end_char)
                if a is not None and a.country and a.id and a.id.startswith(("person:", "learned:")):
                    self.last_person = a
        for tok in sent:
            if tok.dep_ == "nsubj" and tok.head.dep_ == "ROOT" and tok.pos_ in ("PROPN", "NOUN"):
                a = coder.resolve(tok, self)
                if a is not None and a.country:
                    self.last_subject = a
                    if a.id and (a.id.startswith("person:") or a.id.startswith("learned:")):
                        self.last_person = a
                break

    def implicit_agent(self, trig: "Trigger", target: Actor | None) -> Actor | None:
        """The agent a passive or a nominalisation leaves implicit (GUIDELINES §1)."""
        sector = trig.entry.agent or prefix_lookup(self.rules.get("default_agents", {}), trig.entry.code)
        if not sector:
            return None
        country = None
        captive = target is not None and target.start is not None and (
            self._is_captive(target)
            # foreigners held as prisoners ("les prisonniers palestiniens" in an article about two
            # parties) are released by the other party; political prisoners (OPP) by their own state
            or (trig.entry.code[:2] == "08" and target.sector == "CVL" and self.resolve_named_text(target)
                and len(self.actors.ranked_countries()) >= 2))
        victim_state = target is not None and self.is_state(target.country) and target.sector not in ("IGO",)
        if victim_state and captive:
            # hostages are freed by their captors, not by their own state
            others = [c for c in self.actors.ranked_countries() if c != target.country]
            country = others[0] if others else None
        if country is None:
            # the state where it happened acts ("le journaliste allemand, emprisonné en Russie,
            # a été libéré": Russia frees him), before the victim's own state
            country = self.place_country_at(trig.token.idx)
        if country is None and victim_state and (
                trig.entry.code[:2] in self.rules.get("domestic_roots", []) or trig.entry.code[:2] == "08"):
            country = target.country
        if country is None:
            country = self.actors.story_country()
        if country is None:
            return None
        return Actor(text="", name=f"{country} {sector}", country=country, sector=sector,
                     id=f"group:{country}:{sector}")

    def is_state(self, code: str | None) -> bool:
        """Whether a country code is a state (ISO alpha-3), not an organisation code (ICC, UNO…)."""
        return bool(code) and code in self.actors.reg.countries

    def _is_captive(self, actor: Actor) -> bool:
        span = self.doc.char_span(actor.start, actor.end or actor.start, alignment_mode="expand")
        return span is not None and any(t.lemma_.lower() in self.captive_words for t in span)

    def attribution(self, trig: "Trigger", coder: "Coder") -> Actor | None:
        """Who reports the event: the subject of a reporting verb governing it, or "selon X"."""
        if not self.parsed:
            return None
        t = trig.token
        for _ in range(5):
            for c in t.children:
                case = {x.text.lower() for x in c.children if x.dep_ == "case"}
                if case & self.according_to:
                    return coder.resolve(c, self)
            if t.head.i == t.i:
                break
            came = t.dep_
            t = t.head
            if came in ("ccomp", "parataxis", "xcomp") and t.lemma_.lower() in coder.lex.reporting:
                subj, _ = coder._subject(t)
                return coder.resolve(subj, self) if subj is not None else None
        return None

    # ------------------------------------------------------------------ time
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

    # ------------------------------------------------------------------ places
    def places_in(self, sent: Span) -> list[tuple[int, int, Place]]:
        """Places named in a sentence after a place preposition ("à Minsk", "en Égypte"),
        never inside a person's name (offsets relative to the sentence)."""
        try:
            found = self.gaz.find_in_text(sent.text, context_countries=self._context_countries(), lang=self.lang,
                                         memo=self._readings)
        except Exception:
            return []
        out = []
        for s, e, pl in found:
            span = self.doc.char_span(sent.start_char + s, sent.start_char + e, alignment_mode="expand")
            if span is None:
                continue
            if any(t.ent_type_ == "PER" for t in span):
                continue
            prev = [t for t in self.doc[max(sent.start, span.start - 3):span.start] if not t.is_space]
            parsed = self.doc.has_annotation("DEP")
            words = {t.text.lower() for t in prev if not parsed or t.pos_ in ("ADP", "DET") or t.dep_ in ("case", "fixed")}
            if not words & self.place_preps:
                continue
            out.append((s, e, pl))
        return out

    def _context_countries(self) -> list[str]:
        mc = self.actors.main_country()
        return [mc] if mc else []

    def place_of(self, tok: Token, coder: "Coder") -> Place | None:
        text, _, _ = coder.np_text(tok)
        if text not in self._place_cache:
            pl = None
            for cand in (text, tok.text):
                try:
                    pl = self.gaz.lookup(cand, self._context_countries(), memo=self._readings)
                except Exception:
                    pl = None
                if pl is not None:
                    break
            if pl is None:
                found = self.gaz.find_in_text(text, context_countries=self._context_countries(), lang=self.lang,
                                              memo=self._readings)
                if found:
                    pl = found[0][2]
            self._place_cache[text] = pl
        return self._place_cache[text]

    def is_place_token(self, tok: Token) -> bool:
        if not self.parsed:
            return False
        if tok.pos_ != "PROPN" and tok.ent_type_ not in ("LOC", "GPE"):
            return False
        try:
            return self.gaz.lookup(tok.text, self._context_countries()) is not None
        except Exception:
            return False

    def story_place(self) -> Place | None:
        """The place of the day's story: the first city or region named after a place
        preposition in the headline and lead ("Charm el-Cheikh", "à Lomé")."""
        if not hasattr(self, "_story_place"):
            self._story_place = None
            for n, sent in enumerate(self.doc.sents):
                if n >= _LEAD_SENTENCES:
                    break
                for _, _, pl in self.places_in(sent):
                    if pl.precision in ("city", "region"):
                        self._story_place = pl
                        break
                if self._story_place is not None:
                    break
        return self._story_place

    def location(self, trig: "Trigger", sent: Span, src: Actor | None, tgt: Actor | None, code: str,
                 date_value: str | None = None) -> Place | None:
        """Where the action happened (GUIDELINES §2 ``location``): the place attached to it, a
        city of its sentence, the story's place for the day's news, the country of a domestic
        action."""
        # 1. a place attached to the trigger or its verb in the parse ("à Minsk", "en Égypte")
        heads = [trig.token] if self.parsed else []
        attached: list[Place] = []
        if self.parsed and trig.token.head.i != trig.token.i:
            heads.append(trig.token.head)
        for h in heads:
            for c in h.children:
                if c.dep_ == "obj" and c.pos_ == "PROPN" and h.i == trig.token.i:
                    pl = self._place_from_token(c)  # a town as the object: "ont bombardé Kharkiv"
                    if pl is not None and pl.precision in ("city", "region"):
                        attached.append(pl)
                    continue
                if c.dep_ not in ("obl", "obl:mod", "nmod", "obl:arg") or c.pos_ not in ("PROPN", "NOUN"):
                    continue
                case = {x.text.lower() for x in c.children if x.dep_ in ("case", "fixed")}
                if not case & self.place_preps:
                    continue
                pl = self._place_from_token(c)
                if pl is not None:
                    attached.append(pl)
        if attached:
            # the most precise one: "arrivé à Hanoï pour une visite au Vietnam" is in Hanoï
            rank = {"city": 0, "region": 1, "country": 2}
            return min(attached, key=lambda p: rank.get(p.precision, 3))
        # 2. a city named in the sentence, not as an actor of the event
        actor_spans = [(a.start, a.end) for a in (src, tgt) if a is not None and a.start is not None]
        for s, e, pl in self.places_in(sent):
            s += sent.start_char
            e += sent.start_char
            if any(a0 <= s < a1 for a0, a1 in actor_spans):
                continue
            if pl.precision in ("city", "region"):
                return pl
        # 3. the day's news happens where the story happens, if one of its actors is from there
        # or it is a diplomatic act (a summit's signatures, speeches and handshakes)
        if date_value and date_value[:10] in (self.story_day().isoformat(), self.published.isoformat()):
            sp = self.story_place()
            if sp is not None and (sp.country in {a.country for a in (src, tgt) if a is not None}
                                   or code[:2] in ("03", "04", "05")):
                return sp
        # 4. an attack abroad happens in the country attacked ("des frappes sur le sud du Liban")
        if code[:2] in self.rules.get("abroad_roots", []) and tgt is not None and self.is_state(tgt.country) \
                and src is not None and src.country != tgt.country:
            try:
                return self.gaz.country_place(tgt.country)
            except Exception:
                return Place(place=None, country=tgt.country, precision="country")
        # 5. a domestic action happens in its country
        countries = {a.country for a in (src, tgt) if a is not None and self.is_state(a.country)}
        if src is not None and self.is_state(src.country):
            if (tgt is None and code[:2] in self.rules.get("domestic_roots", ["14", "15", "17", "18", "19", "20"])) \
                    or (tgt is not None and tgt.country == src.country):
                if len(countries) == 1:
                    try:
                        return self.gaz.country_place(src.country)
                    except Exception:
                        return Place(place=None, country=src.country, precision="country")
        return None

    def _place_from_token(self, tok: Token) -> Place | None:
        inner = []
        stack = [tok]
        while stack:  # the phrase's own names ("à l'aéroport de Manille"), not coordinated ones
            t = stack.pop()
            for c in t.children:
                if c.dep_ in ("nmod", "flat", "flat:name", "appos", "amod"):
                    inner.append(c)
                    stack.append(c)
        for t in [tok] + sorted((c for c in inner if c.pos_ == "PROPN"), key=lambda x: x.i):
            if t.pos_ != "PROPN":
                continue
            name_toks = [t] + [c for c in t.children if c.dep_ in ("flat:name", "flat")]
            span = self.doc[min(x.i for x in name_toks):max(x.i for x in name_toks) + 1]
            name = span.text
            if self.gaz.in_a_name(self.doc.text, span.start_char, span.end_char, self.lang):
                continue  # "la Croix-Rouge", "le Conseil de Paris": a name, not a place
            try:
                pl = self.gaz.lookup(name, self._context_countries(), memo=self._readings)
            except Exception:
                pl = None
            if pl is not None:
                return pl
        return None


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
