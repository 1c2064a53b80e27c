"""What an article's context tells an actor phrase that names no country.

``DocumentActors`` (kronika.actors.document) resolves a phrase from its own words; when they
name a role but no country ("le président", "les manifestants", "des hommes armés", "les
autorités"), the phrase keeps its text with country None, and ``resolve_in_context`` asks
the article: coreference (kronika.actors.coref), the place of the action, the story's
country. ``_city_country`` reads the city a court or an office is named after ("le parquet
de Dakar") in GeoNames.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kronika.actors.text import norm_key, tokenize
from kronika.model import Actor

if TYPE_CHECKING:  # pragma: no cover
    from kronika.actors.text import Token  # noqa: F401

STATE_SECTORS = ("GOV", "MIL")  # no country from the place of the action (diplomacy, war abroad)
STORY_LEAD = 1.25  # how much more the story's country is named than the next one
UNKNOWN_STATE = "country:UNK"  # a state the phrase does not name ("le gouvernement")
FOREIGN = "group:FOREIGN"  # "des observateurs étrangers": not of the story's country




class ContextMixin:
    """Context-dependent resolution for DocumentActors (uses its tables, register and scan)."""

    def story_country(self) -> str | None:
        """The country an article is about, when one clearly leads it: the main country,
        mentioned at least ``STORY_LEAD`` times as often as the next one (first sentence
        counts double; organisations do not count). The actors of an article about one
        country act in it (GUIDELINES §3: non-state actors take the country they operate
        in); in a story between states named about as often, a phrase without a country
        cue says no country."""
        ranked = self._story_counts.most_common(2)
        if not ranked:
            return self._main
        top, n = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        return top if n > second and n >= STORY_LEAD * second else None

    def resolve_in_context(self, text: str, start: int | None = None, end: int | None = None,
                           place_country: Callable[[], str | None] | None = None,
                           story_place: Callable[[], str | None] | None = None) -> Actor | None:
        """``resolve``, then for a phrase that names a role but no country ("le président",
        "les manifestants", "des hommes armés", "les autorités"), the country the article
        gives it, in this order: the person or group it names again (coreference: "le
        président" after "le président Macron"), the place of the action named in the
        sentence (``place_country``: "des hommes armés ont attaqué un village près de Djibo"
        are of Burkina Faso), the story's country (``story_country``), the country of the
        story's place (``story_place``). The two place steps apply to non-state actors only
        (a government or an army acts abroad too). Else the
        country stays None."""
        a = self.resolve(text, start, end)
        if a is None or a.country is not None or a.id == FOREIGN:
            return a
        if start is not None and self.coref.is_definite(text) and not (a.id or "").startswith("learned:"):
            keys = self.role_keys(text)
            plural = bool(keys) and text.split()[0].lower() in self.coref.t.definite and \
                self._plural_head(text)
            m = self.coref.description(start, keys, a.sector, plural, prefer=self.story_country())
            if m is not None:
                if m.kind == "person" and (m.actor.id or "").startswith(("person:", "learned:")):
                    return Actor(text, m.actor.name, m.actor.country, a.sector, m.actor.id, start, end)
                return self.with_country(a, m.actor.country)
        # the state's own organs (government, army) act abroad too: the place says nothing
        country = place_country() if place_country is not None and a.sector not in STATE_SECTORS else None
        if country is None:
            country = self.story_country()
        if country is None and story_place is not None and a.sector not in STATE_SECTORS:
            country = story_place()
        return self.with_country(a, country) if country else a

    def resolve_compound(self, text: str, start: int | None = None, end: int | None = None) -> list[Actor] | None:
        """A plural role whose complement coordinates states is one actor per state ("les
        présidents de la RDC et de l'Angola", "les ministres de la Défense du Mali et du
        Niger"); None for any other phrase."""
        toks = tokenize(text)
        ms = self._scan(toks, fuzzy=False)
        tab = self.tables
        heads = [m for m in ms if m.kind in ("role", "collective")]
        nouns = [m for m in ms if m.kind in ("role", "collective", "inherit")]
        if nouns and self._plural_head(text):
            before = self._coordinated_modifiers(toks, ms, nouns[0])
            one = self.resolve(text, start, end) if before else None
            if one is not None:
                return [self.with_country(one, c) for c in before]
        if not heads or not self._plural_head(text):
            return None
        head = heads[0]
        states = [m for m in ms if m.i >= head.j and m.kind in ("country", "seat") and self._match_country(m)]
        if len(states) < 2:
            return None
        for a, b in zip(states, states[1:]):
            between = {t.norm for t in toks[a.j:b.i]}  # "du Mali, du Niger et du Burkina Faso"
            if not between <= tab.coordinators | tab.of_words | tab.determiners:
                return None
        if not {t.norm for t in toks[states[-2].j:states[-1].i]} & tab.coordinators:
            return None
        for m in states:  # each one a complement: "de la RDC", "et de l'Angola"
            k = m.i - 1
            while k >= 0 and toks[k].norm in tab.determiners:
                k -= 1
            if k < 0 or toks[k].norm not in tab.of_words:
                return None
        codes = list(dict.fromkeys(self._match_country(m) for m in states))
        if len(codes) < 2 or any(m.kind in ("person", "learned", "org") for m in ms):
            return None
        sector = head.sector
        return [Actor(text, f"{self.reg.country_name(c, self.lang)} ({sector})", c, sector, f"group:{c}:{sector}",
                      start, end) for c in codes]

    def _coordinated_modifiers(self, toks: list, ms: list, head) -> list[str]:
        """The countries of coordinated demonyms or country names right before a plural role
        ("US and British activists", "Hungarian and Romanian officials"): one per country,
        when only coordinators, adjectives of rank and determiners stand between them."""
        tab = self.tables
        states = [m for m in ms if m.j <= head.i and m.kind in ("country", "demonym") and self._match_country(m)]
        if len(states) < 2 or any(m.kind in ("person", "learned", "org") for m in ms):
            return []
        if {t.norm for t in toks[states[-1].j:head.i]} - tab.determiners:
            return []  # the last one is next to the role
        for a, b in zip(states, states[1:]):
            if not {t.norm for t in toks[a.j:b.i]} <= tab.coordinators:
                return []
        if not {t.norm for t in toks[states[-2].j:states[-1].i]} & tab.coordinators:
            return []
        codes = list(dict.fromkeys(self._match_country(m) for m in states))
        return codes if len(codes) > 1 else []

    def with_country(self, a: Actor, country: str | None) -> Actor:
        """An actor whose country the context gave: its id and name follow."""
        if country is None:
            return a
        if a.id == UNKNOWN_STATE or a.id is None:
            return Actor(a.text, self.reg.country_name(country, self.lang), country, a.sector,
                         self._country_id(country), a.start, a.end)
        if (a.id or "").startswith(("person:", "learned:", "org:")):
            return Actor(a.text, a.name, country, a.sector, a.id, a.start, a.end)
        return Actor(a.text, f"{self.reg.country_name(country, self.lang)} ({a.sector})", country, a.sector,
                     f"group:{country}:{a.sector or 'UNK'}", a.start, a.end)

    def _plural_head(self, text: str) -> bool:
        ms = [m for m in self._scan(tokenize(text), fuzzy=False) if m.kind in ("role", "collective", "inherit")]
        if not ms:
            return False
        word = tokenize(text)[ms[0].j - 1].norm
        return word.endswith(("s", "x")) and self.tables.stem(word) != word

    def role_keys(self, text: str) -> frozenset[tuple[str, ...]]:
        """The role words of a phrase, as stem keys ("la ministre turque" -> {("ministr",)})."""
        toks = tokenize(text)
        stems = [self.tables.stem(t.norm) for t in toks]
        return frozenset(tuple(stems[m.i:m.j]) for m in self._scan(toks, fuzzy=False)
                         if m.kind in ("role", "collective", "inherit"))

    def title_keys(self, actor: Actor) -> frozenset[tuple[str, ...]]:
        """The role words of a person's title: the register's dated role, or the learned one."""
        kind, _, key = (actor.id or "").partition(":")
        if kind == "person" and key in self.reg.people:
            role = self.reg.people[key].at(self.published)[2]
            return self.role_keys(role.title) if role is not None and role.title else frozenset()
        if kind == "learned" and key in self._learned:
            return self.role_keys(self._learned[key].role_text)
        return frozenset()

    def is_actor_word(self, word: str) -> bool:
        """Whether a common noun may head an actor phrase: a role word or a demonym noun."""
        key = norm_key(word)
        if not key:
            return False
        if (self.tables.stem(key[0]),) in self.tables.roles or tuple(self.tables.stem(k) for k in key) in self.tables.roles:
            return True
        return any(h.kind in ("demonym", "org", "seat", "country") for h in self.reg.index.get(key, []))

    def _city_country(self, text: str, toks: list[Token], j: int) -> str | None:
        """The country of the city a role is named after ("le parquet de Dakar", "la cour
        d'appel de Bouaké", "le maire de Goma"): the capitalised words after an of-word,
        looked up in GeoNames (cities and regions only)."""
        tab = self.tables
        k = j  # "le tribunal [correctionnel | de grande instance] de Lyon"
        while k < len(toks) and not toks[k].capitalised and k - j < 5:
            k += 1
        if k == j or k >= len(toks) or toks[k - 1].norm not in tab.of_words and toks[k - 1].norm not in tab.determiners:
            return None
        e = k
        while e < len(toks) and (toks[e].capitalised or toks[e].norm in self.reg.particles) and e - k < 4:
            e += 1
        if e == k:
            return None
        name = text[toks[k].start:toks[e - 1].end]
        try:
            from kronika.places import Gazetteer
            pl = Gazetteer.default().lookup(name)
        except Exception:  # no gazetteer: the city says nothing
            return None
        return pl.country if pl is not None and pl.precision in ("city", "region") else None

