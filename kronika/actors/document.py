"""Resolving actor mentions inside one article.

``DocumentActors`` holds what an article teaches (its main country, the roles of people
the register does not know, full names for later surname-only mentions) and resolves the
noun phrases the extraction stage hands it into ``kronika.model.Actor`` records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from kronika.actors.context import FOREIGN, UNKNOWN_STATE, ContextMixin
from kronika.actors.coref import Coreference
from kronika.actors.register import ActorRegister, Entity, Hit, fuzzy_match
from kronika.actors.text import Token, first_lengths, norm_key, skeleton, slug, tokenize
from kronika.model import Actor



@dataclass
class LearnedRole:
    """A role learned from the article for a person the register does not know."""

    name: str
    country: str | None
    sector: str | None
    role_text: str
    article_id: str | None
    date: date | None
    evidence: str


@dataclass
class Match:
    """A span of the phrase recognised as a known name or a role word."""

    i: int  # first token
    j: int  # one past the last token
    kind: str  # country | demonym | seat | org | person | learned | role | collective | inherit
    code: str | None = None  # country code / entity key / learned key
    sector: str | None = None
    plural: bool = False


class DocumentActors(ContextMixin):
    """Actor resolution for one article.

    Call ``observe(doc)`` once with the spaCy Doc of the body, then ``resolve(text)`` for
    each actor phrase. ``learned`` lists the roles learned by ``observe``.
    """

    def __init__(self, register: ActorRegister, published: date | None = None, lang: str = "fr",
                 article_id: str | None = None) -> None:
        self.reg = register
        self.published = published
        self.lang = lang if lang in register.langs else "fr"
        self.tables = register.langs[self.lang]
        self.article_id = article_id
        self.learned: list[LearnedRole] = []
        self._learned: dict[str, LearnedRole] = {}  # slug -> role
        self._doc_index: dict[tuple[str, ...], set[str]] = {}  # name/surname key -> {"person:x"|"learned:y"}
        self._country_counts: Counter[str] = Counter()
        self._story_counts: Counter[str] = Counter()
        self._main: str | None = None
        self._cache: dict[str, Actor | None] = {}
        self.coref = Coreference(None, self, self.lang)

    # ------------------------------------------------------------------ document level
    def main_country(self) -> str | None:
        """The state the article is mostly about (most mentioned; first sentence counts double)."""
        return self._main

    def ranked_countries(self) -> list[str]:
        """The states the article mentions, most mentioned first."""
        return [c for c, _ in self._country_counts.most_common()]

    def set_main_country(self, code: str | None) -> None:
        """Force the main country (e.g. when no spaCy Doc is available)."""
        self._main = code
        self._cache.clear()

    def observe(self, doc: Any) -> None:
        """Learn from a spaCy Doc of the article body: main country, people's roles, names."""
        text = doc.text
        toks = tokenize(text)
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        first_end = sents[0].end_char if sents else len(text)
        counts: Counter[str] = Counter()
        story: Counter[str] = Counter()
        for m in self._scan(toks, fuzzy=False):
            code = self._match_country(m)
            if code and code in self.reg.countries:
                w = 2 if toks[m.i].start < first_end else 1
                counts[code] += w
                if m.kind != "org":  # "Al-Qaïda" says little about where a story happens
                    story[code] += w
            if m.kind == "person":
                self._remember_person(f"person:{m.code}", self.reg.people[m.code].surname or "")
        self._country_counts = counts
        self._story_counts = story
        self._main = counts.most_common(1)[0][0] if counts else None
        self._cache.clear()
        for ent in doc.ents:
            if ent.label_ not in ("PER", "PERSON"):
                continue
            self._learn_person(doc, ent)
        self._cache.clear()
        self.coref = Coreference(doc, self, self.lang)

    def _remember_person(self, pid: str, surname: str) -> None:
        key = norm_key(surname)
        if key:
            self._doc_index.setdefault(key, set()).add(pid)

    def _strip_honorifics(self, toks: list[Token]) -> list[Token]:
        i = 0
        while i < len(toks):
            for n in (2, 1):
                if tuple(t.norm for t in toks[i:i + n]) in self.reg.honorifics:
                    i += n
                    break
            else:
                break
        return toks[i:]

    def _learn_person(self, doc: Any, ent: Any) -> None:
        name_toks = self._strip_honorifics(tokenize(ent.text))
        while name_toks and len(name_toks[-1].orig) == 1 and ent.text[name_toks[-1].start - 1:name_toks[-1].start] in "'’":
            name_toks = name_toks[:-1]  # a clitic after an apostrophe is not part of the name ("Hussein's")
        if len(name_toks) < 2:
            return
        name = ent.text[name_toks[0].start:name_toks[-1].end]
        # known already? (register, exact or fuzzy, or learned before)
        all_ms = self._scan(name_toks)
        ms = [m for m in all_ms if m.kind in ("person", "learned")]
        if ms:
            m = ms[0]
            pid = f"person:{m.code}" if m.kind == "person" else f"learned:{m.code}"
            surname = self.reg.people[m.code].surname if m.kind == "person" else name_toks[-1].orig
            self._remember_person(pid, surname or "")
            return
        if all_ms or len(name_toks) > 4 or any(t.norm in self.reg.not_names for t in name_toks[:1]):
            return  # a place, an organisation or a role word tagged as a person
        sent = ent.sent
        role_phrase = self._left_context(doc, ent) or self._right_apposition(doc, ent)
        actor = self.resolve(role_phrase) if role_phrase else None
        if actor is None or actor.sector is None:
            if self.tables.unknown_person_sector is None:
                return
            # a named person with no role: a civilian whose country the context must say
            role_phrase = ""
            actor = Actor(name, name, None, self.tables.unknown_person_sector)
        key = slug(name)
        lr = LearnedRole(name, actor.country, actor.sector, role_phrase, self.article_id, self.published,
                         sent.text.strip())
        self._learned[key] = lr
        self.learned.append(lr)
        self._doc_index.setdefault(norm_key(name), set()).add(f"learned:{key}")
        self._doc_index.setdefault((name_toks[-1].norm,), set()).add(f"learned:{key}")
        self._cache.clear()

    def _is_role_word(self, word: str) -> bool:
        """True when the word alone is (the start of) a role word: 'envoyé' tagged VERB."""
        key = norm_key(word)
        return len(key) == 1 and (self.tables.stem(key[0]),) in self.tables.roles

    def _has_role(self, text: str) -> bool:
        ms = self._scan(tokenize(text), fuzzy=False)
        return any(m.kind in ("role", "collective") for m in ms)

    def _left_context(self, doc: Any, ent: Any) -> str | None:
        """'le président américain' in 'le président américain Donald Trump', and
        'Le ministre de la Justice' in 'Le ministre de la Justice, Karamba Diallo, a dit'."""
        i = ent.start
        text = self._role_before(doc, i, ent.sent.start)
        if text is None and i - 1 > ent.sent.start and doc[i - 1].text == "," and \
                (ent.end >= ent.sent.end or doc[ent.end].is_punct or doc[ent.end].pos_ in ("VERB", "AUX")):
            text = self._role_before(doc, i - 1, ent.sent.start)
        return text

    def _role_before(self, doc: Any, i: int, sent_start: int) -> str | None:
        """The words before token ``i`` (up to punctuation, a verb or a person) if they hold a role."""
        start = i
        while start > sent_start and i - start < 8:
            t = doc[start - 1]
            if t.is_punct and t.text not in ("'", "’") or t.ent_type_ == "PER" or \
                    t.pos_ in ("VERB", "AUX") and not self._is_role_word(t.text):
                break
            start -= 1
        if start == i:
            return None
        text = doc[start:i].text
        return text if self._has_role(text) else None

    def _right_apposition(self, doc: Any, ent: Any) -> str | None:
        """'envoyé spécial de Washington' in 'John Coale, envoyé spécial de Washington, a…'."""
        j = ent.end
        if j >= len(doc) or doc[j].text != ",":
            return None
        k = j + 1
        while k < min(len(doc), ent.sent.end) and k - j < 14:
            t = doc[k]
            if t.text in (",", ".", ";", ":", "(", ")") or \
                    t.pos_ in ("VERB", "AUX") and not self._is_role_word(t.text):
                break
            k += 1
        if k == j + 1:
            return None
        text = doc[j + 1:k].text
        return text if self._has_role(text) else None

    # ------------------------------------------------------------------ matching
    def _scan(self, toks: list[Token], fuzzy: bool = True) -> list[Match]:
        """Longest-first matching of names and role words over the tokens."""
        reg, tab = self.reg, self.tables
        stems = [tab.stem(t.norm) for t in toks]
        norms = [t.norm for t in toks]
        n = len(toks)
        out: list[Match] = []
        i = 0
        # longest key starting with each word, per index: a position where no key starts is
        # skipped, and no length beyond the longest key that starts there is tried
        reg_first = first_lengths(reg.index)
        role_first = first_lengths(tab.roles)
        if getattr(self, "_doc_first_n", -1) != len(self._doc_index):  # keys are only ever added
            self._doc_first, self._doc_first_n = first_lengths(self._doc_index, cache=False), len(self._doc_index)
        doc_first = self._doc_first
        top = max(reg.max_len, tab.max_role_len)
        while i < n:
            found: Match | None = None
            maxl = min(top, max(reg_first.get(norms[i], 0), doc_first.get(norms[i], 0), role_first.get(stems[i], 0)))
            for L in range(min(maxl, n - i), 0, -1):
                key = tuple(norms[i:i + L])
                ids = self._doc_index.get(key)
                if ids and len(ids) == 1:
                    pid = next(iter(ids))
                    kind, _, code = pid.partition(":")
                    found = Match(i, i + L, "learned" if kind == "learned" else "person", code)
                    break
                hits = reg.index.get(key)
                if hits:
                    hits = [h for h in hits if not h.caps or all(t.upper for t in toks[i:i + L])]
                    hits = [h for h in hits if all(t.capitalised for t, c in zip(toks[i:i + L], h.cased) if c)]
                    hits = [h for h in hits if h.kind != "person" or L > 1 or self._bare_surname_ok(toks, i)]
                if hits:
                    h = _best_hit(hits)
                    found = Match(i, i + L, h.kind, h.code, h.sector, h.plural)
                    break
                rk = tuple(stems[i:i + L])
                role = tab.roles.get(rk) if toks[i].norm not in tab.non_roles else None
                if role is not None and L > 1 and self._name_across(toks, i + 1, i + L):
                    role = None  # "présidents de la République | démocratique du Congo"
                if role is not None:
                    found = Match(i, i + L, role[1], None, role[0])
                    break
            if found:
                out.append(found)
                i = found.j
            else:
                i += 1
        if fuzzy:
            out = self._fuzzy_runs(toks, out)
        return out

    def _name_across(self, toks: list[Token], lo: int, end: int) -> bool:
        """Whether a known name starts inside tokens [lo, end) and runs past ``end``."""
        for k in range(lo, end):
            for L in range(end - k + 1, min(self.reg.max_len, len(toks) - k) + 1):
                if tuple(t.norm for t in toks[k:k + L]) in self.reg.index:
                    return True
        return False

    def _bare_surname_ok(self, toks: list[Token], i: int) -> bool:
        """A one-word person alias is not part of a longer unknown name ('Melania Trump')."""
        if i == 0:
            return True
        p = toks[i - 1]
        return not (p.capitalised and p.norm not in self.reg.not_names and (p.norm,) not in self.reg.honorifics)

    def _fuzzy_runs(self, toks: list[Token], matches: list[Match]) -> list[Match]:
        """Capitalised words not matched exactly are looked up fuzzily among people's names."""
        covered = set()
        for m in matches:
            covered.update(range(m.i, m.j))
        runs: list[tuple[int, int]] = []
        i = 0
        n = len(toks)
        reg = self.reg
        while i < n:
            t = toks[i]
            if i in covered or not t.capitalised or t.norm in reg.not_names or t.norm.isdigit() \
                    or (t.norm,) in reg.honorifics:
                i += 1
                continue
            j = i + 1
            while j < n and j not in covered and (toks[j].capitalised or toks[j].norm in reg.particles) \
                    and toks[j].norm not in reg.not_names:
                j += 1
            while j > i + 1 and not toks[j - 1].capitalised:
                j -= 1
            runs.append((i, j))
            i = j
        extra = []
        for i, j in runs:
            text = " ".join(t.orig for t in toks[i:j])
            key = reg.fuzzy_person(text)
            if key:
                extra.append(Match(i, j, "person", key))
                continue
            if self._learned:
                lkeys = [skeleton(lr.name) for lr in self._learned.values()] + \
                        [skeleton(lr.name.split()[-1]) for lr in self._learned.values()]
                lids = list(self._learned) * 2
                lk = fuzzy_match(skeleton(text), lkeys, lids, 84.0)
                if lk:
                    extra.append(Match(i, j, "learned", lk))
        return sorted(matches + extra, key=lambda m: m.i)

    def _match_country(self, m: Match) -> str | None:
        """The country/org code a match points to, at the article's date."""
        if m.kind in ("country", "demonym", "seat"):
            return m.code
        if m.kind == "org":
            return self.reg.orgs[m.code].country
        if m.kind == "person":
            return self.reg.people[m.code].at(self.published)[0]
        if m.kind == "learned":
            lr = self._learned.get(m.code or "")
            return lr.country if lr else None
        return None

    # ------------------------------------------------------------------ resolution
    def resolve(self, text: str, start: int | None = None, end: int | None = None) -> Actor | None:
        """Resolve the words of a noun phrase naming an actor; None when nothing can be said."""
        if text in self._cache:
            a = self._cache[text]
            if a is None:
                return None
            return Actor(text, a.name, a.country, a.sector, a.id, start, end)
        a = self._resolve(text)
        self._cache[text] = a
        if a is None:
            return None
        return Actor(text, a.name, a.country, a.sector, a.id, start, end)

    def _resolve(self, text: str) -> Actor | None:
        toks = tokenize(text)
        if not toks:
            return None
        ms = self._scan(toks)
        if not ms:
            return self._capital_fallback(text, toks)
        tab = self.tables
        named = [m for m in ms if m.kind in ("person", "learned", "org")]
        first_named = named[0] if named else None
        roles = [m for m in ms if m.kind in ("role", "collective", "inherit")
                 and (first_named is None or m.i < first_named.i)]
        head = roles[0] if roles else None
        if head is not None and head.kind == "inherit" and first_named is None:
            nxt = [m for m in roles[1:] if m.kind != "inherit"]
            if nxt:  # "deux membres des forces de sécurité" are security forces
                head = nxt[0]
        if head is not None and head.kind == "collective" and head.i == 1 and toks[0].norm in tab.bare_of_words \
                and first_named is None and len([m for m in ms if m is not head]) == 0:
            return None  # "d'État" without article qualifies a thing ("visite d'État de trois jours")
        former = head is not None and head.i > 0 and toks[head.i - 1].norm in tab.former_markers
        if not former and first_named is not None and first_named.i > 0 and head is None:
            former = toks[first_named.i - 1].norm in tab.former_markers

        # -- country: (rank, position) of every cue
        cues: list[tuple[int, int, str, Match]] = []
        for m in ms:
            code = self._match_country(m)
            if not code:
                continue
            rank = {"person": 0, "learned": 0, "org": 0, "demonym": 1}.get(m.kind, 2)
            k = m.i - 1
            while k >= 0 and toks[k].norm in tab.determiners:
                k -= 1
            after_prep = k >= 0 and toks[k].norm in tab.target_prepositions
            if k >= 0 and (after_prep or toks[k].norm in tab.of_words and m.kind != "demonym") \
                    and head is None and first_named is None \
                    and any(t.norm not in tab.determiners and t.norm not in self.reg.not_names for t in toks[:k]):
                continue  # "la guerre en Ukraine", "l'accord de Gaza": a thing, not an actor
            if after_prep:
                rank += 3  # "envoyé de Washington pour la Biélorussie": BLR is the target
            cues.append((rank, m.i, code, m))
        cues.sort(key=lambda c: (c[0], c[1]))
        country = cues[0][2] if cues else None
        cue = cues[0][3] if cues else None
        if country is None and head is not None and head.kind == "role" and first_named is None:
            country = self._city_country(text, toks, head.j)  # "la cour d'appel de Bouaké" -> CIV
        inside = {k for m in ms for k in range(m.i, m.j)}  # "ministre des Affaires étrangères" is no marker
        foreign = any(tab.stem(t.norm) in tab.foreign_markers for k, t in enumerate(toks) if k not in inside)
        # "les manifestants" with no country cue: the country stays unknown here; the context
        # says it (resolve_in_context), never for "des observateurs étrangers"
        if country is None and head is None and first_named is None:
            return None

        # -- the actor is the named entity itself unless a role heads the phrase
        #    and is linked to it by 'de/du' ("l'émissaire du président Trump").
        is_named = False
        if first_named is not None:
            if head is None or head.kind == "inherit":
                is_named = True
            else:
                between = [t.norm for t in toks[head.j:first_named.i]]
                is_named = head.kind == "role" and not any(b in tab.of_words for b in between)
        # -- sector
        sector: str | None = None
        ent_sector: str | None = None
        if first_named is not None:
            ent_sector = self._named_sector(first_named)
        if head is not None and head.kind != "inherit":
            sector = head.sector
        elif ent_sector is not None:
            sector = ent_sector
        elif head is not None and head.sector is not None:
            sector = head.sector  # "les dirigeants", "le commandant russe": the head's own default
        elif cue is not None:
            sector = self._cue_sector(cue, toks)
        if former and sector == "GOV":
            sector = self._former_sector(first_named)
        if sector == "GOV" and country and country not in self.reg.countries:
            org = self.reg.org_by_code.get(country)
            if org is not None and org.sector:
                sector = org.sector  # officials of an IGO act for it: EUR IGO, but WST GOV

        # -- id and name
        if first_named is not None and head is not None and head.kind == "role" and not former:
            if first_named.kind == "org" and is_named:
                sector = ent_sector or sector  # "l'ONG Viasna": the organisation knows better
            elif ent_sector == sector and first_named.kind == "org":
                is_named = True  # "les jihadistes du JNIM" are the JNIM
        if first_named is not None and (head is None or head.kind == "inherit" or is_named):
            aid, name = self._named_id(first_named)
            return Actor(text, name, country, sector, aid)
        if head is not None and head.kind == "collective" and country and sector == "GOV":
            return Actor(text, self.reg.country_name(country, self.lang), country, sector,
                         self._country_id(country))
        if head is None and cue is not None and cue.kind in ("country", "seat", "demonym") and sector == \
                (cue.sector if cue.kind == "seat" else tab.bare_country_sector):
            return Actor(text, self.reg.country_name(country, self.lang), country, sector,
                         self._country_id(country))
        if country is None and sector is None and head is None:
            return None
        if country is None and head is not None and head.kind == "collective" and sector == "GOV":
            return Actor(text, text, None, sector, UNKNOWN_STATE)  # "le pays", "les autorités"
        if country is None and foreign:
            return Actor(text, text, None, sector, FOREIGN)  # "des observateurs étrangers"
        name = f"{self.reg.country_name(country, self.lang)} ({sector})" if country else text
        return Actor(text, name, country, sector, f"group:{country or 'UNK'}:{sector or 'UNK'}")

    def _country_id(self, code: str) -> str:
        if code in self.reg.countries:
            return f"country:{code}"
        org = self.reg.org_by_code.get(code)
        return org.id if org else f"group:{code}:GOV"

    def _named_id(self, m: Match) -> tuple[str, str]:
        if m.kind == "learned":
            lr = self._learned[m.code or ""]
            return f"learned:{m.code}", lr.name
        e: Entity = self.reg.people[m.code] if m.kind == "person" else self.reg.orgs[m.code]
        return e.id, e.name

    def _named_sector(self, m: Match) -> str | None:
        if m.kind == "learned":
            lr = self._learned.get(m.code or "")
            return lr.sector if lr else None
        if m.kind == "org":
            return self.reg.orgs[m.code].sector
        return self.reg.people[m.code].at(self.published)[1]

    def _former_sector(self, m: Match | None) -> str:
        """Sector of a former office holder: the register's non-GOV default, else the table's."""
        if m is not None and m.kind == "person":
            e = self.reg.people[m.code]
            cur = e.at(self.published)[1]
            if cur and cur != "GOV":
                return cur
            if e.sector and e.sector != "GOV":
                return e.sector
        return self.tables.former_sector

    def _cue_sector(self, cue: Match, toks: list[Token]) -> str:
        """A bare country/capital stands for its government; 'les Palestiniens' are civilians."""
        if cue.kind == "seat":
            return cue.sector or self.tables.bare_country_sector
        if cue.kind == "demonym" and toks[cue.i].capitalised and cue.code in self.reg.countries and \
                (cue.plural or self.tables.demonym_noun_capitalised):
            return self.tables.demonym_noun_sector
        return self.tables.bare_country_sector

    def _capital_fallback(self, text: str, toks: list[Token]) -> Actor | None:
        """A phrase that is just a capital city (GeoNames) stands for the government."""
        key = tuple(t.norm for t in toks if t.norm not in self.reg.not_names)
        code = self.reg.capitals.get(key)
        if code and any(t.capitalised for t in toks if t.norm not in self.reg.not_names):
            return Actor(text, self.reg.country_name(code, self.lang), code, self.tables.bare_country_sector,
                         f"country:{code}")
        return None


def _best_hit(hits: Iterable[Hit]) -> Hit:
    order = {"person": 0, "org": 1, "seat": 2, "country": 3, "demonym": 4}
    return min(hits, key=lambda h: order.get(h.kind, 9))
