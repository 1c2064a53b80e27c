"""Argument rules for French (issue 10 §3, §4) measured on fr-train: one construction per
test, each on a sentence written for the test, asserting the full coding (code or root,
source country and sector, target country and sector) of the event it decides."""

from __future__ import annotations

import kronika

PUB = "2026-03-10"


def coded(text: str) -> list[tuple]:
    out = []
    for e in kronika.extract(text, published=PUB, lang="fr"):
        s, t = e.source, e.target
        out.append((e.cameo, (s.country, s.sector) if s else None, (t.country, t.sector) if t else None))
    return out


def has(c: list[tuple], code: str, src, tgt) -> bool:
    return any((x[0] == code or len(code) == 2 and x[0][:2] == code) and x[1] == src and x[2] == tgt for x in c)


def test_condemning_an_action_targets_its_author_not_its_place():
    # the reaction is to the strikes' author (the demonym), not to the country struck
    c = coded("l'Algérie et la Tunisie ont condamné les frappes aériennes turques en Irak et en Syrie "
              "lors d'une réunion de la Ligue arabe, lundi en fin de journée.")
    assert has(c, "111", ("DZA", "GOV"), ("TUR", "GOV")), c
    assert has(c, "111", ("TUN", "GOV"), ("TUR", "GOV")), c
    assert not [x for x in c if x[0] == "111" and x[2] and x[2][0] in ("IRQ", "SYR")], c
    assert has(c, "195", ("TUR", "GOV"), ("IRQ", "GOV")), c


def test_place_after_an_attack_noun_the_parser_hung_higher_is_its_target():
    # "en Géorgie" hangs on "anniversaire"; it is still where the operation was launched
    c = coded("Le 12 mars marque le premier anniversaire du lancement de l’opération spéciale militaire russe en Géorgie.")
    assert has(c, "19", ("RUS", "GOV"), ("GEO", "GOV")), c


def test_role_the_article_gives_no_country_is_the_source_states():
    # two states named once each: the story has no leading country; the population the
    # Chilean government exhorts is Chile's
    c = coded("Le Chili a exhorté la population à la prudence après les menaces de la Bolivie.")
    assert has(c, "020", ("CHL", "GOV"), ("CHL", "CVL")), c


def test_non_state_actor_contesting_a_thing_addresses_its_own_state():
    # "des irrégularités", "les résultats", "le paiement des arriérés" name no actor: the
    # domestic order contested is the source's own state
    c = coded("L'opposition sénégalaise a dénoncé des irrégularités massives lors du scrutin.")
    assert has(c, "11", ("SEN", "OPP"), ("SEN", "GOV")), c
    c = coded("Le syndicat des enseignants réclame le paiement des arriérés de salaires à Abidjan.")
    assert has(c, "10", ("CIV", "LAB"), ("CIV", "GOV")), c
    c = coded("Au Mali, les rebelles du nord rejettent l'accord de paix.")
    assert has(c, "12", ("MLI", "REB"), ("MLI", "GOV")), c
    # the parser makes the quoted object an xcomp
    c = coded("Les Églises catholique et protestante, pour leur part, pointent « de graves irrégularités » au Gabon.")
    assert has(c, "11", ("GAB", "REL"), ("GAB", "GOV")), c


def test_state_condemning_a_thing_gets_no_target_of_its_own_country():
    # a government's criticism of an act with no named author: the target stays unknown,
    # never the critic's own state
    c = coded("Le gouvernement sénégalais a condamné des actes de vandalisme à Dakar.")
    assert not [x for x in c if x[0][:2] == "11" and x[2] and x[2][0] == "SEN"], c
