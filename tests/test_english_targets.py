"""English constructions that name the target away from the trigger's own object, one
invented sentence each (the rules are data in kronika/lang/en/grammar.yaml)."""

from __future__ import annotations

import kronika


def one(text: str, root: str, published: str = "2024-03-05"):
    evs = [e for e in kronika.extract(text, published=published, lang="en") if e.root == root]
    assert evs, f"no root {root} event in {text!r}"
    return evs[0]


def test_to_country_after_a_thing_is_the_recipient():
    # "to" + a country after an object the lexicon knows ("arms") is the party, not a place
    e = one("Canada sent arms to Georgia last year.", "07")
    assert (e.source.country, e.target.country) == ("CAN", "GEO")


def test_that_clause_subject_is_the_target_of_a_demand():
    e = one("Brazil demanded that Paraguay release the detained journalists.", "10")
    assert (e.source.country, e.target.country) == ("BRA", "PRY")


def test_infinitive_object_is_the_target_of_a_threat():
    e = one("Algeria threatened to cut off gas deliveries to Spain.", "13")
    assert (e.source.country, e.target.country) == ("DZA", "ESP")


def test_from_complement_of_the_infinitive():
    e = one("Rwanda is willing to pull its soldiers out from Burundi.", "03")
    assert e.source.country == "RWA" and e.target is not None and e.target.country == "BDI"


def test_would_under_a_reporting_verb_is_a_plan():
    # sequence of tenses: the reported "will" is an intent, not a hypothesis
    e = one("Chile said it would open its border to Bolivian traders.", "03")
    assert e.source.country == "CHL" and e.modality == "asserted"
    assert one("Chile could open its border to Bolivian traders.", "07").modality == "hypothetical"


def test_will_not_cooperate_is_a_refusal():
    e = one("Hungary will not sign the migration pact with Austria.", "12")
    assert (e.source.country, e.target.country) == ("HUN", "AUT") and e.modality == "asserted"
    e = one("The minister said Japan would not provide aid to Myanmar.", "12")
    assert e.cameo.startswith("122") and e.source.country == "JPN"


def test_announced_force_is_a_threat():
    # "will" + an act of force: a threat of it (13x), not a planned attack
    e = one("Azerbaijani forces will attack the Armenian positions tonight.", "13")
    assert e.cameo == "138" and e.source.country == "AZE" and e.modality == "asserted"
    e = one("The ministry said the navy would blockade the Yemeni coast.", "13")
    assert e.cameo == "1381"


def test_stative_participle_subject_holds_the_stance():
    # "is opposed to": passive in form, the subject opposes
    e = one("Greece is opposed to the Turkish plan.", "12")
    assert (e.source.country, e.target.country) == ("GRC", "TUR")


def test_from_complement_of_a_retreat_is_the_target():
    e = one("Vietnam withdrew its troops from Cambodia.", "08")
    assert e.cameo == "0874" and (e.source.country, e.target.country) == ("VNM", "KHM")
    e = one("The withdrawal of Ethiopian forces from Somalia began on Monday.", "08")
    assert (e.source.country, e.target.country) == ("ETH", "SOM")


def test_coordinated_demonyms_before_a_plural_role():
    # "Dutch and Belgian activists": one source per country; "staged" lemmatised as "stage"
    evs = [e for e in kronika.extract("Dutch and Belgian activists staged a protest in Brussels.",
                                      published="2024-03-05", lang="en") if e.root == "14"]
    assert {e.source.country for e in evs} == {"NLD", "BEL"}


def test_purpose_infinitive_is_done_by_the_clause_subject():
    # "to demand …" hanging on the main verb: its doer is that verb's subject
    evs = [e for e in kronika.extract("Kenyan nurses began a strike in Nairobi to demand higher wages.",
                                      published="2024-03-05", lang="en") if e.root == "10"]
    assert evs and evs[0].source.country == "KEN" and evs[0].source.text == "Kenyan nurses"
