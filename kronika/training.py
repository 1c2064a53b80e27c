"""Training the trigger model (kronika.extraction.classifier) from annotated articles.

Gold articles (GUIDELINES §2) name each event's code and its evidence sentences, not its
trigger word, so the labels are weak: in each evidence span the candidate that best explains
the gold root is labelled with it — a lexicon trigger of that root first, then a word whose
lexicon entries include the root, then a word the first pass associated with the root, then
the span's main verb — and reporting verbs are never chosen. Other candidates of the span
that could also carry the root are left out (neither event nor not); every other candidate
of the corpus is labelled "none" (non-political articles give only negatives).

``cross_validate`` scores each fold with a model that did not see it, the folds grouping
reports of one story (``story``) together; ``train`` fits on everything and saves the
weights that ship in ``kronika/models/``. Command: ``kronika train GOLD``.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

from .extraction.classifier import NONE, TriggerModel, configured, sentence_candidates
from .model import Article

MIN_FEATURE_COUNT = 2
POS_WEIGHT = 2.0  # weight of an event sample against a "none" one (5-fold CV on fr-train: both 0.378 -> 0.381)
ROOTS = [f"{n:02d}" for n in range(2, 21)]  # root 01 (statements) is left to the lexicon


@dataclass
class Sample:
    article: str
    feats: list[str]
    vec: np.ndarray
    label: str | None  # None: left out of training
    lemma: str
    hint: float  # how well the word explains a gold root of its span (for the label choice)


def parse_articles(records: list[dict]) -> list[Any]:
    """The parsed text of each gold article (spaCy ``nlp.pipe``, as ingest parses)."""
    from .nlp import load_pipeline

    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_lang[r.get("lang") or "fr"].append(i)
    docs: list[Any] = [None] * len(records)
    for lang, idx in by_lang.items():
        for i, d in zip(idx, load_pipeline(lang).pipe([records[i]["text"] for i in idx], batch_size=16)):
            docs[i] = d
    return docs


def _gold_spans(rec: dict) -> list[tuple[str, list[tuple[int, int]]]]:
    from .evaluate import _spans

    out = []
    for g in rec.get("events") or []:
        root = str(g["code"])[:2]
        if root in ROOTS:
            out.append((root, _spans(rec["text"], g.get("evidence") or [])))
    return out


def article_samples(coder: Any, rec: dict, doc: Any, assoc: dict[str, Counter] | None = None) -> list[Sample]:
    """Labelled candidates of one article."""
    coder.linear = not doc.has_annotation("DEP")
    if coder.linear:
        return []
    reporting = coder.lex.reporting | coder.lex.announce_verbs
    cands: list[tuple[Any, list[str], np.ndarray, str | None]] = []
    for sent in doc.sents:
        trigs = coder.find_triggers(sent)
        hits = {t.token.i: t.entry.code[:2] for t in trigs}
        for tok, feats, vec in sentence_candidates(coder, sent, trigs):
            cands.append((tok, feats, vec, hits.get(tok.i)))
    labels: dict[int, str | None] = {}
    for root, spans in _gold_spans(rec):
        for a, b in spans:
            inside = [c for c in cands if a <= c[0].idx < b]
            if not inside:
                continue

            def score(c: tuple) -> float:
                tok, feats, _, hit = c
                lem = tok.lemma_.lower()
                s = 0.0
                if hit == root:
                    s += 4
                if f"lex={root}" in feats:
                    s += 2
                if assoc is not None and assoc.get(lem):
                    s += 2 * assoc[lem][root] / (sum(assoc[lem].values()) + 1)
                if lem in reporting:
                    s -= 5
                if tok.pos_ == "VERB":
                    s += 0.3
                if tok.dep_ == "ROOT":
                    s += 0.2
                if tok.dep_ in ("nsubj", "nsubj:pass") and tok.pos_ == "NOUN":
                    s -= 0.5
                return s

            ranked = sorted(inside, key=score, reverse=True)
            best = ranked[0]
            if score(best) < 0:
                continue
            labels[best[0].i] = root
            for c in ranked[1:]:
                if c[3] == root or f"lex={root}" in c[1] or (assoc and assoc.get(c[0].lemma_.lower(), {}).get(root)):
                    labels.setdefault(c[0].i, None)  # could carry the root too: left out
    out = []
    for tok, feats, vec, _ in cands:
        label = labels.get(tok.i, NONE) if tok.i in labels else NONE
        out.append(Sample(rec["id"], feats, vec, label, tok.lemma_.lower(), 0.0))
    return out


def build_samples(records: list[dict], docs: list[Any], lang: str = "fr") -> list[Sample]:
    """Samples of all articles, in two passes: the first pass's chosen words give the
    lemma–root association the second pass uses to choose among words the lexicon lacks."""
    from .pipeline import _coder

    coder = _coder(lang)
    first = [s for rec, doc in zip(records, docs) for s in article_samples(coder, rec, doc)]
    assoc: dict[str, Counter] = defaultdict(Counter)
    for s in first:
        if s.label not in (None, NONE):
            assoc[s.lemma][s.label] += 1
    return [s for rec, doc in zip(records, docs) for s in article_samples(coder, rec, doc, assoc)]


def fit(samples: list[Sample], lang: str = "fr", c: float = 0.5, meta: dict | None = None,
        pos_weight: float = POS_WEIGHT) -> TriggerModel:
    """A multinomial logistic regression over the samples (scikit-learn), as a TriggerModel;
    event samples weigh ``pos_weight`` times a "none" sample (they are one in ten)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    train = [s for s in samples if s.label is not None]
    counts = Counter(f for s in train for f in set(s.feats))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT))}
    dim = max((s.vec.shape[0] for s in train), default=0)
    rows, cols = [], []
    for r, s in enumerate(train):
        for f in set(s.feats):
            j = vocab.get(f)
            if j is not None:
                rows.append(r)
                cols.append(j)
    xs = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(train), len(vocab)))
    dense = np.stack([s.vec if s.vec.shape[0] == dim else np.zeros(dim, np.float32) for s in train]) if dim else \
        np.zeros((len(train), 0), np.float32)
    x = sparse.hstack([xs, sparse.csr_matrix(dense)]).tocsr()
    y = [s.label for s in train]
    classes = sorted(set(y))
    clf = LogisticRegression(C=c, max_iter=400, solver="lbfgs")
    clf.fit(x, y, sample_weight=np.array([1.0 if v == NONE else pos_weight for v in y]))
    coef = clf.coef_.T  # (features, classes)
    if len(clf.classes_) == 2:  # binary: sklearn keeps one column
        coef = np.hstack([-coef / 2, coef / 2])
        bias = np.array([-clf.intercept_[0] / 2, clf.intercept_[0] / 2])
    else:
        bias = clf.intercept_
    classes = [str(k) for k in clf.classes_]
    m = dict(meta or {}, samples=len(train), positives=sum(1 for v in y if v != NONE), c=c, pos_weight=pos_weight,
             features=len(vocab), vector_dim=dim)
    return TriggerModel(lang, classes, vocab, coef[:len(vocab)], coef[len(vocab):], bias, m)


def folds(records: list[dict], k: int) -> list[int]:
    """Fold of each article; reports of one story share a fold (stable across runs)."""
    out = []
    for r in records:
        key = str(r.get("story") or r["id"])
        out.append(int(hashlib.sha1(key.encode()).hexdigest(), 16) % k)
    return out


def extract_with(records: list[dict], docs: list[Any], model: TriggerModel | None,
                 **settings: Any) -> dict[str, list[dict]]:
    """System events of each article, extracted with ``model`` (None: lexicon only)."""
    from .pipeline import CHUNK_CHARS, _result, extract_article

    system = {}
    with configured(model=model, **settings):
        for rec, doc in zip(records, docs):
            art = Article(id=rec["id"], published=rec["date"], text=rec["text"], lang=rec.get("lang") or "fr")
            res = extract_article(art) if len(art.text) > CHUNK_CHARS else _result(art, doc)
            system[rec["id"]] = [e.to_dict() for e in res.events]
    return system


def cross_validate(records: list[dict], docs: list[Any], samples: list[Sample], k: int = 5, c: float = 0.5,
                   lang: str = "fr", log: Callable[[str], None] = print, modes: tuple[str, ...] = ("both",),
                   pos_weight: float = POS_WEIGHT, **settings: Any) -> dict[str, dict[str, list[dict]]]:
    """System events of every article for each trigger mode, each fold extracted by a model
    trained on the other folds."""
    fold_of = dict(zip((r["id"] for r in records), folds(records, k)))
    system: dict[str, dict[str, list[dict]]] = {m: {} for m in modes}
    for f in range(k):
        t0 = time.time()
        model = fit([s for s in samples if fold_of[s.article] != f], lang=lang, c=c, pos_weight=pos_weight)
        part = [(r, d) for r, d in zip(records, docs) if fold_of[r["id"]] == f]
        for m in modes:
            system[m].update(extract_with([p[0] for p in part], [p[1] for p in part], model, mode=m, **settings))
        log(f"fold {f + 1}/{k}: {len(part)} articles, {time.time() - t0:.0f} s")
    return system


def train(gold: Iterable[str | Path], out: Path | None = None, k: int = 5, c: float = 0.5, lang: str = "fr",
          log: Callable[[str], None] = print) -> tuple[TriggerModel, Any]:
    """Train on the gold files (cross-validated first when ``k`` > 1) and save the model."""
    from .evaluate import load_gold, score_with_thresholds
    from .extraction.classifier import model_stem

    records = [r for p in gold for r in load_gold(p) if (r.get("lang") or "fr") == lang]
    if not records:
        raise ValueError(f"no {lang} articles in {', '.join(map(str, gold))}")
    t0 = time.time()
    docs = parse_articles(records)
    samples = build_samples(records, docs, lang)
    log(f"{len(records)} articles, {len(samples)} candidates, "
        f"{sum(1 for s in samples if s.label not in (None, NONE))} labelled events ({time.time() - t0:.0f} s)")
    report = None
    if k > 1:
        systems = cross_validate(records, docs, samples, k=k, c=c, lang=lang, log=log, modes=("model", "both"),
                                 min_confidence=0.0)
        for mode, system in systems.items():
            report = score_with_thresholds(records, system)
            log(f"{k}-fold cross-validation, triggers {mode}:\n" + report.to_text())
    model = fit(samples, lang=lang, c=c, meta={"trained_on": [Path(p).name for p in gold],
                                                "articles": len(records)})
    stem = Path(out) if out else model_stem(lang)
    model.save(stem)
    log(f"model saved to {stem}.npz / .json ({stem.with_suffix('.npz').stat().st_size / 1e6:.1f} MB)")
    return model, report
