"""Stage 2, classification: an open trigger stage learned from annotated articles.

Every verb, event noun and participle of a sentence is a candidate. A multinomial logistic
model over sparse parse features (lemma, part of speech, dependency, head, complements,
morphology, suffix, and the lexicon's own verdict on the word: ``lex=`` the roots of its
entries, ``hit=`` the root of the entry that fired with its conditions) and the word's
vector gives each candidate a probability per CAMEO root and for "no event".

The lexicon is strong evidence for the model, not a gate: in the default mode ``both`` a
lexicon trigger is kept unless the model is nearly sure it is not an event (``veto``), and a
word the lexicon does not know becomes a trigger when P(some root) reaches ``threshold``.
``lexicon`` turns the model off, ``model`` ignores the lexicon's triggers (its entries still
give the argument rules of the predicted root). Each trigger carries a confidence in 0–1.

The weights ship in ``kronika/models/trigger-<lang>.{npz,json}`` (a model may carry its own
``veto``, ``threshold`` and ``gated_threshold`` in its meta, chosen by CV on its language's
training data: the English one has no veto and an open threshold of 0.65); they are built by
``kronika train`` (kronika.training) from annotated articles. A language without a model
file runs on the lexicon alone.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
from spacy.tokens import Span, Token

from .base import Trigger, _lemma, _lower
from .lexicon import TriggerEntry
from .triggers import declined_tokens

FEATURE_VERSION = 2
NONE = "none"
CANDIDATE_POS = {"VERB", "NOUN", "ADJ"}
_CHILD_DEPS = {"obj", "nsubj", "nsubj:pass", "obl", "obl:arg", "obl:agent", "nmod", "xcomp", "amod", "iobj"}
MODES = ("both", "lexicon", "model")


@dataclass(frozen=True)
class Settings:
    """How the trigger stage combines the lexicon and the model."""

    mode: str = "both"  # both | lexicon | model
    threshold: float = 0.8  # P(some root) for a word the lexicon does not know (5-fold CV on fr-train)
    gated_threshold: float = 0.8  # the same for a word with lexicon entries none of which applies here
    veto: float = 0.97  # P(no event) above which a lexicon trigger is dropped
    min_confidence: float = 0.5  # events below it are not emitted
    model_path: str | None = None  # a model stem other than the shipped one


_settings = Settings()
_override: dict[str, "TriggerModel | None"] = {}


def settings() -> Settings:
    return _settings


@contextmanager
def configured(model: "TriggerModel | None | str" = "shipped", **kw) -> Iterator[Settings]:
    """Run extraction with other settings (and, for training and evaluation, another model
    object: ``model=None`` means no model at all)."""
    global _settings
    old, old_over = _settings, dict(_override)
    if kw.get("mode") not in (None, *MODES):
        raise ValueError(f"trigger mode must be one of {', '.join(MODES)}, not {kw['mode']!r}")
    _settings = replace(_settings, **kw)
    if model != "shipped":
        _override.clear()
        _override["*"] = model  # type: ignore[assignment]
    try:
        yield _settings
    finally:
        _settings = old
        _override.clear()
        _override.update(old_over)


def model_stem(lang: str) -> Path:
    return Path(str(resources.files("kronika").joinpath("models"))) / f"trigger-{lang}"


@lru_cache(maxsize=8)
def _load(stem: str) -> "TriggerModel | None":
    p = Path(stem)
    if not p.with_suffix(".npz").exists():
        return None
    return TriggerModel.load(p)


def active_model(lang: str) -> "TriggerModel | None":
    """The model extraction uses now for ``lang`` (None: lexicon only)."""
    if _settings.mode == "lexicon":
        return None
    if "*" in _override:
        m = _override["*"]
        return m if m is None or m.lang == lang else None
    return _load(str(Path(_settings.model_path) if _settings.model_path else model_stem(lang)))


# --- features -------------------------------------------------------------------------

def is_candidate(tok: Token) -> bool:
    """Every verb, noun and participle (an ADJ with a verb form) is a candidate trigger."""
    if tok.pos_ not in CANDIDATE_POS or tok.is_punct or not tok.text.strip():
        return False
    if tok.pos_ == "ADJ":
        return "Part" in tok.morph.get("VerbForm")
    return len(tok.text) > 1


def token_features(tok: Token, lex_roots: set[str], hit_root: str | None, phrase_hit: bool) -> list[str]:
    """Sparse features of one candidate (strings; the model maps them to weights)."""
    lem = _lemma(tok)
    head = tok.head
    f = ["b", f"l={lem}", f"p={tok.pos_}", f"d={tok.dep_}", f"pd={tok.pos_}|{tok.dep_}", f"suf={lem[-4:]}",
         f"h={_lemma(head)}" if head.i != tok.i else "h=ROOT", f"hp={head.pos_}", f"hd={tok.dep_}|{_lemma(head)}"]
    for k in ("VerbForm", "Tense", "Voice", "Mood", "Number"):
        for v in tok.morph.get(k):
            f.append(f"m:{k}={v}")
    for c in tok.children:
        if c.dep_ in _CHILD_DEPS:
            cl = _lemma(c)
            f.append(f"c:{c.dep_}")
            f.append(f"c:{c.dep_}={cl}")
            f.append(f"lc={lem}|{cl}")
            for x in c.children:
                if x.dep_ == "case":
                    f.append(f"cp={lem}|{_lower(x)}")
        elif c.dep_.startswith("aux"):
            f.append(f"aux={c.dep_}|{_lemma(c)}")
        elif c.dep_ == "advmod" and "Neg" in c.morph.get("Polarity"):
            f.append("neg")
    if tok.sent.start == 0:
        f.append("headline")
    for r in sorted(lex_roots):
        f.append(f"lex={r}")
    if not lex_roots:
        f.append("lex=0")
    if hit_root:
        f.append(f"hit={hit_root}")
        f.append(f"hitph={int(phrase_hit)}")
    return f


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n else v.astype(np.float32)


def token_vector(tok: Token) -> np.ndarray:
    v = tok.vector if tok.has_vector else None
    if v is None or not len(v):
        return np.zeros(0, dtype=np.float32)
    return _unit(v)


SIM_ROOTS = [f"{n:02d}" for n in range(1, 21)]


def _lexicon_matrix(coder, vocab) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors of the lexicon's one-word lemmas and the root index of each row."""
    cached = getattr(coder, "_lexmat", None)
    if cached is not None and cached[0] is vocab:
        return cached[1], cached[2]
    rows, roots = [], []
    for lemma, entries in coder.lex.by_lemma.items():
        if " " in lemma or not vocab.has_vector(lemma):
            continue
        v = _unit(np.asarray(vocab.get_vector(lemma), dtype=np.float32))
        for r in sorted({e.code[:2] for e in entries}):
            if r in SIM_ROOTS:
                rows.append(v)
                roots.append(SIM_ROOTS.index(r))
    mat = np.stack(rows) if rows else np.zeros((0, 1), np.float32)
    coder._lexmat = (vocab, mat, np.asarray(roots, dtype=np.int64))
    coder._simcache = {}
    return mat, coder._lexmat[2]


def lexicon_similarity(coder, tok: Token) -> np.ndarray:
    """Per CAMEO root, the highest cosine between the word's lemma vector and the vectors of
    the lexicon's lemmas of that root: the lexicon's knowledge carried to its synonyms
    ("neutraliser" near "tuer", "interpeller" near "arrêter")."""
    mat, roots = _lexicon_matrix(coder, tok.vocab)
    lem = _lemma(tok)
    cache = coder._simcache
    if lem in cache:
        return cache[lem]
    out = np.zeros(len(SIM_ROOTS), np.float32)
    v = tok.vocab.get_vector(lem) if tok.vocab.has_vector(lem) else (tok.vector if tok.has_vector else None)
    if v is not None and len(v) and mat.shape[0] and mat.shape[1] == len(v):
        sims = mat @ _unit(np.asarray(v, dtype=np.float32))
        np.maximum.at(out, roots, sims)
        out = np.clip(out, 0.0, 1.0)
    cache[lem] = out
    return out


def lexicon_roots(coder, tok: Token) -> set[str]:
    entries = coder.lex.entries_for(tok.lemma_) or coder.lex.entries_for(tok.text)
    return {e.code[:2] for e in entries}


def sentence_candidates(coder, sent: Span, triggers: Sequence[Trigger]) -> list[tuple[Token, list[str], np.ndarray]]:
    """Candidates of a sentence with their features (lexicon triggers first-class among them)."""
    hits = {t.token.i: t for t in triggers}
    out = []
    for tok in sent:
        if tok.i not in hits and not is_candidate(tok):
            continue
        h = hits.get(tok.i)
        feats = token_features(tok, lexicon_roots(coder, tok), h.entry.code[:2] if h else None,
                               bool(h and h.entry.phrase))
        vec = token_vector(tok)
        if vec.shape[0]:
            vec = np.concatenate([vec, lexicon_similarity(coder, tok)])
        out.append((tok, feats, vec))
    return out


# --- the model ------------------------------------------------------------------------

class TriggerModel:
    """Weights of the trigger classifier: one column per class (``none`` and CAMEO roots)."""

    def __init__(self, lang: str, classes: list[str], vocab: dict[str, int], w_sparse: np.ndarray,
                 w_vec: np.ndarray, bias: np.ndarray, meta: dict | None = None):
        self.lang = lang
        self.classes = classes
        self.vocab = vocab
        self.w_sparse = w_sparse.astype(np.float32)
        self.w_vec = w_vec.astype(np.float32)
        self.bias = bias.astype(np.float32)
        self.meta = meta or {}
        self.none_index = classes.index(NONE)

    def predict(self, feats: Sequence[Sequence[str]], vecs: Sequence[np.ndarray]) -> np.ndarray:
        """Class probabilities, one row per candidate."""
        n = len(feats)
        scores = np.tile(self.bias, (n, 1))
        for i, fs in enumerate(feats):
            idx = [self.vocab[x] for x in fs if x in self.vocab]
            if idx:
                scores[i] += self.w_sparse[idx].sum(axis=0)
        if n and self.w_vec.shape[0]:
            dense = np.stack([v if v.shape[0] == self.w_vec.shape[0] else np.zeros(self.w_vec.shape[0], np.float32)
                              for v in vecs])
            scores += dense @ self.w_vec
        scores -= scores.max(axis=1, keepdims=True)
        e = np.exp(scores)
        return e / e.sum(axis=1, keepdims=True)

    def save(self, stem: Path) -> None:
        stem = Path(stem)
        stem.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(stem.with_suffix(".npz"), w_sparse=self.w_sparse.astype(np.float16),
                            w_vec=self.w_vec.astype(np.float16), bias=self.bias)
        meta = dict(self.meta, lang=self.lang, classes=self.classes, feature_version=FEATURE_VERSION,
                    vocab=sorted(self.vocab, key=self.vocab.__getitem__))
        stem.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, stem: Path) -> "TriggerModel":
        stem = Path(stem)
        meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        if meta.get("feature_version") != FEATURE_VERSION:
            raise ValueError(f"{stem}.json: trigger model of feature version {meta.get('feature_version')}, "
                             f"this kronika reads version {FEATURE_VERSION}; rebuild it with `kronika train`")
        with np.load(stem.with_suffix(".npz")) as z:
            w_sparse, w_vec, bias = z["w_sparse"], z["w_vec"], z["bias"]
        vocab = {f: i for i, f in enumerate(meta.pop("vocab"))}
        return cls(meta.pop("lang"), meta.pop("classes"), vocab, w_sparse, w_vec, bias, meta)


# --- the stage --------------------------------------------------------------------------

def _tuned(model: "TriggerModel", s: Settings, name: str, fallback: float | None = None) -> float:
    """A setting of the trigger stage: the caller's when set, else the model's own (``veto``,
    ``threshold``, ``gated_threshold`` in its meta, chosen by CV on its language's training
    data: the English model has no veto), else ``fallback`` or the default."""
    value = getattr(s, name)
    if value != getattr(Settings, name):
        return value
    return float(model.meta.get(name, value if fallback is None else fallback))


class ClassifierStage:
    """Mixin of :class:`kronika.extraction.coder.Coder`: decides which candidates are triggers."""

    def classify(self, sent: Span, triggers: list[Trigger]) -> list[Trigger]:
        """The sentence's triggers after the model's say (each with its confidence)."""
        model = active_model(self.lang)
        if model is None or self.linear:
            return triggers
        cands = sentence_candidates(self, sent, triggers)
        if not cands:
            return triggers
        probs = model.predict([c[1] for c in cands], [c[2] for c in cands])
        by_tok = {t.token.i: t for t in triggers}
        covered = {x.i for t in triggers for x in t.tokens}
        s = settings()
        out: list[Trigger] = []
        open_best: dict[str, tuple[float, Token, str]] = {}
        declined = declined_tokens(sent)
        veto = _tuned(model, s, "veto")
        threshold = _tuned(model, s, "threshold")
        gated = _tuned(model, s, "gated_threshold", threshold)
        for (tok, feats, _), p in zip(cands, probs):
            p_event = 1.0 - float(p[model.none_index])
            k = int(np.argmax(np.where(np.arange(len(p)) == model.none_index, -1.0, p)))
            root = model.classes[k]
            trig = by_tok.get(tok.i)
            if trig is not None and s.mode == "both":
                if 1.0 - p_event <= veto:
                    out.append(replace(trig, confidence=0.5 + 0.5 * p_event))
                continue
            if tok.i in covered and trig is None:
                continue  # a word of a lexicon phrase
            if tok.i in declined:
                continue  # the lexicon says this word is not an event here ("s'arrêter devant")
            if s.mode == "model" and trig is not None and trig.entry.code[:2] == root and p_event >= threshold:
                out.append(replace(trig, confidence=p_event))
                continue
            floor = threshold if "lex=0" in feats else gated
            if p_event < floor or _lemma(tok) in self.lex.reporting:
                continue
            if s.mode == "both" and any(t.entry.code[:2] == root for t in triggers):
                continue  # the lexicon already found this action in the sentence
            if root not in open_best or open_best[root][0] < p_event:
                open_best[root] = (p_event, tok, root)
        for p_event, tok, root in open_best.values():
            entry = next((e for e in self.lex.entries_for(tok.lemma_) if e.code[:2] == root and not e.objects), None)
            if entry is None:
                entry = TriggerEntry(code=self._generic_code(root), lemma=_lemma(tok),
                                     pos="NOUN" if tok.pos_ == "NOUN" else None)
            out.append(Trigger(tok, [tok], entry, confidence=p_event, learned=True))
        out.sort(key=lambda t: t.token.i)
        return out

    def _generic_code(self, root: str) -> str:
        code = root + "0"
        return code if code in self.onto.codes else root
