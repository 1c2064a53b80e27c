"""Tolerant matching of the lexicon (kronika/extraction/lexicon.py units/fold, the phrase
pass of kronika/extraction/triggers.py): plural, case, missing accents, elision and
hyphenation do not stop a phrase or a word from matching. Real spaCy parses of invented
sentences."""

from __future__ import annotations

import pytest

from kronika.extraction.lexicon import fold, load_lexicon, singular, units


def test_fold_and_units() -> None:
    assert fold("État") == "etat" and fold("ŒUVRE") == "oeuvre" and fold("d’") == "d'"
    assert singular("coups") == "coup" and singular("feux") == "feu" and singular("les") == "les"
    assert units("coups d’État") == units("coup d'Etat") == ["coup", "de", "etat"]
    assert units("cessez-le-feu") == units("cessez le feu") == units("Cessez-Le-Feu")
    assert units("l'état d'urgence") == units("L’Etat d’urgence") == units("la état de urgence")


@pytest.fixture(scope="module")
def triggers():
    from kronika.nlp import load_pipeline
    from kronika.pipeline import _coder

    nlp, coder = load_pipeline("fr"), _coder("fr")

    def run(text: str) -> list[tuple[str, str]]:
        doc = nlp(text)
        coder.linear = not doc.has_annotation("DEP")
        return [(t.entry.code, doc[t.tokens[0].i:t.tokens[-1].i + 1].text) for s in doc.sents for t in coder.find_triggers(s)]
    return run


def _codes(found: list[tuple[str, str]]) -> set[str]:
    return {c for c, _ in found}


def test_plural_of_a_phrase(triggers) -> None:
    found = triggers("Les coups d'État se sont multipliés au Sahel depuis 2020.")
    assert ("190", "coups d'État") in found


def test_case_of_a_phrase_and_a_word(triggers) -> None:
    assert "1724" in _codes(triggers("LE GOUVERNEMENT A DÉCRÉTÉ L'ÉTAT D'URGENCE."))
    assert "190" in _codes(triggers("Un Coup D'État a eu lieu à Niamey."))


def test_missing_accents(triggers) -> None:
    found = triggers("Un coup d'Etat a eu lieu a Niamey mercredi.")
    assert ("190", "coup d'Etat") in found
    assert "1724" in _codes(triggers("Le president a decrete l'etat d'urgence dans le nord."))
    # a word without its accents finds the entry of the accented lemma
    lex = load_lexicon("fr")
    assert lex.entries_for("liberation") == lex.entries_for("libération") != []


def test_elision_and_typographic_apostrophe(triggers) -> None:
    assert "1724" in _codes(triggers("Le gouvernement a décrété l’état d’urgence."))
    assert "181" in _codes(triggers("La prise d’otages a duré six heures à Bamako."))


def test_hyphenation(triggers) -> None:
    found = triggers("Un cessez le feu est entré en vigueur à minuit.")
    assert ("0871", "cessez le feu") in found
    found = triggers("Un cessez-le-feu est entré en vigueur à minuit.")
    assert ("0871", "cessez-le-feu") in found


def test_blockers_are_compared_as_phrases(triggers) -> None:
    # support.yaml blockers: a "constitutional coup" is an accusation, not a military coup,
    # with or without accents
    for text in ("L'opposition dénonce un coup d'État constitutionnel à Dakar.",
                 "L'opposition dénonce un coup d'Etat constitutionnel à Dakar."):
        assert "190" not in _codes(triggers(text)) and "111" in _codes(triggers(text))
    assert "190" in _codes(triggers("L'armée a mené un coup d'Etat à Niamey."))
