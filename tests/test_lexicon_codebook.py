"""Codebook-wide French entries (kronika/lang/fr/triggers-*.yaml) through the whole pipeline:
invented sentences, one per construction the first lexicon missed, with the full coding."""

from __future__ import annotations

import pytest

import kronika

PUB = "2025-12-13"


def coded(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(e.cameo, e.source.country if e.source else None, e.target.country if e.target else None)
            for e in kronika.extract(text, published=PUB, lang="fr")]


@pytest.mark.parametrize("text, expected", [
    # capture of soldiers by rebels is an abduction (181), not an arrest
    ("Les rebelles ont capturé deux officiers burkinabè près de Djibo.", ("181", "BFA", "BFA")),
    ("Des militaires ont pris le contrôle de la radio nationale à Conakry.", ("192", "GIN", "GIN")),
    ("L'Iran a lancé des missiles sur Israël dans la nuit de vendredi.", ("195", "IRN", "ISR")),
    ("L'armée malienne a neutralisé dix terroristes près de Mopti.", ("190", "MLI", "MLI")),
    # a promised retaliation is a threat of force
    ("Le Hezbollah a promis une riposte contre Israël.", ("138", "LBN", "ISR")),
    # a threat takes the code of the action threatened (support.yaml threat_codes)
    ("Le gouvernement malien a menacé d'imposer un couvre-feu à Bamako.", ("1323", "MLI", None)),
    # issue 10: insurgencies, campaigns and dislodging are armed fighting
    ("L'insurrection des rebelles contre le pouvoir central dure depuis dix ans au Mozambique.", ("190", "MOZ", "MOZ")),
    ("L'armée malienne a délogé les rebelles de leurs positions près de Kidal.", ("190", "MLI", "MLI")),
    ("Les forces nigérianes ont chassé les insurgés de la ville de Maiduguri.", ("190", "NGA", "NGA")),
    ("L'armée burkinabè a lancé une opération contre les jihadistes dans le nord.", ("190", "BFA", "BFA")),
    # labelling as a terrorist, pointing out irregularities, praising
    ("Ankara considère le PKK comme une organisation terroriste.", ("111", "TUR", "TUR")),
    ("Les observateurs de l'Union européenne ont pointé de graves irrégularités lors du scrutin au Togo.",
     ("112", "EUR", None)),
    ("Le ministre français a vanté les mérites de l'accord avec le Maroc.", ("051", "FRA", "MAR")),
    # barricades put up by protesters obstruct passage
    ("Les manifestants ont dressé des barricades sur la route de Conakry.", ("144", "GIN", "GIN")),
    # a word deep in a relative clause does not exclude a sense: "que compte le pays" is no
    # "libération du pays" (not_objects compares the complement's head)
    ("Les services de renseignement soudanais ont annoncé la libération de tous les prisonniers politiques "
     "que compte le pays.", ("0841", "SDN", "SDN")),
])
def test_codebook_constructions(text, expected) -> None:
    assert expected in coded(text), coded(text)


def test_plural_coup_without_accent_is_done_by_the_military() -> None:
    evs = kronika.extract("Les coups d'Etat menés par les militaires ont surpris Conakry.", published=PUB, lang="fr")
    coups = [e for e in evs if e.root == "19"]
    assert coups and coups[0].source.country == "GIN" and coups[0].source.sector == "MIL"
    assert coups[0].trigger == "coups d'Etat"


def test_aid_trucks_are_aid() -> None:
    assert any(c[0].startswith("07") for c in coded(
        "Quarante camions d'aide humanitaire envoyés par la Turquie sont entrés en Syrie."))
