"""Within-article merging (kronika/extraction/merging.py, issue 14 item 4): mentions of one
action become one event with several mentions; two actions of a kind stay two events.
Sentences invented for these tests."""

from __future__ import annotations

import kronika

PUB = "2024-03-16"


def of_root(text: str, root: str):
    return [e for e in kronika.extract(text, published=PUB, lang="fr") if e.root == root]


def test_one_march_told_twice_is_one_event() -> None:
    evs = of_root("Des milliers d'opposants ont manifesté samedi à Lomé. La manifestation a rassemblé "
                  "des milliers de personnes dans le centre de Lomé.", "14")
    assert len(evs) == 1 and len(evs[0].mentions) == 2


def test_arrests_on_two_days_are_two_events() -> None:
    evs = of_root("La police togolaise a arrêté lundi trois opposants à Lomé. Mardi, la police togolaise a "
                  "interpellé deux journalistes à Kara.", "17")
    assert len(evs) == 2
    assert sorted(e.date for e in evs) == ["2024-03-11", "2024-03-12"]


def test_two_named_people_sentenced_are_two_events() -> None:
    evs = of_root("Le tribunal de Téhéran a condamné à mort Ali Rezaei. Un autre tribunal iranien a condamné "
                  "à mort Reza Karimi.", "17")
    assert len(evs) == 2


def test_an_earlier_easing_is_not_the_lift_of_the_day() -> None:
    evs = of_root("Les États-Unis ont levé samedi les sanctions contre la potasse biélorusse. En septembre, "
                  "Washington avait déjà assoupli les sanctions visant la compagnie aérienne Belavia.", "08")
    assert len(evs) == 2


def test_the_verb_and_its_nominalisation_tell_one_action() -> None:
    evs = of_root("Le Mali a expulsé lundi l'ambassadeur de France. L'expulsion du diplomate français par "
                  "Bamako intervient après des mois de tension.", "16")
    assert len(evs) == 1 and len(evs[0].mentions) == 2


def test_a_named_person_and_a_dozen_others_are_two_arrests() -> None:
    """One person arrested and "douze autres" arrested are two actions, even in a short article
    whose every sentence is the lead (the examples' illustrative arrest)."""
    evs = of_root("Les gendarmes arméniens ont arrêté lundi à Erevan le blogueur Aram Sarkissian. Son avocat a "
                  "dénoncé mardi une détention arbitraire. La police a indiqué que quinze autres militants "
                  "avaient été interpellés depuis le début du mois.", "17")
    assert len(evs) == 2, [(e.trigger, e.quantity, [m.trigger for m in e.mentions]) for e in evs]
    named = next(e for e in evs if e.target is not None and e.target.name == "Aram Sarkissian")
    assert named.quantity is None and len(named.mentions) == 1
