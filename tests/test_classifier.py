"""The open trigger stage (kronika/extraction/classifier.py), its training
(kronika/training.py), confidence and the argument back-off.

Models here are small ones built in the test (weights set by hand, or trained on invented
articles), so that each test says exactly what the stage must do with them; the shipped
model is checked for loading and use only."""

from __future__ import annotations

import numpy as np
import pytest

import kronika
from kronika.evaluate import score_with_thresholds
from kronika.extraction.classifier import (FEATURE_VERSION, NONE, TriggerModel, active_model, configured,
                                           model_stem)

PUB = "2024-03-16"
CLASSES = [NONE, "18", "19"]


def hand_model(weights: dict[str, dict[str, float]], bias_none: float = 4.0) -> TriggerModel:
    """A model whose only knowledge is ``weights``: feature → class → weight (no vectors)."""
    vocab = {f: i for i, f in enumerate(weights)}
    w = np.zeros((len(vocab), len(CLASSES)), np.float32)
    for f, per in weights.items():
        for cls, v in per.items():
            w[vocab[f], CLASSES.index(cls)] = v
    bias = np.zeros(len(CLASSES), np.float32)
    bias[0] = bias_none
    return TriggerModel("fr", CLASSES, vocab, w, np.zeros((0, len(CLASSES)), np.float32), bias)


def events(text: str, model, **kw):
    with configured(model=model, **kw):
        return kronika.extract(text, published=PUB, lang="fr")


# an invented verb: no lexicon can know it, only the model
INVENTED = "Les rebelles maliens ont zigouillé trois villageois près de Gao."


def test_a_word_the_lexicon_lacks_becomes_a_trigger_through_the_model() -> None:
    assert not [e for e in events(INVENTED, None) if e.root == "18"]
    m = hand_model({"l=zigouiller": {"18": 8.0}})
    evs = [e for e in events(INVENTED, m) if e.root == "18"]
    assert len(evs) == 1
    e = evs[0]
    assert e.trigger == "zigouillé" and e.cameo == "180"
    assert e.source.country == "MLI" and "villageois" in e.target.text
    assert 0.5 <= e.confidence < 1.0


def test_below_the_threshold_the_word_is_not_an_event() -> None:
    m = hand_model({"l=zigouiller": {"18": 4.2}})  # P(event) ≈ 0.55
    assert [e for e in events(INVENTED, m, threshold=0.5) if e.root == "18"]
    assert not [e for e in events(INVENTED, m, threshold=0.6) if e.root == "18"]


def test_a_model_carries_its_own_open_threshold_and_the_caller_overrides_it() -> None:
    """The open-stage threshold is chosen per model (per language) and kept in its meta;
    a threshold the caller sets wins."""
    m = hand_model({"l=zigouiller": {"18": 5.0}})  # P(event) ≈ 0.73, under the default 0.8
    assert not [e for e in events(INVENTED, m) if e.root == "18"]
    m.meta["threshold"] = 0.65
    assert [e for e in events(INVENTED, m) if e.root == "18"]
    assert not [e for e in events(INVENTED, m, threshold=0.9) if e.root == "18"]


def test_lexicon_mode_ignores_the_model_and_model_mode_ignores_the_lexicon() -> None:
    m = hand_model({"l=zigouiller": {"18": 8.0}})
    assert not [e for e in events(INVENTED, m, mode="lexicon") if e.root == "18"]
    text = "La police kényane a arrêté trois journalistes à Nairobi."
    assert [e for e in events(text, m, mode="both") if e.root == "17"]  # a lexicon trigger, no veto
    assert not [e for e in events(text, m, mode="model") if e.root == "17"]  # the model does not know it


def test_the_model_vetoes_a_lexicon_trigger_it_is_sure_is_no_event() -> None:
    text = "La police kényane a arrêté trois journalistes à Nairobi."
    sure = hand_model({"hit=17": {NONE: 6.0}})
    assert not [e for e in events(text, sure) if e.root == "17"]
    unsure = hand_model({"hit=17": {NONE: -2.0}}, bias_none=0.0)
    kept = [e for e in events(text, unsure) if e.root == "17"]
    assert kept and kept[0].confidence > 0.5


def test_min_confidence_filters_events() -> None:
    m = hand_model({"l=zigouiller": {"18": 5.0}})  # P(event) ≈ 0.73
    # the open stage's threshold (default 0.8) is set under the event's P so that only the
    # minimum confidence decides
    e = [x for x in events(INVENTED, m, threshold=0.65) if x.root == "18"][0]
    assert 0.6 < e.confidence < 0.8
    assert not [x for x in events(INVENTED, m, threshold=0.65, min_confidence=0.8) if x.root == "18"]


def test_a_noun_without_agent_takes_the_subject_of_the_governing_clause() -> None:
    [e] = [x for x in events("Le Tchad souhaite la reprise des négociations.", None) if x.root == "04"]
    assert e.source.country == "TCD" and e.confidence == pytest.approx(0.7)


def test_the_party_of_the_previous_sentence_is_a_weak_source() -> None:
    text = "Le président gabonais a quitté Libreville lundi. Une série de rencontres est prévue."
    low = [x for x in events(text, None, min_confidence=0.0) if x.root in ("03", "04")]
    assert low and low[0].source.country == "GAB" and low[0].confidence == pytest.approx(0.4)
    assert not [x for x in events(text, None) if x.root in ("03", "04")]  # below the default 0.5


def test_support_noun_and_hyphenated_country() -> None:
    [e] = [x for x in events("Le Royaume-Uni a annoncé l'imposition de sanctions contre trois ministres iraniens.",
                             None) if x.root == "16"]
    assert (e.source.country, e.target.country) == ("GBR", "IRN")
    assert e.source.text == "Le Royaume-Uni"


def test_save_and_load_round_trip(tmp_path) -> None:
    m = hand_model({"l=zigouiller": {"18": 8.0}, "p=VERB": {"19": 0.5}})
    m.save(tmp_path / "m")
    back = TriggerModel.load(tmp_path / "m")
    assert back.classes == m.classes and back.vocab == m.vocab
    feats = [["l=zigouiller", "p=VERB"], ["p=NOUN"]]
    vecs = [np.zeros(0, np.float32)] * 2
    assert np.allclose(back.predict(feats, vecs), m.predict(feats, vecs), atol=1e-3)


def test_a_model_of_another_feature_version_is_refused(tmp_path) -> None:
    import json

    m = hand_model({"l=x": {"18": 1.0}})
    m.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m.json").read_text())
    meta["feature_version"] = FEATURE_VERSION + 1
    (tmp_path / "m.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="kronika train"):
        TriggerModel.load(tmp_path / "m")


def test_the_shipped_french_model_is_used_by_default() -> None:
    assert model_stem("fr").with_suffix(".npz").exists()
    m = active_model("fr")
    assert m is not None and m.lang == "fr" and set(m.classes) >= {NONE, "17", "19"}
    e = kronika.extract("La police kényane a arrêté trois journalistes à Nairobi.", published=PUB, lang="fr")
    assert [x for x in e if x.root == "17" and 0.5 <= x.confidence <= 1.0]


def test_weak_labels_choose_the_trigger_of_the_gold_root() -> None:
    from kronika.nlp import parse
    from kronika.training import build_samples, fit

    recs = [
        {"id": "a", "date": PUB, "lang": "fr", "text": "La police a arrêté trois opposants à Lomé, a indiqué un témoin.",
         "events": [{"code": "173", "evidence": ["La police a arrêté trois opposants à Lomé"]}]},
        {"id": "b", "date": PUB, "lang": "fr", "text": "Le match a été remporté par Lomé.", "events": []},
    ]
    docs = [parse(r["text"]) for r in recs]
    samples = build_samples(recs, docs)
    labels = {s.lemma: s.label for s in samples if s.article == "a"}
    assert labels["arrêter"] == "17"
    assert labels.get("indiquer") == NONE and labels.get("police") == NONE
    assert all(s.label == NONE for s in samples if s.article == "b")
    model = fit(samples * 3, c=1.0)
    assert set(model.classes) == {NONE, "17"}


def test_eval_reports_precision_and_recall_at_thresholds() -> None:
    text = "La police a arrêté trois opposants. Le Togo a expulsé un diplomate."
    gold = [{"id": "a", "text": text, "events": [
        {"code": "173", "source": {"country": "TGO"}, "target": {"country": "TGO"}, "evidence": ["La police a arrêté trois opposants"]}]}]
    sys_evs = {"a": [
        {"cameo": "173", "source": {"country": "TGO"}, "target": {"country": "TGO"}, "start": 0, "end": 33, "confidence": 0.9},
        {"cameo": "161", "source": {"country": "TGO"}, "target": None, "start": 35, "end": 66, "confidence": 0.6},
    ]}
    rep = score_with_thresholds(gold, sys_evs, 0.5)
    assert rep.all.correct == 1 and rep.all.tuples == 2
    at = {t: a for t, (a, _) in rep.by_confidence.items()}
    assert at[0.7].tuples == 1 and at[0.7].precision == 1.0 and at[0.9].recall == 1.0
    assert at[0.0].precision == 0.5


def test_lexicon_similarity_carries_the_lexicon_to_a_synonym_it_lacks() -> None:
    """The dense features: per root, the nearest lexicon lemma by the French model's vectors;
    "encenser" (to praise lavishly) has no entry, its nearest root is 05 (praise)."""
    from kronika.extraction.classifier import SIM_ROOTS, lexicon_similarity
    from kronika.nlp import load_pipeline
    from kronika.pipeline import _coder

    coder = _coder("fr")
    doc = load_pipeline("fr")("Les députés ont encensé le chef de l'État.")
    tok = next(t for t in doc if t.lemma_ == "encenser")
    assert not coder.lex.entries_for(tok.lemma_)
    sims = lexicon_similarity(coder, tok)
    assert sims.shape == (len(SIM_ROOTS),) and 0.0 <= sims.min() and sims.max() <= 1.0
    assert SIM_ROOTS[int(sims.argmax())] == "05"
