"""Stage 6, merging: one event per action per article (mentions of the same action
become one event with several mentions)."""

from __future__ import annotations

from typing import TYPE_CHECKING


from .base import (Candidate, _actor_key, _mention)

if TYPE_CHECKING:  # pragma: no cover
    pass


class MergingStage:
    """Mixin of :class:`kronika.extraction.coder.Coder`."""

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
                        and (o.target is None or c.target is None)):
                    # two words for one action in one sentence ("dispersés à coups de gaz lacrymogènes")
                    if o.target is None and c.target is not None:
                        o.target, o.quantity = c.target, o.quantity or c.quantity
                    o.extra_mentions.append(_mention(c))
                    merged = True
                    break
                if (o.code[:3] == c.code[:3] or o.code[:2] == c.code[:2] and min(len(o.code), len(c.code)) == 2) \
                        and _actor_key(o.source) == _actor_key(c.source) and _actor_key(o.target) == _actor_key(c.target) \
                        and o.modality == c.modality \
                        and (o.date == c.date or o.date_inferred or c.date_inferred or o.date is None or c.date is None):
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
        full = [c for c in cands if c.target is not None]
        out: list[Candidate] = []
        for c in cands:
            if c.target is None and c.source is not None:
                host = next((o for o in full if o.code[:2] == c.code[:2] and _actor_key(o.source) == _actor_key(c.source)
                             and (o.modality == c.modality)
                             and (o.date == c.date or o.date is None or c.date is None or o.date_inferred or c.date_inferred)),
                            None)
                if host is not None:
                    host.extra_mentions.append(_mention(c))
                    host.extra_mentions.extend(c.extra_mentions)
                    continue
            out.append(c)
        return out
