"""Shared fixtures. ../shared (eval data, reference) sits beside the repository; tests that
read it are skipped when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_999dded07df95737.txt"
EXAMPLE_SEED = ROOT / "examples" / "000_999dded07df95737.txt"
FR_DEV = SHARED / "eval" / "fr-dev.jsonl"
FR_TRAIN = SHARED / "eval" / "fr-train.jsonl"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return EXAMPLE_SEED


@pytest.fixture(scope="session")
def seed_events():
    """Events of the reference article, extracted once per session."""
    from kronika.pipeline import extract_article
    from kronika.reader import read_path

    items = list(read_path(EXAMPLE_SEED))
    art = next(i for i in items if hasattr(i, "text"))
    return extract_article(art).events
