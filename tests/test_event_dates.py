"""Event dating on French sentences (GUIDELINES §2 ``date``, issue 5).

Every sentence here is written for this test; the publication date is Saturday 2024-03-16
unless a test says otherwise. Events are found by their trigger word.
"""

from __future__ import annotations

import functools

import pytest

import kronika
from kronika.model import Event

SATURDAY = "2024-03-16"


@functools.lru_cache(maxsize=None)
def _extract(text: str, published: str) -> tuple[Event, ...]:
    """Events of a text, extracted once per text (spaCy is loaded once by the pipeline)."""
    return tuple(kronika.extract(text, published=published, lang="fr"))


def event(text: str, trigger: str, published: str = SATURDAY) -> Event:
    evs = _extract(text, published)
    for e in evs:
        if e.trigger == trigger:
            return e
    raise AssertionError(f"no event on «{trigger}» among {[(e.cameo, e.trigger) for e in evs]}")


def event_of_root(text: str, root: str, published: str = SATURDAY) -> Event:
    """The event of a CAMEO root, whichever word of the construction carries it
    ("imposé des sanctions" may be reported on the verb or on the noun)."""
    evs = [e for e in _extract(text, published) if e.cameo.startswith(root)]
    assert len(evs) == 1, f"expected one {root} event among {[(e.cameo, e.trigger) for e in _extract(text, published)]}"
    return evs[0]


def test_weekday_of_publication_day() -> None:
    e = event("Le gouvernement malien a libéré samedi vingt prisonniers politiques à Bamako.", "libéré")
    assert (e.date, e.date_precision, e.date_inferred) == (SATURDAY, "day", False)


def test_earlier_weekday_is_in_the_same_week() -> None:
    e = event("La police kényane a arrêté mardi trois journalistes à Nairobi.", "arrêté")
    assert e.date == "2024-03-12"


def test_hier_is_the_day_before_publication() -> None:
    e = event("La police kényane a arrêté hier trois journalistes à Nairobi.", "arrêté")
    assert e.date == "2024-03-15" and not e.date_inferred


def test_plus_que_parfait_without_date_is_undated() -> None:
    e = event("La France avait condamné le Mali pour ses choix diplomatiques.", "condamné")
    assert e.date is None and e.date_precision is None


def test_background_in_a_later_sentence_stays_undated() -> None:
    text = "Le Sénégal et la Gambie ont signé un accord commercial. Le Sénégal avait imposé des sanctions à la Gambie."
    assert event(text, "signé").date == SATURDAY
    assert event_of_root(text, "16").date is None


def test_year_only() -> None:
    e = event("Le Niger a expulsé l'ambassadeur de France en 2020.", "expulsé")
    assert (e.date, e.date_precision) == ("2020", "year")


def test_reported_speech_takes_the_day_of_the_report() -> None:
    e = event("Le ministre canadien a déclaré que les États-Unis allaient lever les sanctions contre Cuba.", "lever")
    assert e.date == SATURDAY and e.date_inferred


def test_reported_speech_with_a_dated_report() -> None:
    e = event("Le ministre canadien a déclaré lundi que les États-Unis allaient lever les sanctions contre Cuba.",
              "lever")
    assert e.date == "2024-03-11" and not e.date_inferred


def test_full_date_on_a_participle() -> None:
    text = "Les otages enlevés le 7 octobre 2023 par le Hamas ont été libérés."
    assert event(text, "enlevés").date == "2023-10-07"
    freed = event(text, "libérés")
    assert freed.date == SATURDAY and freed.date_inferred  # the main clause does not take the participle's date


def test_date_on_a_noun_after_a_sequence_preposition_does_not_date_the_clause() -> None:
    text = "Le président égyptien a critiqué Israël après la pendaison jeudi de trois opposants par l'Iran."
    assert event(text, "pendaison").date == "2024-03-14"
    assert event(text, "critiqué").date == SATURDAY


def test_appositive_date_does_not_steal_the_main_date() -> None:
    text = "Le président tchadien, élu le 6 mai 2023, a rencontré jeudi le Premier ministre français à Paris."
    assert event(text, "rencontré").date == "2024-03-14"


def test_undated_news_later_in_the_story_takes_the_lead_day() -> None:
    text = ("Le Togo a accusé mercredi le Ghana d'avoir armé les rebelles.\n\n"
            "Le ministre togolais a aussi critiqué le Bénin.")
    assert event(text, "accusé").date == "2024-03-13"
    later = event(text, "critiqué")
    assert later.date == "2024-03-13" and later.date_inferred


def test_lead_date_outside_the_week_is_not_the_story_day() -> None:
    text = ("Le Niger a expulsé l'ambassadeur de France le 2 janvier 2024.\n\n"
            "Le ministre nigérien a aussi critiqué le Bénin.")
    assert event(text, "expulsé").date == "2024-01-02"
    assert event(text, "critiqué").date == SATURDAY


def test_imparfait_clause_of_a_dated_action_is_the_same_moment() -> None:
    text = ("Le Togo a accusé hier le Ghana d'avoir armé les rebelles, "
            "tandis que l'armée togolaise bombardait les positions rebelles.")
    e = event(text, "bombardait")
    assert e.date == "2024-03-15"


def test_future_weekday_in_a_planned_event() -> None:
    e = event("Le président français rencontrera mardi prochain le roi du Maroc à Rabat.", "rencontrera")
    assert e.date == "2024-03-19"


@pytest.mark.parametrize("published,expected", [("2024-03-16", "2024-03-15"), ("2024-03-18", "2024-03-15")])
def test_friday_resolves_against_publication(published: str, expected: str) -> None:
    e = event("Le Hamas a attaqué vendredi une position de l'armée israélienne.", "attaqué", published)
    assert e.date == expected
