"""The actor register's search and users' own register files (issue 14 item 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kronika.actors import ActorRegister
from kronika.actors.userfile import RegisterFileError, read_user_register

from .cli_run import kronika

USER = """\
people:
  - {id: jane-doe, name: Jane Doe, country: BLR, sector: OPP, aliases: [Doe]}
organisations:
  - {id: viasna, name: Centre Viasna, country: BLR, sector: HRI, aliases: [Viasna, Vesna]}
"""


@pytest.fixture(scope="module")
def reg() -> ActorRegister:
    return ActorRegister.default()


@pytest.mark.parametrize("query,first", [
    ("Lukashenko", "person:alexandre-loukachenko"), ("loukachenko", "person:alexandre-loukachenko"),
    ("Belarus", "country:BLR"), ("bielorussie", "country:BLR"), ("Etats-Unis", "country:USA"),
    ("United States", "country:USA"), ("Macron", "person:emmanuel-macron"),
])
def test_search_finds_the_actor_first(reg: ActorRegister, query: str, first: str) -> None:
    res = reg.search(query)
    assert res and res[0]["id"] == first and res[0]["score"] == 100


def test_search_does_not_pad_with_unrelated_states(reg: ActorRegister) -> None:
    res = reg.search("Lukashenko")
    assert not [r for r in res if r["kind"] == "country"]
    assert not [r for r in reg.search("FARC") if r["id"] == "country:FRO"]


def test_user_file_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    for text in ("people: 3", "[1, 2]", "people:\n  - {country: BLR}", "people: [\n"):
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(RegisterFileError, match="bad.yaml"):
            read_user_register(bad)
    with pytest.raises(RegisterFileError, match="cannot read"):
        read_user_register(tmp_path / "missing.yaml")


def test_user_entries_extend_and_replace(tmp_path: Path) -> None:
    f = tmp_path / "mine.yaml"
    f.write_text(USER, encoding="utf-8")
    r = ActorRegister(user_files=(str(f),))
    assert r.search("Jane Doe")[0]["id"] == "person:jane-doe"
    assert r.describe("org:viasna")["name"] == "Centre Viasna"  # replaces the package's entry
    assert "person:jane-doe" not in {x["id"] for x in ActorRegister.default().search("Jane Doe")}


def test_cli_register_search() -> None:
    r = kronika("actors", "--register", "Lukashenko", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows[0]["id"] == "person:alexandre-loukachenko"


def test_cli_register_file_option_and_env(tmp_path: Path) -> None:
    f = tmp_path / "mine.yaml"
    f.write_text(USER, encoding="utf-8")
    art = " date 2025-12-13 \nLa police biélorusse a arrêté samedi Jane Doe à Minsk.\n"
    for args, env in (((f"--register-file={f}",), None), ((), {"KRONIKA_REGISTER": str(f)})):
        r = kronika("extract", "-", *args, input=art, env=env)
        assert r.returncode == 0, r.stderr
        targets = [json.loads(x)["target"] for x in r.stdout.splitlines()]
        assert any(t and t["id"] == "person:jane-doe" and t["sector"] == "OPP" for t in targets), targets
    r = kronika("extract", "-", input=art)
    assert "person:jane-doe" not in r.stdout


def test_cli_bad_register_file_is_a_usage_error(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("people: 3\n", encoding="utf-8")
    r = kronika("actors", "--register", "x", "--register-file", str(f))
    assert r.returncode == 2 and "bad.yaml" in r.stderr and "Traceback" not in r.stderr
