"""The French extraction rules, one construction per test, on sentences written for the
tests (not taken from any article). Each asserts the code family, the actors and what the
construction is about."""

from __future__ import annotations

import pytest

import kronika

PUB = "2026-03-10"  # a Tuesday


def events(text: str, published: str = PUB):
    return kronika.extract(text, published=published, lang="fr")


def find(text: str, root: str, published: str = PUB):
    evs = [e for e in events(text, published) if e.root == root]
    assert evs, f"no root {root} in {[(e.cameo, e.trigger) for e in events(text, published)]}"
    return evs[0]


def pair(e):
    return (e.source.country if e.source else None, e.target.country if e.target else None)


def test_active_verb_with_object_and_quantity():
    e = find("Le régime iranien a libéré lundi quarante prisonniers politiques.", "08")
    assert e.cameo == "0841" and pair(e) == ("IRN", "IRN") and e.quantity == 40
    assert e.target.sector == "OPP" and e.date == "2026-03-09"


def test_nominalisation_with_support_verb():
    e = find("Le Trésor américain a confirmé la levée des sanctions visant la compagnie aérienne syrienne.", "08")
    assert e.cameo == "085" and pair(e) == ("USA", "SYR") and e.target.sector == "BUS"


def test_light_verb_procéder_à():
    e = find("La police kényane a procédé mardi à l'arrestation de douze militants à Nairobi.", "17")
    assert pair(e) == ("KEN", "KEN") and e.source.sector == "COP" and e.quantity == 12
    assert e.location.place == "Nairobi"


def test_passive_with_agent():
    e = find("Le journaliste a été arrêté par les services de sécurité égyptiens au Caire.", "17")
    assert e.source.country == "EGY" and e.source.sector == "COP"


def test_passive_without_agent_takes_the_court():
    e = find("L'opposant tunisien a été condamné samedi à cinq ans de prison ferme.", "17")
    assert e.source.country == "TUN" and e.source.sector == "JUD"
    assert e.target.country == "TUN"


def test_attack_on_a_target_abroad():
    e = find("L'armée russe a lancé une offensive contre la ville ukrainienne de Kharkiv.", "19")
    assert pair(e) == ("RUS", "UKR")


def test_participle_on_a_noun_and_attributed_author():
    e = find("Huit civils tués dans une frappe de drone attribuée à l'armée soudanaise.", "19")
    assert pair(e) == ("SDN", "SDN") and e.quantity == 8


def test_relative_clause():
    e = find("Le ministre qui a rencontré hier son homologue chinois a salué un dialogue franc.", "04",
             published="2026-03-10")
    assert e.target.country == "CHN"


def test_coordinated_subjects_one_event_each():
    evs = [e for e in events("Le Mali, le Burkina Faso et le Niger ont condamné l'attaque contre le convoi.")
           if e.root == "11"]
    assert {e.source.country for e in evs} == {"MLI", "BFA", "NER"}


def test_reciprocal_action_first_named_is_source():
    e = find("L'Arménie et l'Azerbaïdjan ont signé jeudi un traité de paix.", "05")
    assert pair(e) == ("ARM", "AZE")


def test_reported_speech_keeps_the_reporter_as_attribution():
    e = find("L'ONG Viasna a indiqué que 52 prisonniers ont été libérés par le régime biélorusse.", "08")
    assert e.source.country == "BLR" and e.source.sector == "GOV" and e.quantity == 52
    assert e.attribution is not None and "Viasna" in e.attribution.text


def test_negation():
    e = find("Le gouvernement kényan n'a pas libéré les manifestants arrêtés la semaine dernière.", "08")
    assert e.modality == "negated"


def test_announced_release_is_an_intent():
    e = find("Le président ivoirien a annoncé qu'il va libérer deux cents détenus la semaine prochaine.", "03")
    assert e.cameo == "0353"


def test_conditional_is_hypothetical():
    e = find("Les États-Unis pourraient imposer de nouvelles sanctions à la Russie.", "16")
    assert e.modality == "hypothetical" and pair(e) == ("USA", "RUS")


def test_demand_for_a_release():
    e = find("Amnesty International a exigé la libération immédiate du journaliste algérien.", "10")
    assert e.cameo == "1053" and e.source.country == "GBR"


def test_same_action_twice_is_one_event_with_two_mentions():
    evs = events("La Turquie a libéré samedi trente soldats syriens. Cette libération a été saluée par Damas.")
    rel = [e for e in evs if e.cameo == "0841"]
    assert len(rel) == 1 and len(rel[0].mentions) == 2


def test_the_two_countries_are_the_last_pair():
    evs = events("Le Premier ministre japonais a rencontré lundi à Tokyo son homologue australien. "
                 "Les deux pays ont signé un accord de défense.")
    sig = [e for e in evs if e.root == "05"]
    assert sig and pair(sig[0]) == ("JPN", "AUS")


def test_report_of_abuse_adds_an_accusation():
    evs = events("Human Rights Watch fait état de détenus torturés par la police égyptienne.")
    assert any(e.root == "11" and e.source.country == "USA" and e.target.country == "EGY" for e in evs)


@pytest.mark.parametrize("text", [
    "Le Paris Saint-Germain a battu Marseille 3-1 dimanche soir.",
    "La Banque centrale européenne a relevé jeudi ses taux directeurs de 0,25 point.",
    "Le festival de Cannes s'est ouvert mardi avec la projection d'un film.",
])
def test_no_event_in_non_political_news(text):
    assert events(text) == []


def test_threat_names_the_capital_not_the_sanctions():
    e = find("Washington a menacé Caracas de nouvelles sanctions si le scrutin n'était pas libre.", "13")
    assert e.cameo == "1312" and pair(e) == ("USA", "VEN") and e.modality == "asserted"


def test_condemning_an_action_targets_its_author():
    e = find("Le Parlement européen a adopté jeudi une résolution condamnant la répression des manifestants "
             "en Géorgie.", "11")
    assert pair(e) == ("EUR", "GEO") and e.target.sector == "COP"


def test_object_after_a_date_and_pupils():
    e = find("Des hommes armés ont enlevé dimanche vingt élèves dans une école du nord-ouest du Nigeria.", "18")
    assert e.cameo == "181" and pair(e) == ("NGA", "NGA") and e.target.sector == "EDU" and e.quantity == 20
    assert e.date == "2026-03-08"


def test_appeal_for_a_ceasefire_in_a_country():
    e = find("Le Conseil de sécurité de l'ONU a appelé à un cessez-le-feu immédiat au Soudan.", "02")
    assert e.cameo == "0256" and pair(e) == ("UNO", "SDN")


def test_visit_with_motion_verb():
    e = find("Le président sud-africain s'est rendu mercredi à Kinshasa pour rencontrer son homologue congolais.",
             "04")
    assert pair(e) == ("ZAF", "COD") and e.location.place == "Kinshasa" and e.date == "2026-03-04"


def test_strikes_on_a_foreign_region():
    e = find("L'armée israélienne a mené mardi des frappes aériennes sur le sud du Liban.", "19")
    assert pair(e) == ("ISR", "LBN") and e.location.country == "LBN"
