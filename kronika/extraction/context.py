"""What the coder knows about the whole article while it codes one trigger:
its actors (with coreference), its time expressions and its places."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Place
from .dating import _LEAD_SENTENCES, DatingMixin
from .lexicon import prefix_lookup

if TYPE_CHECKING:  # pragma: no cover
    from ..actors import DocumentActors
    from ..places import Gazetteer
    from ..timex import Timex
    from .coder import Coder, Trigger


class DocContext(DatingMixin):
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
        captive = captive or (target is not None and trig.entry.code[:3] in self.rules.get("captive_codes", []))
        victim_state = target is not None and self.is_state(target.country) and target.sector not in ("IGO",)
        if victim_state and captive:
            # hostages are freed by their captors, not by their own state: the other party of
            # the article; when the hostages' own words name their country ("trois otages
            # français") and nothing else does, the captors are unknown and the text names no
            # agent (GUIDELINES §1: no record), never the hostages' own country
            others = [c for c in self.actors.ranked_countries() if c != target.country]
            country = others[0] if others else None
            if country is None and self._nationality_named(target):
                place = self.place_country_at(trig.token.idx)
                if place is None or place == target.country:
                    return None
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

    def unknown_captor(self, src: Actor | None, tgt: Actor | None, code: str) -> Actor | None:
        """A captor whose country only the story's context gave is unknown when that country
        is the one the captives' own words name ("Le groupe armé a libéré trois otages
        français", "des hommes armés ont enlevé deux Italiens" in a story about France or
        Italy): hostages' nationality says nothing of who holds them. Otherwise ``src``."""
        if src is None or tgt is None or not src.text or src.country is None or tgt.start is None \
                or src.country != tgt.country or (src.id or "").startswith(("person:", "learned:", "org:")):
            return src
        if not (self._is_captive(tgt) or code[:3] in self.rules.get("captive_codes", [])):
            return src
        if not self._nationality_named(tgt):
            return src
        own = self.actors.resolve(src.text)  # the phrase alone, without the article
        if own is not None and own.country is not None or self.place_country_at(src.start) == src.country:
            return src  # its own words, or the place of the action (GUIDELINES §1), name its country
        return Actor(text=src.text, name=src.text, country=None, sector=src.sector,
                     id=f"group:UNK:{src.sector or 'UNK'}", start=src.start, end=src.end)

    def _nationality_named(self, actor: Actor) -> bool:
        """Whether an actor's own words give its nationality: a demonym on its head ("otages
        français", "deux Italiens"), not a country named in a complement ("des élèves d'une
        école du Nigeria" says where they are)."""
        if actor.start is None or not self.parsed:
            return False
        span = self.doc.char_span(actor.start, actor.end or actor.start, alignment_mode="expand")
        if span is None or not len(span):
            return False
        root = span.root
        for t in span:
            demonym_noun = t.pos_ in ("NOUN", "PROPN") and t.text[:1].isupper()
            if t.pos_ != "ADJ" and not demonym_noun:
                continue
            x, inside = t, False
            while x.i != root.i and x.head.i != x.i and not inside:
                inside = any(c.dep_ in ("case", "fixed") for c in x.children)
                x = x.head
            if inside:
                continue
            a = self.resolve(t.text)
            if a is not None and a.country and self.is_state(a.country):
                return True
        return False

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
            if any(t.ent_type_ == "PER" for t in span) and not self._person_tag_is_a_town(span, pl):
                continue
            prev = [t for t in self.doc[max(sent.start, span.start - 3):span.start] if not t.is_space]
            parsed = self.doc.has_annotation("DEP")
            words = {t.text.lower() for t in prev if not parsed or t.pos_ in ("ADP", "DET") or t.dep_ in ("case", "fixed")}
            # a preposition of two words whose first one the parser tags as an adverb ("près de Djibo")
            words |= {f"{a.text.lower()} {b.text.lower()}" for a, b in zip(prev, prev[1:])}
            if not words & self.place_preps:
                continue
            out.append((s, e, pl))
        return out

    def _person_tag_is_a_town(self, span: Span, pl: Place) -> bool:
        """The parser's person tag covers exactly a town of the story's country ("opposants à
        Lomé … journalistes à Kara" tagged as people): the gazetteer's town stands; a name
        longer than the town ("Jean Paris") stays a person."""
        if pl.precision != "city" or pl.country not in self._context_countries():
            return False
        for ent in self.doc.ents:
            if ent.label_ == "PER" and ent.start < span.end and span.start < ent.end:
                if (ent.start, ent.end) != (span.start, span.end):
                    return False
        return True

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
        in_target = None
        for s, e, pl in self.places_in(sent):
            s += sent.start_char
            e += sent.start_char
            if any(a0 <= s < a1 for a0, a1 in actor_spans):
                # "a arrêté trois opposants à Lomé": where the target was is where it was acted on
                if in_target is None and tgt is not None and tgt.start is not None and tgt.start <= s < tgt.end \
                        and pl.precision in ("city", "region"):
                    in_target = pl
                continue
            if pl.precision in ("city", "region"):
                return pl
        if in_target is not None:
            return in_target
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
