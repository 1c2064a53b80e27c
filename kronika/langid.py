"""A small language guesser from spaCy's stop-word lists.

kronika reads French and English; other languages must be recognised so that they can be
skipped with a clear message instead of being coded as garbage. The stop-word lists come
from spaCy's own language data (``spacy.lang.XX.stop_words``).
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

CANDIDATES = ("fr", "en", "es", "de", "it", "pt", "nl")
WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _stop_words() -> dict[str, frozenset[str]]:
    out = {}
    for code in CANDIDATES:
        mod = importlib.import_module(f"spacy.lang.{code}.stop_words")
        out[code] = frozenset(w.lower() for w in mod.STOP_WORDS if len(w) > 1)
    return out


def guess_language(text: str, sample: int = 4000) -> str | None:
    """The language whose stop words cover most of the first ``sample`` characters.

    Returns None when the text has too few words or no list covers at least 15% of them.
    Words shared by several lists count for each; the best exclusive coverage wins.
    """
    words = [w.lower() for w in WORD_RE.findall(text[:sample])]
    if len(words) < 3:
        return None
    lists = _stop_words()
    scores = {code: sum(1 for w in words if w in sw) for code, sw in lists.items()}
    best = max(scores, key=lambda c: scores[c])
    if scores[best] < 0.15 * len(words) and len(words) >= 20:
        return None
    if scores[best] == 0:
        return None
    return best
