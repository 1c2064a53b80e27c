"""A small language guesser from spaCy's stop-word lists.

kronika reads French and English; other languages must be recognised so that they can be
skipped with a clear message instead of being coded as garbage. The stop-word lists come
from spaCy's own language data (``spacy/lang/XX/stop_words.py``), read as plain files: importing
``spacy.lang.fr`` would build its tokenizer exceptions (seconds of work), and reading an
article must not cost that (re-ingesting unchanged files loads no language model at all).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from functools import lru_cache

CANDIDATES = ("fr", "en", "es", "de", "it", "pt", "nl")
WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _stop_words() -> dict[str, frozenset[str]]:
    out = {}
    spec = importlib.util.find_spec("spacy")
    lang_dir = Path(spec.origin).parent / "lang"  # without importing spacy.lang.XX packages
    for code in CANDIDATES:
        mspec = importlib.util.spec_from_file_location(f"_kronika_stop_words_{code}", lang_dir / code / "stop_words.py")
        mod = importlib.util.module_from_spec(mspec)
        mspec.loader.exec_module(mod)
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


READ_LANGS = ("fr", "en")  # the languages kronika has pipelines for (kronika.nlp.READ_LANGS)


def foreign_passages(text: str, lang: str, min_words: int = 6) -> list[tuple[int, int, str]]:
    """Passages of ``text`` written in another language kronika reads than the article's
    ``lang``: ``(start, end, language)`` character spans, one per run of lines.

    A scraped French page often embeds English tweets or quotes on lines of their own. Each
    line of at least ``min_words`` words is guessed on its own; it is foreign when another
    read language's stop words cover at least 3 of its words and twice as many as ``lang``'s.
    Adjacent foreign lines of one language make one passage. A foreign sentence inside a
    line of the main language is not split out (it is read in the main language).
    """
    lists = _stop_words()
    if lang not in lists:
        return []
    out: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        words = [w.lower() for w in WORD_RE.findall(line)]
        if len(words) < min_words:
            continue
        main = sum(1 for w in words if w in lists[lang])
        best, score = max(((c, sum(1 for w in words if w in lists[c])) for c in READ_LANGS if c != lang),
                          key=lambda x: x[1])
        if score < 3 or score < 2 * max(main, 1):
            continue
        end = start + len(line.rstrip())
        if out and out[-1][2] == best and not text[out[-1][1]:start].strip():
            out[-1] = (out[-1][0], end, best)
        else:
            out.append((start, end, best))
    return out
