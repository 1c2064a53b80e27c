"""Precision of French extraction (issue 10 items 4 and 5), one construction per test, on
sentences written for the tests: trigger words in another sense, actions embedded under
denial, accusation or appeal, announcers who are not the agents, names that contain an event
word, compound and coordinated owners. Each asserts the full coding of the event the
construction decides (code, source and target country and sector), or that no event of the
wrong sense is produced."""

from __future__ import annotations

import kronika

PUB = "2025-12-13"


def events(text: str):
    return kronika.extract(text, published=PUB, lang="fr")


def coded(text: str) -> list[tuple]:
    out = []
    for e in events(text):
        s, t = e.source, e.target
        out.append((e.cameo, (s.country, s.sector) if s else None, (t.country, t.sector) if t else None, e.modality))
    return out


def roots(text: str) -> set[str]:
    return {e.root for e in events(text)}


# ---------------------------------------------------------------- trigger words in another sense
def test_congratulations_received_are_praise_by_the_sender_not_a_visit():
    c = coded("Le nouveau président sénégalais a reçu les félicitations du roi du Maroc.")
    assert ("051", ("MAR", "GOV"), ("SEN", "GOV"), "asserted") in c, c
    assert not [x for x in c if x[0].startswith("04")], c


def test_judging_with_an_adjective_is_an_opinion_not_a_trial():
    assert "17" not in roots("Un délai jugé « trop long » par Bamako a été fixé pour le retrait de la mission.")
    assert "17" not in roots("Les observateurs ont jugé « bienvenue » la prolongation du cessez-le-feu au Soudan.")


def test_judged_guilty_stays_a_verdict():
    c = coded("Le militant a été jugé coupable de trahison à Minsk.")
    assert ("173", ("BLR", "JUD"), ("BLR", None), "asserted") in c or any(
        x[0] == "173" and x[1] == ("BLR", "JUD") for x in c), c


def test_stopping_in_front_of_is_no_arrest():
    assert "17" not in roots("Le convoi présidentiel s'est arrêté devant le palais à Kinshasa.")


def test_warning_that_something_will_happen_is_no_threat():
    assert "13" not in roots("Le ministre malien a averti qu'il y aura des pénuries d'essence à Bamako.")


def test_refusing_to_confirm_is_no_rejection():
    assert "12" not in roots("Le Kremlin s'est refusé à confirmer la présence de Bachar al-Assad à Moscou.")
    assert "12" not in roots("Les chefs d'état-major nigériens ont refusé de dire combien de soldats seraient déployés.")


def test_gathering_votes_is_no_meeting():
    assert "04" not in roots("Le candidat de l'opposition turque a réuni 44 % des suffrages.")


def test_event_word_inside_an_organisation_name_is_no_event():
    assert "08" not in roots("Le président colombien veut relancer les pourparlers avec l'Armée de libération nationale.")
    assert "08" not in roots("Un proche de l'opposant camerounais, joint par Libération, décrit une scène chaotique.")


def test_a_promise_of_punishment_in_a_quote_is_a_threat_by_the_speaker():
    c = coded("« Cette attaque ne restera pas sans réponse », a prévenu le président tchadien.")
    assert ("130", ("TCD", "GOV"), None, "asserted") in c, c


# ---------------------------------------------------------------- embedded actions that did not happen
def test_denied_appeal_for_sanctions_is_a_negated_appeal_not_sanctions():
    c = coded("L'opposant a nié avoir appelé à des sanctions contre le Cambodge.")
    assert not [x for x in c if x[0].startswith("16")], c
    assert ("020", ("KHM", "OPP"), ("KHM", "GOV"), "negated") in c, c


def test_appeal_for_sanctions_is_an_appeal():
    c = coded("L'opposant biélorusse a appelé à des sanctions contre Minsk.")
    assert ("020", ("BLR", "OPP"), ("BLR", "GOV"), "asserted") in c, c
    assert not [x for x in c if x[0].startswith("16")], c


def test_accused_of_a_coup_codes_no_coup():
    assert "19" not in roots("Les opposants tunisiens accusent le président d'un coup d'État contre la démocratie.")


def test_the_accused_is_the_agent_of_the_infinitive():
    c = coded("Le Mali accuse l'Algérie d'avoir abattu un drone près de la frontière.")
    assert [x for x in c if x[0].startswith("19") and x[1] == ("DZA", "GOV")], c
    assert not [x for x in c if x[0].startswith("19") and x[1] and x[1][0] == "MLI"], c


# ---------------------------------------------------------------- announcers who are not the agents
def test_announcer_is_not_the_agent_named_by_par():
    c = coded("Le ministre lituanien annonce la libération de vingt opposants par le régime biélorusse.")
    # the opponents' country is not said in a story of two states: unknown (their words kept,
    # country null), not invented
    assert ("0841", ("BLR", "GOV"), (None, "OPP"), "asserted") in c, c
    assert not [x for x in c if x[0] == "0841" and x[1] and x[1][0] == "LTU"], c


def test_announcer_is_the_agent_without_par():
    c = coded("Le président biélorusse annonce la libération de vingt opposants.")
    assert [x for x in c if x[0] == "0841" and x[1] and x[1][0] == "BLR"], c


# ---------------------------------------------------------------- compound and coordinated owners
def test_plural_possessive_over_coordinated_states_is_one_event_each():
    c = coded("Le Burkina Faso, le Mali et le Niger ont annoncé leur retrait de la CEDEAO.")
    got = {x[1] for x in c if x[0] == "160"}
    assert got == {("BFA", "GOV"), ("MLI", "GOV"), ("NER", "GOV")}, c
    assert all(x[2] == ("ECOWAS", "IGO") for x in c if x[0] == "160"), c


def test_organisation_after_a_possessive_is_the_target():
    c = coded("Le Burundi a annoncé son retrait de la CEEAC.")
    assert ("160", ("BDI", "GOV"), ("ECCAS", "IGO"), "asserted") in c, c


def test_criticised_action_with_a_possessive_targets_its_author():
    c = coded("Le Burundi a quitté la CEEAC, dénonçant ses sanctions injustes contre le peuple burundais.")
    assert ("111", ("BDI", "GOV"), ("ECCAS", "IGO"), "asserted") in c, c
    assert ("160", ("BDI", "GOV"), ("ECCAS", "IGO"), "asserted") in c, c


def test_wire_dateline_glued_to_the_lead_is_split():
    c = coded("Niamey 3 mars 2025(ANP)-Le Niger et le Mali ont annoncé leur retrait de la CEDEAO.")
    assert {x[1] for x in c if x[0] == "160"} == {("NER", "GOV"), ("MLI", "GOV")}, c
