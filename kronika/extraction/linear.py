"""Arguments by word order, for a language read without a dependency parse: the nearest
actor before the trigger is the source, the nearest after it the target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span

from ..model import Actor
from .base import Trigger, _lower, is_reciprocal

if TYPE_CHECKING:  # pragma: no cover
    from .context import DocContext


class LinearStage:
    """Mixin of :class:`kronika.extraction.coder.Coder`."""

    def _mentions(self, sent: Span, ctx: "DocContext") -> list[Actor]:
        """Actor mentions of a sentence read from word order (no parse): runs of capitalised
        words, and single words the register knows (demonyms, role words)."""
        out: list[Actor] = []
        toks = [t for t in sent if not t.is_space]
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.text[:1].isupper() and t.is_alpha and not (t.i == sent.start and t.lower_ in self.lex.reporting):
                j = i
                while j + 1 < len(toks) and (toks[j + 1].text[:1].isupper() or toks[j + 1].text in ("-", "of")
                                             and j + 2 < len(toks) and toks[j + 2].text[:1].isupper()):
                    j += 1
                span = sent.doc[toks[i].i:toks[j].i + 1]
                a = ctx.resolve(span.text, span.start_char, span.end_char)
                if a is None and j > i:  # "The US envoy": try the words one by one
                    for k in range(i, j + 1):
                        a = ctx.resolve(toks[k].text, toks[k].idx, toks[k].idx + len(toks[k].text))
                        if a is not None and a.country:
                            break
                if a is not None and a.country:
                    out.append(a)
                i = j + 1
                continue
            if t.is_alpha and len(t.text) > 2:
                a = ctx.resolve(t.text, t.idx, t.idx + len(t.text))
                if a is not None and a.country and (a.id or "").split(":")[0] in ("country", "org", "person", "group"):
                    out.append(a)
            i += 1
        return out

    def _linear_pairs(self, trig: Trigger, sent: Span, ctx: "DocContext") -> list[tuple[Actor | None, Actor | None]]:
        """Source and target by word order: the nearest actor before the trigger and the nearest
        after it; "was … by X" swaps them (passive)."""
        ments = self._mentions(sent, ctx)
        t0 = trig.token.idx
        left = [m for m in ments if (m.end or 0) <= t0]
        right = [m for m in ments if (m.start or 0) > t0]
        before = sent.doc[max(sent.start, trig.token.i - 2):trig.token.i]
        passive = any(_lower(t) in self.passive_aux for t in before)
        agent = None
        if passive:
            for m in right:
                span = sent.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None and any(_lower(t) in self.source_preps
                                            for t in sent.doc[max(sent.start, span.start - 3):span.start]):
                    agent = m
                    break
        if passive:
            src = agent
            tgt = left[-1] if left else None
            if src is None:
                src = ctx.implicit_agent(trig, tgt)
        else:
            src = left[-1] if left else None
            tgt = next((m for m in right if src is None or m.id != src.id), None)
            if tgt is None and len(left) >= 2 and (is_reciprocal(trig.entry.code) or trig.entry.reciprocal):
                between = sent.doc.text[left[-2].end or 0:left[-1].start or 0]
                if between.strip().lower() in self.coord_words or between.strip() == ",":
                    src, tgt = left[-2], left[-1]  # "Israel and Hamas signed": first-named as source
        return [(src, tgt)] if src is not None else []
