"""Stage 6, merging: one event per action per article (mentions of the same action
become one event with several mentions)."""

from __future__ import annotations

from typing import TYPE_CHECKING


from ..model import Actor
from .base import Candidate, _actor_key, _lemma, _mention

if TYPE_CHECKING:  # pragma: no cover
    pass


def codes_compatible(a: str, b: str) -> bool:
    """The same action type: the same three-digit code, or one of them only a root."""
    return a[:3] == b[:3] or (a[:2] == b[:2] and min(len(a), len(b)) == 2) or (a[:2] == b[:2] and "0" in (a[2:3], b[2:3]))


def dates_compatible(a: Candidate, b: Candidate) -> bool:
    """Dates that can be one day: equal, one missing or inferred, or one a prefix of the other
    at its precision ("2025-12" and "2025-12-13")."""
    if a.date is None or b.date is None or a.date_inferred or b.date_inferred:
        return True
    n = min(len(a.date), len(b.date))
    return a.date[:n] == b.date[:n]


def _open(a: Actor | None) -> bool:
    """No target, or a role whose country nothing gave: as good as none for merging."""
    return a is None or a.country is None


def _target_key(a: Actor | None) -> tuple:
    return (None,) if _open(a) else _actor_key(a)


def _named(a: Actor | None) -> str | None:
    """The identity of a named individual party (a person), else None."""
    if a is None or not a.id:
        return None
    return a.id if a.id.startswith(("person:", "learned:")) else None


class MergingStage:
    """Mixin of :class:`kronika.extraction.coder.Coder`."""

    def same_action(self, o: Candidate, c: Candidate) -> bool:
        """Two mentions of one action: compatible codes, the same parties (by country, and by
        person when both name one), the same modality, compatible dates — and positive
        evidence that it is one action, not two of a kind (see ``_evidence_of_one_action``)."""
        if not codes_compatible(o.code, c.code) or o.modality != c.modality:
            return False
        if _actor_key(o.source) != _actor_key(c.source) or _target_key(o.target) != _target_key(c.target):
            return False
        for x, y in ((o.source, c.source), (o.target, c.target)):
            if _named(x) and _named(y) and _named(x) != _named(y):
                return False  # two people arrested are two arrests
        for x, q in ((o.target, c.quantity), (c.target, o.quantity)):
            if _named(x) and q is not None and q > 1:
                return False  # one named person and "douze autres" are two actions
        if o.quantity is not None and c.quantity is not None and o.quantity != c.quantity:
            return False
        return dates_compatible(o, c) and self._evidence_of_one_action(o, c)

    def _evidence_of_one_action(self, o: Candidate, c: Candidate) -> bool:
        """What says that two compatible mentions are one action: the same sentence, the same
        trigger word ("libérés" … "cette libération" shares the lemma family), the same
        explicit date, or both in the article's lead (headline and first sentences tell the
        story once, the body tells it again)."""
        if o.sentence.start == c.sentence.start:
            return True
        if _lemma(o.trigger.token)[:5] == _lemma(c.trigger.token)[:5]:
            return True
        if o.date and c.date and not o.date_inferred and not c.date_inferred and len(o.date) == 10 and o.date == c.date:
            return True
        return self._in_lead(o) and self._in_lead(c)

    def _in_lead(self, c: Candidate) -> bool:
        doc = c.sentence.doc
        cached = getattr(self, "_lead_cache", None)
        if cached is None or cached[0] is not doc:
            starts = set()
            for n, s in enumerate(doc.sents):
                if n >= 3:
                    break
                starts.add(s.start)
            cached = self._lead_cache = (doc, starts)
        return c.sentence.start in cached[1]

    def _dedup(self, cands: list[Candidate]) -> list[Candidate]:
        """Merge mentions of the same action: same code family, same actors, compatible dates."""
        out: list[Candidate] = []
        for c in cands:
            merged = False
            if c.anaphoric:
                prev = next((o for o in reversed(out) if o.code[:2] == c.code[:2]), None)
                if prev is not None:
                    prev.extra_mentions.append(_mention(c))
                    continue
            for o in out:
                if (o.sentence.start == c.sentence.start and o.code[:2] == c.code[:2]
                        and _actor_key(o.source) == _actor_key(c.source)
                        and (_open(o.target) or _open(c.target))):
                    # two words for one action in one sentence ("dispersés à coups de gaz lacrymogènes")
                    if (o.target is None and c.target is not None) or (_open(o.target) and not _open(c.target)):
                        o.target, o.quantity = c.target, o.quantity or c.quantity
                    o.extra_mentions.append(_mention(c))
                    merged = True
                    break
                if self.same_action(o, c):
                    if c.sentence.start_char == o.sentence.start_char and c.trigger.token.i == o.trigger.token.i:
                        merged = True
                        break
                    o.extra_mentions.append(_mention(c))
                    if len(c.code) > len(o.code):
                        o.code = c.code
                    if o.quantity is None:
                        o.quantity = c.quantity
                    if (o.date is None or o.date_inferred) and c.date and not c.date_inferred:
                        o.date, o.date_precision, o.date_inferred = c.date, c.date_precision, False
                    if o.location is None or (o.location.place is None and c.location and c.location.place):
                        o.location = c.location or o.location
                    merged = True
                    break
            if not merged:
                out.append(c)
        return self._absorb_partial(out)

    def _absorb_partial(self, cands: list[Candidate]) -> list[Candidate]:
        """A mention that names no target ("la signature d'un document", "ils sont venus
        bombarder") is the same action as a full mention of the article with the same root,
        source and a compatible date: keep one event with both mentions."""
        full = [c for c in cands if not _open(c.target)]
        out: list[Candidate] = []
        for c in cands:
            if _open(c.target) and c.source is not None:
                host = next((o for o in full if o.code[:2] == c.code[:2] and _actor_key(o.source) == _actor_key(c.source)
                             and o.modality == c.modality and dates_compatible(o, c)),
                            None)
                if host is not None:
                    host.extra_mentions.append(_mention(c))
                    host.extra_mentions.extend(c.extra_mentions)
                    continue
            out.append(c)
        return out
