"""The reference article yields its three main events, fully coded (issue 2 §7)."""

from __future__ import annotations

import json

from kronika.model import Event


def find(events: list[Event], root: str, src: str, tgt: str) -> Event:
    for e in events:
        if e.root == root and e.source and e.source.country == src and e.target and e.target.country == tgt:
            return e
    raise AssertionError(f"no {root} {src}->{tgt} among " +
                         ", ".join(f"{e.cameo} {e.source and e.source.country}->{e.target and e.target.country}"
                                   for e in events))


def test_release_of_123_prisoners(seed_events):
    e = find(seed_events, "08", "BLR", "BLR")
    assert e.cameo == "0841"
    assert e.source.sector == "GOV"
    assert e.source.text == "La Biélorussie"
    assert e.date == "2025-12-13" and e.date_precision == "day"
    assert e.quantity == 123
    assert e.modality == "asserted"
    assert e.quad_class == 2 and e.goldstein == 7.0 and e.plover_type == "RETREAT"
    assert e.location is not None and e.location.country == "BLR"
    assert "La Biélorussie a libéré samedi 123 prisonniers" in e.sentence
    assert e.trigger == "libéré"


def test_release_is_one_event_with_two_mentions(seed_events):
    releases = [e for e in seed_events if e.cameo == "0841"]
    assert len(releases) == 1
    texts = [m.sentence for m in releases[0].mentions]
    assert any("la libération massive de détenus politiques" in t for t in texts)


def test_lifting_of_potash_sanctions(seed_events):
    lifts = [e for e in seed_events if e.root in ("08", "03") and e.cameo[:3] in ("085", "035")
             and e.source and e.source.country == "USA"]
    assert lifts, "no lifting of sanctions"
    e = lifts[0]
    assert e.source.sector == "GOV"
    assert e.target is not None and e.target.country == "BLR" and e.target.sector == "BUS"
    assert e.date == "2025-12-13"
    assert "levée des sanctions" in e.sentence


def test_coale_visit_to_minsk(seed_events):
    e = find(seed_events, "04", "USA", "BLR")
    assert e.cameo == "042"
    assert e.source.sector == "GOV" and e.target.sector == "GOV"
    assert "Coale" in e.source.text
    assert e.date == "2025-12-13"
    assert e.location is not None and e.location.place == "Minsk" and e.location.country == "BLR"
    assert e.location.precision == "city" and e.location.geonameid


def test_background_is_not_dated_today(seed_events):
    """The 2020 protests and the 2022 invasion keep their own years."""
    protests = [e for e in seed_events if e.root == "14"]
    assert protests and protests[0].date == "2020"
    invasion = [e for e in seed_events if e.root == "19"]
    assert invasion and invasion[0].date == "2022" and invasion[0].source.country == "RUS"


def test_offsets_point_into_the_body(seed_events, seed_path):
    body = seed_path.read_text(encoding="utf-8")[len(" date 2025-12-13 "):]
    for e in seed_events:
        assert body[e.start:e.end] == e.sentence
        assert body[e.trigger_start:e.trigger_end] == e.trigger
        for m in e.mentions:
            assert body[m.start:m.end] == m.sentence


def test_record_shape(seed_events):
    d = json.loads(json.dumps(seed_events[0].to_dict()))
    for key in ("article_id", "published", "lang", "cameo", "root", "quad_class", "goldstein", "plover_type",
                "source", "target", "date", "modality", "quantity", "location", "sentence", "start", "end",
                "trigger"):
        assert key in d
    assert set(d["source"]) >= {"text", "name", "country", "sector"}
    assert set(d["location"]) >= {"place", "country"}
