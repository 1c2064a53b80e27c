"""Tests of kronika.places: French and English names, ranking by context, regions, text scan."""

from __future__ import annotations

import pytest

from kronika.places import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


@pytest.mark.parametrize(
    "name,iso3",
    [
        ("Minsk", "BLR"), ("Moscou", "RUS"), ("Kiev", "UKR"), ("Kyiv", "UKR"), ("Pékin", "CHN"),
        ("Londres", "GBR"), ("Le Caire", "EGY"), ("Alger", "DZA"), ("Varsovie", "POL"),
        ("Bruxelles", "BEL"), ("Genève", "CHE"), ("Charm el-Cheikh", "EGY"), ("Sharm el-Sheikh", "EGY"),
        ("Jérusalem", "ISR"), ("Gaza", "PSE"), ("Lomé", "TGO"), ("N'Djamena", "TCD"), ("N’Djamena", "TCD"),
        ("Dakar", "SEN"), ("Niamey", "NER"), ("Rabat", "MAR"), ("Manille", "PHL"), ("Istanbul", "TUR"),
        ("Téhéran", "IRN"), ("Machhad", "IRN"), ("Séoul", "KOR"), ("Pyongyang", "PRK"), ("Paris", "FRA"),
    ],
)
def test_city_names(gaz: Gazetteer, name: str, iso3: str) -> None:
    p = gaz.lookup(name)
    assert p is not None and p.country == iso3 and p.precision == "city"
    assert p.lat is not None and p.geonameid


def test_washington_is_dc(gaz: Gazetteer) -> None:
    for ctx in ((), ("USA",), ("GBR", "USA")):
        p = gaz.lookup("Washington", ctx)
        assert p is not None and p.country == "USA"
        assert abs(p.lat - 38.9) < 0.5


@pytest.mark.parametrize(
    "name,iso3",
    [("Égypte", "EGY"), ("Sénégal", "SEN"), ("Biélorussie", "BLR"), ("États-Unis", "USA"),
     ("Etats-Unis", "USA"), ("Egypt", "EGY"), ("United States", "USA"), ("Belarus", "BLR"),
     ("Côte d’Ivoire", "CIV"), ("Tchad", "TCD")],
)
def test_country_names(gaz: Gazetteer, name: str, iso3: str) -> None:
    p = gaz.lookup(name)
    assert p is not None and p.country == iso3 and p.precision == "country" and p.place is None


def test_region_and_country_place(gaz: Gazetteer) -> None:
    p = gaz.lookup("nord du Mali")
    assert p is not None and (p.country, p.precision) == ("MLI", "region")
    c = gaz.country_place("BLR")
    assert c.precision == "country" and c.country == "BLR" and c.lat is not None
    assert gaz.lookup("") is None and gaz.lookup("Xyzzyqq") is None


def test_find_in_text(gaz: Gazetteer) -> None:
    text = ("Samedi à Minsk, des émissaires des États-Unis ont rencontré l’opposition, "
            "puis se sont rendus au Sénégal, dans le nord du Mali et à N’Djamena. "
            "La Paix et l'Union ont été évoquées en Mai à Charm el-Cheikh, en Égypte.")
    found = gaz.find_in_text(text)
    got = [(text[s:e], p.country, p.precision) for s, e, p in found]
    assert ("Minsk", "BLR", "city") in got
    assert ("États-Unis", "USA", "country") in got
    assert ("Sénégal", "SEN", "country") in got
    assert ("nord du Mali", "MLI", "region") in got
    assert ("N’Djamena", "TCD", "city") in got
    assert ("Charm el-Cheikh", "EGY", "city") in got
    assert ("Égypte", "EGY", "country") in got
    words = {w for w, _, _ in got}
    assert not words & {"Paix", "Union", "Mai", "Samedi"}
    for s, e, p in found:
        assert p.text == text[s:e]


def test_find_in_text_english_and_lowercase(gaz: Gazetteer) -> None:
    text = "Fighting spread in northern Mali while envoys met in Washington and Cairo."
    got = [(text[s:e], p.country, p.precision) for s, e, p in gaz.find_in_text(text, ("USA",), "en")]
    assert ("northern Mali", "MLI", "region") in got
    assert ("Washington", "USA", "city") in got and ("Cairo", "EGY", "city") in got
    assert gaz.find_in_text("une belle nice paris minsk", lang="fr") == []
    assert gaz.find_in_text("", lang="fr") == []
