"""Checks of user-given filter values, shared by the CLI (the API's Query patterns say the
same): each returns the value, normalised, or raises ValueError with a plain-language message."""

from __future__ import annotations

import re
from datetime import date

MODALITIES = ("asserted", "planned", "negated", "hypothetical")


def check_date(value: str, name: str = "date") -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real day or month."""
    v = (value or "").strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", v)
    ok = m is not None
    if ok:
        y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        try:
            date(y, mo, d)
        except ValueError:
            ok = False
    if not ok:
        raise ValueError(f"{name} {value!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025-12 or 2025-12-13)")
    return v


def check_root(value: str) -> str:
    """A CAMEO root 01 … 20 ("8" → "08")."""
    v = (value or "").strip()
    if not re.fullmatch(r"\d{1,2}", v) or not 1 <= int(v) <= 20:
        raise ValueError(f"CAMEO root {value!r} does not exist: give 01 … 20 (e.g. 08 for assistance)")
    return f"{int(v):02d}"


def check_code(value: str) -> str:
    """A CAMEO code or prefix: 2 to 4 digits whose root is 01 … 20."""
    v = (value or "").strip()
    if not re.fullmatch(r"\d{2,4}", v) or not 1 <= int(v[:2]) <= 20:
        raise ValueError(f"CAMEO code {value!r} is not a code: give 2 to 4 digits starting with a root 01 … 20 (e.g. 0841)")
    return v


def check_quad(value: int) -> int:
    if value not in (1, 2, 3, 4):
        raise ValueError(f"QuadClass {value} does not exist: give 1 (verbal cooperation) … 4 (material conflict)")
    return value


def check_modality(value: str) -> str:
    v = (value or "").strip().lower()
    if v not in MODALITIES:
        raise ValueError(f"modality {value!r} is not one of {', '.join(MODALITIES)}")
    return v


def check_country(value: str) -> str:
    v = (value or "").strip()
    if not re.fullmatch(r"[A-Za-z]{2,4}", v):
        raise ValueError(f"country {value!r} is not a code: give an ISO alpha-3 code such as BLR (or UNO, EUR, NATO)")
    return v.upper()


def check_order(value: str) -> str:
    """An event order: a column of ``kronika.store.SORT_KEYS``, ``-column`` for descending."""
    from .store.explore import SORT_KEYS

    v = (value or "").strip()
    if v.lstrip("-") not in SORT_KEYS or v.startswith("--"):
        raise ValueError(f"cannot sort by {value!r}: give one of {', '.join(SORT_KEYS)} (-date for newest first)")
    return v


def check_bbox(value: str) -> str:
    """A box ``lon0,lat0,lon1,lat1`` in degrees (longitudes -180…180, latitudes -90…90)."""
    parts = (value or "").split(",")
    try:
        lon0, lat0, lon1, lat1 = (float(p) for p in parts)
        ok = all(-180 <= x <= 180 for x in (lon0, lon1)) and all(-90 <= y <= 90 for y in (lat0, lat1))
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"bbox {value!r} is not a box: give lon0,lat0,lon1,lat1 in degrees (e.g. 23,51,33,57)")
    return ",".join(p.strip() for p in parts)
