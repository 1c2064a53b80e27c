"""Quality floors on the French dev set (issue 3 §2): a regression shows up in CI.

The floors sit a little under the figures measured when they were last raised (see the
README's quality table); raise them as quality improves.
"""

from __future__ import annotations

import pytest

from kronika.evaluate import evaluate_file

from .conftest import FR_DEV, need

FLOORS = {
    # the actor rules of issue 10 (README "Quality"): measured with
    # `kronika eval ../shared/eval/fr-dev.jsonl` (default: lexicon and model, min confidence 0.5)
    "all_f1": 0.68,  # measured 0.696 (one-to-one matching)
    "main_precision": 0.78,  # measured 0.797
    "main_recall": 0.69,  # measured 0.707
    "source_country": 0.93,  # measured 0.949 (loose pairs)
    "target_country": 0.90,  # measured 0.917 (loose pairs)
    "source_sector": 0.86,  # measured 0.870
    "location_country": 0.92,  # measured 0.942
    "date": 0.90,  # measured 0.904
}
# fr-train with the lexicon alone (the shipped model saw fr-train, so only the lexicon's figure
# is out of sample there; the model's is the cross-validation of `kronika train`)
TRAIN_FLOORS = {"all_f1": 0.40, "main_f1": 0.43}  # measured 0.414 / 0.442 (issue-10 actor rules, 98a1143)


@pytest.fixture(scope="module")
def report():
    return evaluate_file(need(FR_DEV))


def test_event_f1_floor(report):
    assert report.all.f1 >= FLOORS["all_f1"], report.to_text()


def test_main_events_floor(report):
    assert report.main.precision >= FLOORS["main_precision"], report.to_text()
    assert report.main.recall >= FLOORS["main_recall"], report.to_text()


def test_attribute_floors(report):
    a = report.attributes
    assert a["source_country"].value >= FLOORS["source_country"], report.to_text()
    assert a["target_country"].value >= FLOORS["target_country"], report.to_text()
    assert a["source_sector"].value >= FLOORS["source_sector"], report.to_text()
    assert a["location_country"].value >= FLOORS["location_country"], report.to_text()
    assert a["date"].value >= FLOORS["date"], report.to_text()


def test_reference_article_main_events_all_found(report):
    """The three main events of the reference article are always matched."""
    seed_misses = [m for m in report.misses if m["article_id"] == "seed-000" and m["focus"] == "main"]
    assert seed_misses == []


@pytest.mark.slow
def test_fr_train_lexicon_floor():
    from kronika.extraction.classifier import configured

    from .conftest import FR_TRAIN

    with configured(mode="lexicon"):
        rep = evaluate_file(need(FR_TRAIN))
    assert rep.all.f1 >= TRAIN_FLOORS["all_f1"], rep.to_text()
    assert rep.main.f1 >= TRAIN_FLOORS["main_f1"], rep.to_text()
