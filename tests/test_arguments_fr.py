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
