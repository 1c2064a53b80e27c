"""English: no statistical parser is pinned, so kronika reads English by word order with
the English lexicon (kronika/lang/en/). These tests pin what that fallback gets right."""

from __future__ import annotations

import pytest

import kronika
from kronika.evaluate import evaluate_sentences_file

from .conftest import SHARED, need


def one(text: str, root: str, published: str = "2025-12-13"):
    evs = [e for e in kronika.extract(text, published=published, lang="en") if e.root == root]
    assert evs, f"no root {root} event in {text!r}"
    return evs[0]


def test_release_with_quantity_and_date():
    e = one("Belarus freed 123 political prisoners on Saturday.", "08")
    assert e.cameo == "0841" and e.source.country == "BLR" and e.source.sector == "GOV"
    assert e.quantity == 123 and e.date == "2025-12-13"


def test_visit_resolves_weekday_against_publication():
    e = one("The US envoy John Coale visited Minsk on Friday.", "04")
    assert e.cameo == "042" and e.source.country == "USA" and e.target.country == "BLR"
    assert e.date == "2025-12-12"


def test_arrest_with_place():
    e = one("Police arrested 12 protesters in Nairobi on Tuesday.", "17")
    assert e.source.country == "KEN" and e.source.sector == "COP"
    assert e.quantity == 12 and e.location is not None and e.location.place == "Nairobi"


def test_passive_with_agent():
    e = one("Opposition leader Ousmane Sonko was sentenced to two years in prison by a court in Dakar.", "17",
            published="2023-06-01")
    assert e.source.sector == "JUD" and e.source.country == "SEN"
    assert e.target is not None and e.target.country == "SEN"
    assert e.quantity is None  # "two years" is not a number of people


def test_reciprocal_signature():
    e = one("Israel and Hamas signed a ceasefire agreement.", "05")
    assert (e.source.country, e.target.country) == ("ISR", "PSE")


def test_offsets_inside_text():
    text = "Russia and Ukraine exchanged 300 prisoners. The army shelled the city on Monday."
    for e in kronika.extract(text, published="2025-05-20", lang="en"):
        assert text[e.start:e.end] == e.sentence and text[e.trigger_start:e.trigger_end] == e.trigger


@pytest.mark.slow
def test_petrarch_validation_floor():
    """Measured, not tuned: the word-order fallback on PETRARCH-2 validation sentences."""
    rep = evaluate_sentences_file(need(SHARED / "eval" / "petr2_gsr_validation_en.jsonl"))
    assert rep.all.f1 >= 0.10, rep.to_text()
