"""Storage in a real DuckDB file: idempotence, updates, queries, export."""

from __future__ import annotations

import json

import duckdb
import pyarrow.parquet as pq
import pytest

from kronika.ingest import ingest
from kronika.store import EventFilter, Store

ART = " date 2025-03-04 La police kényane a arrêté mardi à Nairobi douze manifestants qui protestaient contre la hausse des taxes."


@pytest.fixture()
def corpus(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(ART, encoding="utf-8")
    (d / "b.txt").write_text(" date 2025-03-07 Le président français Emmanuel Macron a rencontré jeudi à Paris "
                             "le Premier ministre indien.", encoding="utf-8")
    return d


def test_ingest_twice_changes_nothing(tmp_path, corpus):
    db = tmp_path / "k.duckdb"
    r1 = ingest([corpus], db=db)
    assert r1.ingested == 2 and r1.failed == 0 and r1.events > 0
    n = Store(db, read_only=True).summary()
    r2 = ingest([corpus], db=db)
    assert r2.ingested == 0 and r2.unchanged == 2
    assert Store(db, read_only=True).summary() == n


def test_changed_text_replaces_events(tmp_path, corpus):
    db = tmp_path / "k.duckdb"
    ingest([corpus], db=db)
    (corpus / "a.txt").write_text(" date 2025-03-04 L'armée a bombardé jeudi la ville de Goma.", encoding="utf-8")
    r = ingest([corpus], db=db)
    assert r.updated == 1 and r.unchanged == 1
    st = Store(db, read_only=True)
    evs = st.events(EventFilter(article_id="a"))
    assert all("Goma" in e["sentence"] for e in evs)
    art = st.article("a")
    assert "Goma" in art["text"] and art["n_events"] == len(evs)


def test_queries_and_provenance(tmp_path, corpus):
    db = tmp_path / "k.duckdb"
    ingest([corpus], db=db)
    st = Store(db, read_only=True)
    arrests = st.events(EventFilter(root="17"))
    assert arrests, "the arrest was not stored"
    e = arrests[0]
    assert e["source"]["country"] == "KEN" and e["source"]["sector"] == "COP"
    assert e["date"] == "2025-03-04" and e["quantity"] == 12
    assert e["location"]["place"] == "Nairobi"
    body = st.article("a")["text"]
    assert body[e["start"]:e["end"]] == e["sentence"]
    assert st.events(EventFilter(actor="KEN", since="2025-03-01", until="2025-03")) != []
    assert st.events(EventFilter(actor="KEN", since="2025-04-01")) == []
    assert st.count_events(EventFilter(text="Nairobi")) >= 1
    meet = st.events(EventFilter(root="04"))
    assert meet and meet[0]["source"]["country"] == "FRA" and meet[0]["target"]["country"] == "IND"
    actors = st.actors()
    assert any(a["country"] == "KEN" and a["n_events"] >= 1 for a in actors)
    stats = st.stats(actor="FRA", partner="IND")
    assert stats and stats[0]["month"] == "2025-03" and stats[0]["n_events"] >= 1


def test_export_formats(tmp_path, corpus):
    db = tmp_path / "k.duckdb"
    ingest([corpus], db=db)
    st = Store(db, read_only=True)
    n = st.count_events()
    assert st.export(tmp_path / "e.csv", "csv") == n
    assert st.export(tmp_path / "e.jsonl", "jsonl") == n
    assert st.export(tmp_path / "e.parquet", "parquet") == n
    rows = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == n and rows[0]["cameo"]
    assert pq.read_table(tmp_path / "e.parquet").num_rows == n
    assert (tmp_path / "e.csv").read_text(encoding="utf-8").splitlines()[0].startswith('"event_id"')
    with pytest.raises(ValueError):
        st.export(tmp_path / "e.xml", "xml")


def test_read_only_store_cannot_write(tmp_path, corpus):
    db = tmp_path / "k.duckdb"
    ingest([corpus], db=db)
    with Store(db, read_only=True).connect() as con:
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM events")
    with pytest.raises(FileNotFoundError):
        Store(tmp_path / "missing.duckdb", read_only=True).events()


def test_actor_filter_terms_from_the_register():
    """Issue 14 item 5: register names in any language stand for their countries and ids."""
    from kronika.store import EventFilter

    for words, code in (("Etats-Unis", "USA"), ("United States", "USA"), ("bielorussie", "BLR"), ("Belarus", "BLR")):
        codes, _ = EventFilter(actor=words).actor_terms()
        assert code in codes, (words, codes)
    _, ids = EventFilter(actor="Lukashenko").actor_terms()
    assert ids == ["person:alexandre-loukachenko"]
