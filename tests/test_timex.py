"""Tests of kronika.timex: each rule family, English, offsets, fuzzing and a TimeBank floor."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kronika.evaluate_timex import score_timex
from kronika.timex import Timex, find_timexes, timex_table

SAT = date(2025, 12, 13)  # a Saturday
WED = date(2025, 12, 10)  # a Wednesday
MON = date(2024, 3, 4)  # a Monday
SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"


def one(text: str, pub: date, lang: str = "fr") -> Timex:
    tx = find_timexes(text, pub, lang)
    assert len(tx) == 1, tx
    return tx[0]


def val(text: str, pub: date, lang: str = "fr") -> str | None:
    return one(text, pub, lang).value


# ----------------------------------------------------------------- weekdays
@pytest.mark.parametrize(
    "text,pub,expected",
    [
        ("Les manifestants ont défilé samedi à Minsk.", SAT, "2025-12-13"),
        ("Les manifestants ont défilé samedi à Minsk.", WED, "2025-12-06"),
        ("Il a parlé mardi.", WED, "2025-12-09"),
        ("Il a parlé mercredi.", WED, "2025-12-10"),
        ("Il a parlé dimanche.", MON, "2024-03-03"),
        ("Mardi dernier, la police a arrêté dix personnes.", SAT, "2025-12-09"),
        ("Mardi dernier, la police a arrêté dix personnes.", date(2025, 12, 9), "2025-12-02"),
        ("Il viendra lundi prochain.", SAT, "2025-12-15"),
        ("Il viendra lundi prochain.", MON, "2024-03-11"),
        ("Ce jeudi, le sommet s'est ouvert.", WED, "2025-12-11"),
    ],
)
def test_weekdays(text: str, pub: date, expected: str) -> None:
    t = one(text, pub)
    assert t.value == expected
    assert t.relative and t.precision == "day" and t.type == "DATE"


def test_weekday_with_part_of_day() -> None:
    t = one("Vendredi soir, des heurts ont éclaté.", SAT)
    assert t.value == "2025-12-12TEV" and t.type == "TIME"
    assert t.event_date() == "2025-12-12"
    assert val("Lundi matin il est parti.", WED) == "2025-12-08TMO"


def test_weekday_future_cue() -> None:
    assert val("Le comité se réunira dimanche à Paris.", WED) == "2025-12-14"


# ----------------------------------------------------------------- day words
@pytest.mark.parametrize(
    "word,expected",
    [("hier", "2025-12-09"), ("avant-hier", "2025-12-08"), ("aujourd'hui", "2025-12-10"),
     ("aujourd’hui", "2025-12-10"), ("demain", "2025-12-11")],
)
def test_day_words(word: str, expected: str) -> None:
    t = one(f"Le ministre a déclaré {word} que rien ne changerait.", WED)
    assert t.value == expected and t.text == word


def test_hier_soir_and_lendemain() -> None:
    assert val("Hier soir, la foule s'est dispersée.", SAT) == "2025-12-12TEV"
    tx = find_timexes("Le 3 mars, il est arrêté. Le lendemain, il est libéré.", SAT)
    assert [t.value for t in tx] == ["2025-03-03", "2025-03-04"]


# ----------------------------------------------------------------- explicit dates
@pytest.mark.parametrize(
    "text,pub,expected,relative",
    [
        ("ce jeudi 26 juin", date(2025, 6, 27), "2025-06-26", True),
        ("le 13 décembre", SAT, "2025-12-13", True),
        ("le 20 décembre", date(2026, 1, 5), "2025-12-20", True),
        ("le 20 mars", date(2025, 12, 13), "2025-03-20", True),
        ("le 3 mars dernier", SAT, "2025-03-03", True),
        ("le 20 décembre dernier", SAT, "2024-12-20", True),
        ("le 7 octobre 2023", SAT, "2023-10-07", False),
        ("1er février 2021", SAT, "2021-02-01", False),
    ],
)
def test_day_month(text: str, pub: date, expected: str, relative: bool) -> None:
    t = one(f"Les faits remontent au {text} selon la police.", pub)
    assert t.value == expected and t.relative is relative and t.precision == "day"


def test_years_and_months() -> None:
    t = one("La loi a été votée en 2020 par le parlement.", SAT)
    assert (t.value, t.precision, t.relative) == ("2020", "year", False)
    assert val("en mars 2020", SAT) == "2020-03"
    t = one("Début mars, les prix ont grimpé.", date(2025, 4, 2))
    assert (t.value, t.precision, t.mod) == ("2025-03", "month", "START")
    assert one("à la mi-juin", date(2025, 6, 30)).mod == "MID"
    assert one("fin mars", date(2025, 6, 30)).value == "2025-03"
    assert val("en mai dernier", SAT) == "2025-05"
    assert val("en mai dernier", date(2025, 5, 20)) == "2024-05"
    assert val("en novembre", date(2025, 2, 1)) == "2024-11"


def test_relative_periods() -> None:
    t = one("il y a deux ans", SAT)
    assert (t.value, t.precision, t.relative) == ("2023", "year", True)
    t = one("la semaine dernière", SAT)
    assert (t.value, t.precision) == ("2025-W49", "week")
    assert t.event_date() == "2025-12"
    t = one("ces derniers mois", SAT)
    assert t.value == "PAST_REF" and t.event_date() is None
    t = one("depuis plus de trente ans", SAT)
    assert (t.value, t.type, t.mod) == ("P30Y", "DURATION", "MORE_THAN")
    assert t.event_date() is None
    assert val("l'an prochain", SAT) == "2026"
    assert val("cette année", SAT) == "2025"
    assert val("l'année dernière", SAT) == "2024"
    assert val("l’an dernier", SAT) == "2024"
    assert val("le mois dernier", date(2025, 1, 10)) == "2024-12"


def test_no_swallowing() -> None:
    tx = find_timexes("Samedi, les manifestants ont marché vers la place de l'Indépendance.", SAT)
    assert [t.text for t in tx] == ["Samedi"]
    assert all(t.text != "2000" for t in find_timexes("Il a payé 2000 euros pour trois places.", SAT))
    assert [t.text for t in find_timexes("Elle a été élue.", SAT)] == []
    assert find_timexes("Elle porte un chapeau et une robe.", SAT) == []


# ----------------------------------------------------------------- English
@pytest.mark.parametrize(
    "text,expected",
    [
        ("Protesters gathered on Tuesday in Minsk.", "2025-12-09"),
        ("Protesters gathered last week in Minsk.", "2025-W49"),
        ("Protesters gathered yesterday in Minsk.", "2025-12-12"),
        ("The treaty was signed on March 3.", "2025-03-03"),
        ("The treaty was signed in 2020.", "2020"),
        ("The treaty was signed two years ago.", "2023"),
        ("The treaty was signed last Tuesday.", "2025-12-09"),
        ("Talks resume next year.", "2026"),
        ("It happened in early December.", "2025-12"),
    ],
)
def test_english(text: str, expected: str) -> None:
    assert val(text, SAT, "en") == expected


def test_english_may_is_not_a_month() -> None:
    assert find_timexes("They may meet soon.", SAT, "en") == [] or all(
        t.value != "2025-05" for t in find_timexes("They may meet soon.", SAT, "en")
    )


# ----------------------------------------------------------------- offsets, table, fuzz
def test_offsets_and_table() -> None:
    text = "Hier, puis le 3 mars dernier et l’an prochain, la semaine dernière."
    for t in find_timexes(text, SAT):
        assert text[t.start : t.end] == t.text
    rows = timex_table(text, SAT, "fr")
    assert rows and {"start", "end", "text", "value", "type", "event_date"} <= set(rows[0])


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["fr", "en", "de"]))
def test_fuzz_never_crashes(text: str, lang: str) -> None:
    prev_end = 0
    for t in find_timexes(text, SAT, lang):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text
        assert t.start >= prev_end
        prev_end = t.end


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["hier", "samedi", "13", "décembre", "dernier", "prochain", "mi", "-",
                                 "fin", "2020", "il", "y", "a", "deux", "ans", " ", ",", "’", "l'an",
                                 "Tuesday", "last", "ago"]), max_size=12))
def test_fuzz_temporal_soup(words: list[str]) -> None:
    text = " ".join(words)
    for t in find_timexes(text, date(2000, 2, 29), "fr") + find_timexes(text, date(2000, 2, 29), "en"):
        assert text[t.start : t.end] == t.text


# ----------------------------------------------------------------- floor on French TimeBank
def test_timebank_floor() -> None:
    gold = SHARED / "fr_timebank_timex.jsonl"
    if not gold.exists():
        pytest.skip("../shared eval data absent")
    rep = score_timex(gold)
    d = rep.to_dict()
    assert d["relative"]["value_accuracy"] >= 0.80
    assert d["detection_recall"] >= 0.80
    assert "relative" in rep.to_text()
