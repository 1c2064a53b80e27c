"""Issue 7.5: the HTTP API, fuzzed by schemathesis from its own OpenAPI description
(``/openapi.json``), never answers with a server error. The database is built from
examples/ once per module; requests go through the ASGI app in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("kronika.server.app")

from hypothesis import HealthCheck, settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory) -> Path:
    from kronika.ingest import ingest

    src = tmp_path_factory.mktemp("examples")
    for p in (ROOT / "examples").iterdir():
        shutil.copy(p, src / p.name)
    db = tmp_path_factory.mktemp("db") / "fuzz.duckdb"
    rep = ingest([src], db=db)
    assert rep.ok and rep.ingested >= 5 and rep.events > 0, rep.summary()
    return db


@pytest.fixture(scope="module")
def api_schema(fuzz_db):
    from kronika.server.app import create_app

    return schemathesis.openapi.from_asgi("/openapi.json", create_app(fuzz_db))


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_api_never_answers_500(case):
    response = case.call()
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} {case.query!r} -> {response.status_code}: {response.text[:500]}"
    )
