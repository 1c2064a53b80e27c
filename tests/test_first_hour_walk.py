"""Issue 14's data items (1-5, 8) walked as a new analyst meets them: the issue's own
sentences (invented for this test, in the issue's words) through the installed ``kronika``
entry point — one ``kronika extract`` of a JSON Lines file, one ``kronika ingest`` of it, then
``kronika events`` and ``kronika actors`` queries on that database. The finer cases are in
test_month_dated.py, test_places.py, test_merging.py and test_register.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .cli_run import kronika

pytestmark = pytest.mark.slow

ARTICLES = [
    # item 1: an article dated to the month
    ("month", "2025-12", "Le Japon a protesté mardi contre les essais de missiles de la Corée du Nord. "
                         "Le 3 décembre, la Biélorussie a libéré 123 prisonniers."),
    # item 2: places
    ("croix", "2025-12-13", "Les otages ont été remis samedi à la Croix-Rouge à Gaza."),
    ("kharkiv", "2025-12-13", "Les forces russes ont bombardé mardi Kharkiv."),
    ("vienne", "2025-12-13", "Le chancelier autrichien a reçu samedi à Vienne le président ukrainien. "
                             "Dans la Drôme et l'Isère, la police française a arrêté deux manifestants. "
                             "À Vienne, la police a arrêté samedi trois militants."),
    ("sahel", "2025-12-13", "Des jihadistes ont attaqué samedi des soldats maliens au Sahel."),
    ("country", "2025-12-13", "La Biélorussie a libéré samedi 123 prisonniers."),
    ("council", "2025-12-13", "Le maire a saisi samedi le Conseil de Paris contre la police."),
    # item 3: the day before publication is a date of the text, not "the publication"
    ("eve", "2025-12-13", "La police biélorusse a arrêté vendredi trois opposants à Minsk."),
    # item 4: merging, both ways
    ("march", "2024-03-16", "Des milliers d'opposants ont manifesté samedi à Lomé. La manifestation a "
                            "rassemblé des milliers de personnes dans le centre de Lomé."),
    ("arrests", "2024-03-16", "La police togolaise a arrêté lundi trois opposants à Lomé. Mardi, la police "
                              "togolaise a interpellé deux journalistes à Kara."),
    ("potash", "2024-03-16", "Les États-Unis ont levé samedi les sanctions contre la potasse biélorusse. En "
                             "septembre, Washington avait déjà assoupli les sanctions visant la compagnie "
                             "aérienne Belavia."),
    # item 5: names of the register in every language
    ("visit", "2025-12-13", "Le président Alexandre Loukachenko a reçu samedi à Minsk l'envoyé des États-Unis."),
]


@pytest.fixture(scope="module")
def walk(tmp_path_factory) -> tuple[Path, dict[str, list[dict]]]:
    d = tmp_path_factory.mktemp("walk")
    src = d / "walk.jsonl"
    src.write_text("".join(json.dumps({"id": i, "date": day, "text": text}, ensure_ascii=False) + "\n"
                           for i, day, text in ARTICLES), encoding="utf-8")
    r = kronika("extract", str(src))
    assert r.returncode == 0, r.stderr
    by_article: dict[str, list[dict]] = {}
    for line in r.stdout.splitlines():
        x = json.loads(line)
        by_article.setdefault(x["article_id"], []).append(x)
    db = d / "k.duckdb"
    r = kronika("ingest", str(src), "--db", str(db))
    assert r.returncode == 0 and f"{len(ARTICLES)} ingested" in r.stdout + r.stderr, r.stdout + r.stderr
    return db, by_article


def _one(evs: list[dict], trigger: str) -> dict:
    found = [e for e in evs if e["trigger"] == trigger]
    assert len(found) == 1, (trigger, evs)
    return found[0]


def test_item1_month_dated_article_gets_no_invented_day(walk) -> None:
    evs = walk[1]["month"]
    protest = _one(evs, "protesté")
    assert (protest["date"], protest["date_precision"]) == ("2025-12", "month")  # not 2025-11-25
    release = _one(evs, "libéré")
    assert (release["date"], release["date_precision"]) == ("2025-12-03", "day")  # the text's own date
    assert all(e["date"] is None or e["date"].startswith("2025-12") for e in evs)


def test_item2_places(walk) -> None:
    _, a = walk
    remis = _one(a["croix"], "remis")["location"]
    assert remis["place"] == "Gaza" and remis["country"] != "FRA"  # not Croix (France)
    bomb = _one(a["kharkiv"], "bombardé")["location"]
    assert (bomb["place"], bomb["country"], bomb["precision"]) == ("Kharkiv", "UKR", "city")
    vienne = {e["location"]["geonameid"] for e in a["vienne"]
              if e["location"] and e["location"].get("text") == "Vienne"}
    assert len(vienne) == 1  # one reading of "Vienne" in one article
    sahel = _one(a["sahel"], "attaqué")["location"]
    assert (sahel["place"], sahel["precision"]) == ("Sahel", "region")
    country = _one(a["country"], "libéré")["location"]
    assert country["precision"] == "country" and country["place"] is None
    minsk = next(e["location"] for e in a["eve"] if e["location"] and e["location"]["place"] == "Minsk")
    assert (round(country["lat"], 1), round(country["lon"], 1)) != (round(minsk["lat"], 1), round(minsk["lon"], 1))
    arrests = {e["trigger"]: (e["location"] or {}).get("place") for e in a["arrests"]}
    assert arrests == {"arrêté": "Lomé", "interpellé": "Kara"}  # not the country's point
    for e in a.get("council", []):  # an organisation's name holds no place
        assert (e["location"] or {}).get("place") != "Paris", e


def test_item3_dates_have_one_meaning(walk) -> None:
    db, a = walk
    eve = _one(a["eve"], "arrêté")
    assert (eve["date"], eve["date_inferred"]) == ("2025-12-12", False)  # written "vendredi"
    every = [json.loads(x) for x in kronika("events", "--db", str(db), "-f", "jsonl").stdout.splitlines()]
    table = kronika("events", "--db", str(db), env={"COLUMNS": "120"}).stdout
    inferred = [e for e in every if e["date_inferred"]]
    assert all(e["date"] for e in inferred)  # an inferred date is a date, never a blank
    if inferred:
        assert "* date inferred" in table
    assert "(pub.)" not in table
    for e in every:
        if e["date"] is None:
            assert "undated" in table


def test_item4_merging_both_ways(walk) -> None:
    _, a = walk
    marches = [e for e in a["march"] if e["root"] == "14"]
    assert len(marches) == 1 and len(marches[0]["mentions"]) == 2  # one march, not 140 and 141
    arrests = sorted(e["date"] for e in a["arrests"] if e["root"] == "17")
    assert arrests == ["2024-03-11", "2024-03-12"]  # two days, two arrests
    eases = [e for e in a["potash"] if e["root"] == "08"]
    assert len(eases) == 2 and all(len(e["mentions"]) == 1 for e in eases)  # September is another easing


@pytest.mark.parametrize("words,country", [
    ("Lukashenko", "BLR"), ("loukachenko", "BLR"), ("Belarus", "BLR"), ("bielorussie", "BLR"),
    ("Etats-Unis", "USA"), ("United States", "USA"), ("usa", "USA"),
])
def test_item5_actor_filters_read_the_register(walk, words: str, country: str) -> None:
    db, _ = walk
    r = kronika("events", "--db", str(db), "--actor", words, "-f", "jsonl")
    assert r.returncode == 0, r.stderr
    found = [json.loads(x) for x in r.stdout.splitlines()]
    assert found, (words, r.stderr)
    assert all(country in ((e["source"] or {}).get("country"), (e["target"] or {}).get("country")) for e in found)


def test_item5_a_filter_that_finds_nothing_says_what_it_tried(walk) -> None:
    db, _ = walk
    r = kronika("events", "--db", str(db), "--actor", "Poutine", "-f", "jsonl")
    assert r.returncode == 0 and r.stdout == ""
    assert "tried" in r.stderr and "Vladimir Poutine" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_item8_register_search_through_the_command() -> None:
    rows = json.loads(kronika("actors", "--register", "Lukashenko", "--json").stdout)
    assert rows[0]["id"] == "person:alexandre-loukachenko"
    assert not [x for x in rows if x["id"].startswith("country:")]  # no unrelated states
    rows = json.loads(kronika("actors", "--register", "FARC", "--json").stdout)
    assert rows and rows[0]["id"] == "org:farc" and "country:FRO" not in {x["id"] for x in rows}
