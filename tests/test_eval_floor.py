"""Quality floors on the French dev set (issue 3 §2): a regression shows up in CI.

The floors sit a little under the figures measured when they were last raised (see the
README's quality table); raise them as quality improves.
"""

from __future__ import annotations

import pytest

from kronika.evaluate import evaluate_file

from .conftest import FR_DEV, need

FLOORS = {
    # actors without a country cue no longer take the main country silently (issue 10 §4):
    # fr-dev fell from 0.696 / 0.829 / 0.707 while fr-train rose (docs/actors.md)
    "all_f1": 0.63,  # measured 0.660 (one-to-one matching)
    "main_precision": 0.75,  # measured 0.783
    "main_recall": 0.62,  # measured 0.653
    "source_country": 0.94,  # measured 0.968 (loose pairs)
    "target_country": 0.87,  # measured 0.899 (loose pairs)
    "source_sector": 0.84,  # measured 0.864
    "location_country": 0.90,  # measured 0.933
    "date": 0.88,  # measured 0.914
}


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
