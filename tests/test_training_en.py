"""The English side of the trigger model: the sentence sets as training articles (real English
parser), the held-out split, and the shipped model measured on the held-out part."""

from __future__ import annotations

import json

import pytest

from kronika.training_en import choose_roots, held_out, sentence_records

from .conftest import SHARED, need

EVAL = SHARED / "eval"


def _write(tmp_path, name, recs):
    p = tmp_path / name
    p.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    return p


def test_plover_records_take_the_type_roots_and_the_event_words(tmp_path):
    p = _write(tmp_path, "p.jsonl", [
        {"id": "a", "text": "Iran and Iraq agreed to reopen the border.", "event_type": "AGREE",
         "source": [{"code": "IRN"}], "target": [], "event_text": "agreed reopen"},
        {"id": "b", "text": "Troops shelled the town.", "event_type": "FIGHT", "source": [], "target": [],
         "event_text": ""}])
    a, b = sentence_records(p)
    assert a["events"][0]["roots"] == {"03": a["events"][0]["roots"]["03"]}  # AGREE is root 03 only
    assert a["events"][0]["evidence"] == ["agreed", "reopen"] and a["train"]
    assert set(b["events"][0]["roots"]) == {"19", "20"} and b["events"][0]["evidence"] == [b["text"]]


def test_case_records_negatives_and_left_out_types(tmp_path):
    p = _write(tmp_path, "c.jsonl", [
        {"id": "1", "text": "Police arrested five men.", "event_type": "ARREST"},
        {"id": "2", "text": "Floods hit the valley.", "event_type": "NATURAL_DISASTER"},
        {"id": "3", "text": "A gang robbed a bank.", "event_type": "ORG_CRIME"}])
    arrest, flood, crime = sentence_records(p)
    assert set(arrest["events"][0]["roots"]) == {"17"} and arrest["train"]
    assert flood["events"] == [] and flood["train"]  # negatives only
    assert crime["train"] is False  # no CAMEO code reaches the type: scored, not learned from


def test_petrarch_story_is_the_document(tmp_path):
    p = _write(tmp_path, "x.jsonl", [{"id": "AFP1_2", "text": "Russia shelled Georgia.", "date": "20080810",
                                      "events": [{"eventcode": "194", "source_code": "RUS", "target_code": "GEO"}]}])
    (r,) = sentence_records(p)
    assert r["story"] == "AFP1" and r["date"] == "2008-08-10" and set(r["events"][0]["roots"]) == {"19"}
    assert held_out("AFP1") == held_out(r["story"])


def test_the_lexicon_chooses_among_the_roots_of_a_type(tmp_path):
    from kronika.nlp import load_pipeline
    from kronika.pipeline import _coder

    recs = sentence_records(_write(tmp_path, "p.jsonl", [{"id": "a", "text": "Troops shelled the town.",
                                                          "event_type": "FIGHT", "source": [], "target": []}]))
    recs += sentence_records(_write(tmp_path, "c.jsonl", [{"id": "b", "text": "Leaders met in Paris.",
                                                           "event_type": "DIPLO"},
                                                          {"id": "c", "text": "The weather was fine.",
                                                           "event_type": "DIPLO"}]))
    docs = list(load_pipeline("en").pipe([r["text"] for r in recs]))
    fight, met, weather = choose_roots(recs, docs, _coder("en"))
    assert [e["code"] for e in fight["events"]] == ["19"]  # "shelled" (194) among 19 / 20
    assert [e["code"] for e in met["events"]] == ["04"]  # "met" among the roots of DIPLO
    assert weather["train"] is False and weather["events"] == []  # DIPLO without a lexicon hit: undecided


def test_shipped_english_model_was_trained_on_the_development_part():
    from kronika.extraction.classifier import TriggerModel, model_stem

    m = TriggerModel.load(model_stem("en"))
    assert m.lang == "en" and "development part" in m.meta["split"]
    assert "none" in m.classes and len(m.classes) > 10


@pytest.mark.slow
def test_model_does_not_hurt_the_held_out_part(tmp_path):
    """The held-out third of PLOVER (scripts/en_split.py rule), never trained on: the default
    trigger stage (lexicon and model) is at least the lexicon alone."""
    from kronika.evaluate_plover import evaluate_plover_file
    from kronika.extraction.classifier import configured

    src = need(EVAL / "plover_gsr_en.jsonl")
    rows = [ln for ln in src.read_text(encoding="utf-8").splitlines()
            if ln.strip() and held_out(str(json.loads(ln)["id"]))]
    part = tmp_path / "plover.heldout.jsonl"
    part.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with configured(mode="lexicon"):
        lex = evaluate_plover_file(part).macro_f1
    both = evaluate_plover_file(part).macro_f1
    assert both >= lex - 0.005, (lex, both)
