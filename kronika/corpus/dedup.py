"""Exact and near-duplicate articles, detected at ingest.

Two articles are *exact* duplicates when their texts have the same SHA-256 (after the
reader's normalisation), *near*-duplicates when the Jaccard similarity of their sets of
word shingles (``SHINGLE`` consecutive normalised words) is at least ``threshold`` (texts of
at least ``MIN_WORDS`` words; shorter ones are compared exactly only). The
similarity is estimated with MinHash signatures (``datasketch``, ``NUM_PERM`` permutations,
fixed seed) and candidates are found with a MinHash LSH index, so a new article is compared
with the few stored articles that share a band of its signature, not with all of them.

A duplicate is linked to the *first copy*: the earliest stored article of its group (if B
copies A and C copies B, C is linked to A). A duplicate is stored with its text and
``duplicate_of``, but it is not coded: none of its events is stored, so a text ingested under
two ids, or a wire story reprinted by a second site with a few words changed ("rebelles" →
"résistance"), never counts twice. Signatures are stored (table ``article_minhash``) so that
the next ingest compares new articles with everything stored without re-reading texts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 3  # words per shingle (3 keeps a copy with 1 word in 10 changed above the threshold)
THRESHOLD = 0.5  # estimated Jaccard similarity from which an article is a near-duplicate
SEED = 1
MIN_WORDS = 25  # shorter texts are compared exactly only: in a 10-word text one word is the news
SCHEME = "affine32"  # datasketch 2 hashing scheme; stored signatures are compared only within it

_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_words(text: str) -> list[str]:
    """Lower-cased words without accents (typography and punctuation do not count)."""
    t = unicodedata.normalize("NFKD", text.lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    return _WORD.findall(t)


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    """The set of ``k``-word shingles of ``text`` (a short text is one shingle)."""
    words = normalise_words(text)
    if len(words) <= k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def signature(text: str) -> MinHash | None:
    """The MinHash signature of ``text``'s shingles; None for a text under ``MIN_WORDS`` words."""
    if len(normalise_words(text)) < MIN_WORDS:
        return None
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    sh = shingles(text)
    if sh:
        m.update_batch(list(sh))
    return m


def from_hashvalues(values: Sequence[int]) -> LeanMinHash:
    """A stored signature (a LeanMinHash: no permutations to rebuild, fast to load)."""
    return LeanMinHash(seed=SEED, scheme=SCHEME, hashvalues=np.asarray(values, dtype=np.uint64))


@dataclass
class Duplicate:
    """An article found to copy a stored one."""

    article_id: str
    duplicate_of: str  # the first copy
    similarity: float  # 1.0 for an exact copy, else the estimated Jaccard similarity
    exact: bool


class DuplicateIndex:
    """Stored articles' hashes and signatures; ``check`` then ``add`` each new article."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.sigs: dict[str, MinHash] = {}
        self.by_hash: dict[str, str] = {}  # text hash -> first article with it
        self.first_copy: dict[str, str] = {}  # duplicate id -> first copy

    def load(self, rows: Iterable[tuple[str, str, Sequence[int] | None, str | None]]) -> None:
        """Stored articles: ``(article_id, text_hash, minhash values or None, duplicate_of)``."""
        for aid, h, values, dup in rows:
            self._remember(aid, h, from_hashvalues(values) if values is not None else None, dup)

    def _remember(self, aid: str, h: str, sig: MinHash | None, dup: str | None) -> None:
        if dup:
            self.first_copy[aid] = dup
        self.by_hash.setdefault(h, aid)
        if sig is not None and aid not in self.sigs:
            self.sigs[aid] = sig
            self.lsh.insert(aid, sig)

    def root(self, aid: str) -> str:
        seen = set()
        while aid in self.first_copy and aid not in seen:
            seen.add(aid)
            aid = self.first_copy[aid]
        return aid

    def check(self, article_id: str, text_hash: str, sig: MinHash | None) -> Duplicate | None:
        """The stored article ``article_id`` copies, or None. Its own id never counts (an
        article re-ingested with a changed text is an update, not a copy)."""
        other = self.by_hash.get(text_hash)
        if other is not None and other != article_id and self.root(other) != article_id:
            return Duplicate(article_id, self.root(other), 1.0, True)
        best: tuple[float, str] | None = None
        for cand in (self.lsh.query(sig) if sig is not None else ()):
            if cand == article_id or self.root(cand) == article_id:
                continue
            sim = float(sig.jaccard(self.sigs[cand]))
            if sim >= self.threshold and (best is None or sim > best[0] or (sim == best[0] and cand < best[1])):
                best = (sim, cand)
        if best is None:
            return None
        return Duplicate(article_id, self.root(best[1]), round(best[0], 4), False)

    def add(self, article_id: str, text_hash: str, sig: MinHash | None, duplicate_of: str | None = None) -> None:
        if article_id in self.sigs:  # an updated article: its old signature goes
            self.lsh.remove(article_id)
            del self.sigs[article_id]
        self._remember(article_id, text_hash, sig, duplicate_of)
