"""Tokenising and normalising text for actor lookup.

Every lookup key in kronika.actors is a tuple of normalised tokens: letters and digits only,
transliterated to ASCII (anyascii) and case-folded, so "Biélorussie", "bielorussie" and
"BIELORUSSIE" give the same key and "l’Ukraine" gives ("l", "ukraine").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from anyascii import anyascii

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Token:
    """One word of the text: its original form, normalised form and character offsets."""

    orig: str
    norm: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        """True when the original word starts with a capital letter."""
        return self.orig[:1].isupper()

    @property
    def upper(self) -> bool:
        """True when the original word is all capitals (an acronym)."""
        return self.orig.isupper()


@lru_cache(maxsize=65536)
def norm_word(word: str) -> str:
    """Normalise one word: ASCII transliteration, lower case, letters and digits only."""
    return _NON_ALNUM.sub("", anyascii(word).lower())


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word tokens (apostrophes, hyphens and dots separate words)."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        n = norm_word(m.group())
        if n:
            out.append(Token(m.group(), n, m.start(), m.end()))
    return out


def norm_key(text: str) -> tuple[str, ...]:
    """The lookup key of a phrase: its normalised tokens."""
    return tuple(t.norm for t in tokenize(text))


def norm_text(text: str) -> str:
    """The normalised phrase as one space-separated string."""
    return " ".join(norm_key(text))


def slug(text: str) -> str:
    """A stable id fragment: 'Alexandre Loukachenko' -> 'alexandre-loukachenko'."""
    return "-".join(norm_key(text))


class Stemmer:
    """Crude suffix stripper driven by a language's rule list (from lang/XX/roles.yaml).

    ``rules`` is a list of [suffix, replacement] tried in order; the first that fits and
    leaves at least ``min_stem`` characters is applied once. Both the role table and the
    text go through the same stemmer, so the stems only need to be consistent.
    """

    def __init__(self, rules: list[list[str]], min_stem: int = 3) -> None:
        self.rules = [(str(a), str(b or "")) for a, b in rules]
        self.min_stem = min_stem
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        """Return the stem of a normalised word."""
        s = self._cache.get(word)
        if s is not None:
            return s
        s = word
        for suf, rep in self.rules:
            if word.endswith(suf) and len(word) - len(suf) + len(rep) >= self.min_stem:
                s = word[: len(word) - len(suf)] + rep
                break
        self._cache[word] = s
        return s


_SKELETON_RULES = [
    ("sch", "sh"), ("tch", "ch"), ("sz", "sh"), ("ch", "sh"), ("kh", "h"), ("ou", "u"),
    ("y", "i"), ("w", "v"), ("ck", "k"), ("ph", "f"), ("dj", "j"), ("dzh", "j"), ("zh", "j"),
]


@lru_cache(maxsize=65536)
def skeleton(text: str) -> str:
    """A spelling-tolerant key for fuzzy name matching across transliterations.

    'Loukachenko', 'Lukashenko', 'Łukaszenka' -> 'lukashenko'/'lukashenka'; doubled
    letters are collapsed ('Zelenskyy' -> 'zelenski').
    """
    s = " ".join(norm_key(text))
    for a, b in _SKELETON_RULES:
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


_FIRST: dict[int, tuple[Any, int, dict[str, int]]] = {}


def first_lengths(index: dict, cache: bool = True) -> dict[str, int]:
    """For a dict keyed by word tuples: the length of the longest key starting with each word.
    Cached per dict (long-lived tables: the register's index, the role tables) until its
    size changes; ``cache=False`` for short-lived dicts."""
    if not cache:
        out: dict[str, int] = {}
        for k in index:
            if k and len(k) > out.get(k[0], 0):
                out[k[0]] = len(k)
        return out
    hit = _FIRST.get(id(index))
    if hit is not None and hit[0] is index and hit[1] == len(index):
        return hit[2]
    out = first_lengths(index, cache=False)
    if len(_FIRST) > 32:
        _FIRST.clear()
    _FIRST[id(index)] = (index, len(index), out)  # the reference keeps the id from being reused
    return out
