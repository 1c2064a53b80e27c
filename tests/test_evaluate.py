"""Unit tests of the event scorer (kronika/evaluate.py, GUIDELINES §5) — no NLP.

The gold article and the system records below are written by hand for these tests (an
invented situation); every expected number is worked out in the comments.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kronika.evaluate import evaluate_file, matches, score

TEXT = (
    "La Biélorussie a libéré samedi 123 prisonniers politiques. "  # s0
    "Washington a salué ce geste. "  # s1
    "En 2020, la police a réprimé les manifestations à Minsk. "  # s2
    "Le porte-parole a déclaré que la situation était calme. "  # s3
    "Moscou a critiqué l'opposition."  # s4
)
S0 = "La Biélorussie a libéré samedi 123 prisonniers politiques."
S1 = "Washington a salué ce geste."
S2 = "En 2020, la police a réprimé les manifestations à Minsk."
S3 = "Le porte-parole a déclaré que la situation était calme."
S4 = "Moscou a critiqué l'opposition."


def span(sentence: str) -> tuple[int, int]:
    i = TEXT.index(sentence)
    return i, i + len(sentence)


def actor(country: str | None, sector: str | None = None) -> dict | None:
    if country is None:
        return None
    return {"text": country, "name": country, "country": country, "sector": sector}


def gold_article(*events: dict, aid: str = "a1") -> dict:
    return {"id": aid, "date": "2025-12-13", "lang": "fr", "text": TEXT, "events": list(events)}


G_RELEASE = {"code": "0841", "alt_codes": ["0353"], "source": actor("BLR", "GOV"), "target": actor("BLR", "OPP"),
             "date": "2025-12-13", "modality": "asserted", "quantity": 123,
             "location": {"country": "BLR", "place": None}, "focus": "main",
             "evidence": ["La Biélorussie a libéré samedi 123 prisonniers"]}
G_PRAISE = {"code": "051", "source": actor("USA", "GOV"), "target": actor("BLR", "GOV"), "date": "2025-12",
            "modality": "asserted", "quantity": None, "location": None, "focus": "main",
            "evidence": ["Washington a salué ce geste"]}
G_REPRESS = {"code": "175", "source": actor("BLR", "COP"), "target": None, "date": "2020",
             "modality": "asserted", "quantity": None, "location": {"country": "BLR", "place": "Minsk"},
             "focus": "background", "evidence": ["la police a réprimé les manifestations à Minsk"]}
G_STATEMENT = {"code": "010", "source": actor("BLR", "GOV"), "target": None, "date": "2025-12-13",
               "modality": "asserted", "focus": "main", "evidence": [S3]}


def sysev(cameo: str, src: str | None, tgt: str | None, sentence: str, *, src_sector: str | None = None,
          tgt_sector: str | None = None, date: str | None = None, modality: str = "asserted",
          quantity: int | None = None, loc: str | None = None, mentions: tuple[str, ...] = (),
          trigger: str = "t") -> dict:
    start, end = span(sentence)
    return {
        "cameo": cameo, "root": cameo[:2], "source": actor(src, src_sector), "target": actor(tgt, tgt_sector),
        "date": date, "modality": modality, "quantity": quantity,
        "location": {"place": None, "country": loc} if loc else None,
        "sentence": sentence, "start": start, "end": end, "trigger": trigger,
        "mentions": [{"sentence": m, "start": span(m)[0], "end": span(m)[1], "trigger": trigger,
                      "trigger_start": span(m)[0], "trigger_end": span(m)[0] + 1} for m in mentions],
    }


PERFECT = [
    sysev("0841", "BLR", "BLR", S0, src_sector="GOV", tgt_sector="OPP", date="2025-12-13", quantity=123, loc="BLR"),
    sysev("051", "USA", "BLR", S1, src_sector="GOV", tgt_sector="GOV", date="2025-12-13"),
    sysev("175", "BLR", None, S2, src_sector="COP", date="2020", loc="BLR"),
    sysev("010", "BLR", None, S3, src_sector="GOV", date="2025-12-13"),  # root 01: ignored
]


def test_perfect_system_scores_one_and_root_01_is_ignored_on_both_sides():
    rep = score([gold_article(G_RELEASE, G_PRAISE, G_REPRESS, G_STATEMENT)], {"a1": PERFECT})
    d = rep.to_dict()
    assert d["articles"] == 1
    # 3 gold events (the 010 statement is dropped), 3 system tuples (the 010 event is dropped)
    assert d["all"] == {"gold": 3, "found": 3, "tuples": 3, "correct": 3,
                        "precision": 1.0, "recall": 1.0, "f1": 1.0}
    # main: the release and the praise; the repression tuple sits in a background sentence
    assert d["main"] == {"gold": 2, "found": 2, "tuples": 2, "correct": 2,
                         "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert "01" not in d["by_root"]
    assert set(d["by_root"]) == {"08", "05", "17"}
    assert rep.misses == [] and rep.false_positives == []
    acc = {k: (v["right"], v["total"]) for k, v in d["attributes"].items()}
    assert acc == {
        "code": (3, 3), "code_exact": (3, 3), "source_sector": (3, 3), "target_sector": (2, 2),
        "date": (3, 3), "modality": (3, 3), "quantity": (1, 1), "location_country": (2, 2),
        "source_country": (3, 3), "target_country": (2, 2),
    }


def test_root_matches_through_alt_codes_and_code_accuracy_counts_alt_codes():
    g = gold_article(G_RELEASE)
    # 0353 is an alt code: root 03 matches, full code right, not exact
    rep = score([g], {"a1": [sysev("0353", "BLR", "BLR", S0)]})
    assert (rep.all.found, rep.all.correct) == (1, 1)
    assert (rep.attributes["code"].right, rep.attributes["code"].total) == (1, 1)
    assert (rep.attributes["code_exact"].right, rep.attributes["code_exact"].total) == (0, 1)
    # 036 has root 03 (the root of an alt code): it matches, but the full code is wrong
    rep = score([g], {"a1": [sysev("036", "BLR", "BLR", S0)]})
    assert rep.all.found == 1 and rep.attributes["code"].right == 0
    # 0842 has the gold root 08: matches, wrong full code
    rep = score([g], {"a1": [sysev("0842", "BLR", "BLR", S0)]})
    assert rep.all.found == 1 and rep.attributes["code"].value == 0.0
    # root 04 is neither: no match at all, not even a loose pair
    rep = score([g], {"a1": [sysev("042", "BLR", "BLR", S0)]})
    assert rep.all.found == 0 and rep.all.correct == 0 and rep.all.tuples == 1
    assert "source_country" not in rep.attributes


def test_best_pair_prefers_a_system_event_with_a_right_full_code():
    g = gold_article(G_RELEASE)
    rep = score([g], {"a1": [sysev("0842", "BLR", "BLR", S0), sysev("0841", "BLR", "BLR", S0)]})
    assert rep.attributes["code"].right == 1 and rep.attributes["code_exact"].right == 1
    # both events are one (08, BLR, BLR) tuple
    assert (rep.all.tuples, rep.all.correct) == (1, 1)


def test_source_country_is_required_and_measured_on_loose_pairs():
    rep = score([gold_article(G_RELEASE)], {"a1": [sysev("0841", "RUS", "BLR", S0)]})
    assert (rep.all.gold, rep.all.found, rep.all.tuples, rep.all.correct) == (1, 0, 1, 0)
    assert rep.all.f1 == 0.0
    assert (rep.attributes["source_country"].right, rep.attributes["source_country"].total) == (0, 1)
    assert (rep.attributes["target_country"].right, rep.attributes["target_country"].total) == (1, 1)
    # attributes of matched pairs are not counted for a miss
    assert "code" not in rep.attributes and "date" not in rep.attributes


def test_target_country_required_only_when_gold_has_one():
    # gold praise has target BLR: a system event without target misses it
    rep = score([gold_article(G_PRAISE)], {"a1": [sysev("051", "USA", None, S1)]})
    assert rep.all.found == 0
    assert (rep.attributes["target_country"].right, rep.attributes["target_country"].total) == (0, 1)
    # gold repression has no target: any system target is accepted
    rep = score([gold_article(G_REPRESS)], {"a1": [sysev("175", "BLR", "UKR", S2)]})
    assert (rep.all.found, rep.all.correct) == (1, 1)
    assert "target_country" not in rep.attributes and "target_sector" not in rep.attributes


def test_evidence_must_overlap_and_mentions_count():
    g = gold_article(G_REPRESS)
    # same root and countries, but stated in another sentence: no match
    rep = score([g], {"a1": [sysev("175", "BLR", None, S4)]})
    assert (rep.all.found, rep.all.correct) == (0, 0)
    assert "source_country" not in rep.attributes  # not even a loose pair
    # the same event with a second mention in the gold sentence: match
    rep = score([g], {"a1": [sysev("175", "BLR", None, S4, mentions=(S4, S2))]})
    assert (rep.all.found, rep.all.correct) == (1, 1)
    # matches() itself, with a strict and a loose reading
    ev = sysev("175", "RUS", None, S2)
    gspans = [span(S2)]
    assert not matches(ev, G_REPRESS, gspans)
    assert matches(ev, G_REPRESS, gspans, strict=False)


def test_precision_is_over_distinct_article_root_source_target_tuples():
    g1 = gold_article(G_RELEASE, G_PRAISE, aid="a1")
    g2 = gold_article(G_RELEASE, aid="a2")
    system = {
        "a1": [
            sysev("0841", "BLR", "BLR", S0),  # tuple (08, BLR, BLR): right
            sysev("0842", "BLR", "BLR", S4),  # same tuple, other sentence: no new tuple
            sysev("0841", "BLR", "BLR", S2),
            sysev("111", "RUS", "BLR", S4),  # (11, RUS, BLR): wrong
            sysev("112", "RUS", "BLR", S4),  # same tuple
            sysev("051", "USA", "BLR", S4),  # (05, USA, BLR): wrong sentence, so wrong
            sysev("010", "BLR", None, S3),  # root 01: not counted
        ],
        # the same tuple in another article is another tuple
        "a2": [sysev("0841", "BLR", "BLR", S0), sysev("0841", "BLR", "BLR", S0)],
    }
    rep = score([g1, g2], system)
    assert rep.n_articles == 2
    # tuples: a1 → 3 (08 right, 11 wrong, 05 wrong); a2 → 1 (right)
    assert (rep.all.tuples, rep.all.correct) == (4, 2)
    assert rep.all.precision == pytest.approx(0.5)
    # recall: a1 release found, a1 praise missed, a2 release found
    assert (rep.all.gold, rep.all.found) == (3, 2)
    assert rep.all.recall == pytest.approx(2 / 3)
    assert rep.all.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert rep.to_dict()["all"]["f1"] == round(4 / 7, 4)
    by_root = {k: (c.gold, c.found, c.tuples, c.correct) for k, c in rep.by_root.items()}
    assert by_root == {"08": (2, 2, 2, 2), "05": (1, 0, 1, 0), "11": (0, 0, 1, 0)}


def test_focus_main_figures():
    g = gold_article(G_RELEASE, G_PRAISE, G_REPRESS)
    system = {"a1": [
        sysev("0841", "BLR", "BLR", S0),  # main, right
        sysev("175", "BLR", None, S2),  # background, right: not in main precision
        sysev("111", "RUS", "BLR", S1),  # in a main sentence, wrong: main false positive
        sysev("190", "RUS", "UKR", S4),  # outside any main evidence, wrong
    ]}
    rep = score([g], system)
    assert (rep.all.gold, rep.all.found, rep.all.tuples, rep.all.correct) == (3, 2, 4, 2)
    assert (rep.main.gold, rep.main.found, rep.main.tuples, rep.main.correct) == (2, 1, 2, 1)
    assert rep.main.precision == 0.5 and rep.main.recall == 0.5 and rep.main.f1 == 0.5
    text = rep.to_text(focus="main")
    assert "main" in text and "\nall " not in text
    row = next(line for line in text.splitlines() if line.startswith("main"))
    assert row.split() == ["main", "2", "1", "2", "1", "0.500", "0.500", "0.500"]


def test_attribute_accuracies_on_matched_pairs():
    g = gold_article(G_RELEASE, G_PRAISE, G_REPRESS)
    system = {"a1": [
        # release: sectors GOV/CVL (target wrong), date right, modality wrong, quantity wrong, location right
        sysev("0841", "BLR", "BLR", S0, src_sector="GOV", tgt_sector="CVL", date="2025-12-13",
              modality="planned", quantity=12, loc="BLR"),
        # praise: gold date "2025-06"-style month precision: "2025-12-13" is right at month precision
        sysev("051", "USA", "BLR", S1, src_sector="GOV", tgt_sector="GOV", date="2025-12-13"),
        # repression: gold year 2020, system 2021: wrong; location RUS: wrong; no date-less pass
        sysev("175", "BLR", None, S2, src_sector="MIL", date="2021-05", loc="RUS"),
    ]}
    acc = {k: (v.right, v.total) for k, v in score([g], system).attributes.items()}
    assert acc["code"] == (3, 3)
    assert acc["source_sector"] == (2, 3)  # MIL for COP
    assert acc["target_sector"] == (1, 2)  # only gold events with a target sector count
    assert acc["date"] == (2, 3)
    assert acc["modality"] == (2, 3)
    assert acc["quantity"] == (0, 1)  # only gold events with a quantity
    assert acc["location_country"] == (1, 2)  # only gold events with a location country


@pytest.mark.parametrize("gold_date, sys_date, ok", [
    ("2025-06", "2025-06-27", True),
    ("2025-06", "2025-07-01", False),
    ("2025", "2025-06-27", True),
    ("2025-06-27", "2025-06", False),  # less precise than gold: wrong
    ("2025-06-27", None, False),
])
def test_date_is_compared_at_the_gold_precision(gold_date, sys_date, ok):
    g = dict(G_PRAISE, date=gold_date)
    rep = score([gold_article(g)], {"a1": [sysev("051", "USA", "BLR", S1, date=sys_date)]})
    assert (rep.attributes["date"].right, rep.attributes["date"].total) == (int(ok), 1)


def test_no_date_in_gold_means_no_date_accuracy():
    g = dict(G_PRAISE, date=None)
    rep = score([gold_article(g)], {"a1": [sysev("051", "USA", "BLR", S1, date="2025-12-13")]})
    assert "date" not in rep.attributes


def test_misses_and_false_positives_are_listed_with_their_sentences():
    g = gold_article(G_RELEASE, G_PRAISE)
    system = {"a1": [
        sysev("0841", "BLR", "BLR", S0, trigger="libéré"),
        sysev("051", "USA", None, S1, trigger="salué"),  # loose pair of the praise, wrong target
        sysev("111", "RUS", "BLR", S4, trigger="critiqué"),
    ]}
    rep = score([g], system)
    assert rep.misses == [{
        "article_id": "a1", "code": "051", "focus": "main", "source": "USA", "target": "BLR",
        "evidence": "Washington a salué ce geste", "system": ["051 USA/None→None/None «salué»"],
    }]
    assert rep.false_positives == [
        {"article_id": "a1", "cameo": "051", "source": "USA", "target": None, "trigger": "salué", "sentence": S1},
        {"article_id": "a1", "cameo": "111", "source": "RUS", "target": "BLR", "trigger": "critiqué",
         "sentence": S4},
    ]
    text = rep.to_text(show_errors=True)
    assert "misses (1):" in text and "false positives (2):" in text
    assert f"«critiqué»: {S4}" in text
    assert "system there: 051 USA/None→None/None «salué»" in text
    assert "misses" not in rep.to_text()


def test_articles_without_system_output_and_unknown_articles():
    rep = score([gold_article(G_RELEASE)], {"other": [sysev("0841", "BLR", "BLR", S0)]})
    # events of an article that is not in the gold are not scored
    assert (rep.all.gold, rep.all.found, rep.all.tuples) == (1, 0, 0)
    assert rep.all.precision == 0.0 and rep.all.f1 == 0.0
    assert len(rep.misses) == 1 and rep.misses[0]["system"] == []


def test_evaluate_file_with_a_given_extractor(tmp_path: Path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(gold_article(G_RELEASE, G_PRAISE), ensure_ascii=False) + "\n\n", encoding="utf-8")
    seen = []

    def extractor(article):
        seen.append((article.id, article.published, article.lang, article.text == TEXT))
        return [sysev("0841", "BLR", "BLR", S0), sysev("111", "RUS", "BLR", S4)]

    rep = evaluate_file(gold, extractor=extractor)
    assert seen == [("a1", "2025-12-13", "fr", True)]
    assert rep.to_dict()["all"] == {"gold": 2, "found": 1, "tuples": 2, "correct": 1,
                                    "precision": 0.5, "recall": 0.5, "f1": 0.5}
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1: not JSON"):
        evaluate_file(bad, extractor=extractor)


def test_matching_is_one_to_one_two_system_events_find_one_gold_once():
    text = "La Biélorussie a libéré samedi 123 prisonniers. Minsk a libéré les détenus."
    gold = [{"id": "a", "text": text, "events": [
        {"code": "0841", "source": {"country": "BLR"}, "target": {"country": "BLR"}, "focus": "main",
         "evidence": ["La Biélorussie a libéré samedi 123 prisonniers"]}]}]
    first = {"cameo": "0841", "source": {"country": "BLR"}, "target": {"country": "BLR"}, "start": 0, "end": 47}
    second = dict(first, cameo="084")  # the same action coded twice, one tuple
    rep = score(gold, {"a": [first, second]})
    assert rep.all.found == 1 and rep.all.tuples == 1 and rep.all.correct == 1


def test_one_system_event_with_mentions_in_two_sentences_finds_only_one_gold():
    text = "Minsk a libéré Ales Bialiatski. Minsk a aussi libéré Maria Kolesnikova."
    gold = [{"id": "a", "text": text, "events": [
        {"code": "0841", "source": {"country": "BLR"}, "target": {"country": "BLR"}, "focus": "main",
         "evidence": ["Minsk a libéré Ales Bialiatski"]},
        {"code": "0841", "source": {"country": "BLR"}, "target": {"country": "BLR"}, "focus": "main",
         "evidence": ["Minsk a aussi libéré Maria Kolesnikova"]}]}]
    ev = {"cameo": "0841", "source": {"country": "BLR"}, "target": {"country": "BLR"}, "start": 0, "end": 31,
          "mentions": [{"start": 32, "end": 71}]}
    rep = score(gold, {"a": [ev]})
    assert rep.all.found == 1 and rep.all.gold == 2
    # a second system event for the second sentence lets both be found (the matching is maximal)
    ev2 = dict(ev, start=32, end=71, mentions=[])
    rep = score(gold, {"a": [ev, ev2]})
    assert rep.all.found == 2


def test_one_to_one_maximum_matching_reassigns():
    from kronika.evaluate import one_to_one

    # system 0 fits gold 0 and 1, system 1 fits gold 0 only: both golds are found
    edges = {(0, 0), (0, 1), (1, 0)}
    got = one_to_one(2, 2, lambda s, g: (s, g) in edges)
    assert sorted(got.items()) == [(0, 1), (1, 0)]
