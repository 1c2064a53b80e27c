"""Plain-language messages for bad parameters (issue 14 item 11): the words of the CLI's
checks (``kronika/validate.py``) instead of pydantic's regular expressions, and what an error
page needs to show the user's form again with their values."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Callable

from .. import validate as v

CHECKS: dict[str, Callable[[str], Any]] = {
    "since": lambda x: v.check_date(x, "since"),
    "until": lambda x: v.check_date(x, "until"),
    "root": v.check_root,
    "code": v.check_code,
    "country": v.check_country,
    "modality": v.check_modality,
    "order": v.check_order,
    "bbox": v.check_bbox,
}
WORDS = {
    "quad_class": "QuadClass {v!r} does not exist: give 1 (verbal cooperation) … 4 (material conflict)",
    "limit": "page size {v!r} is not accepted: give a whole number from 1 to 1000",
    "offset": "offset {v!r} is not accepted: give a whole number, 0 or more",
    "min_articles": "min_articles {v!r} is not accepted: give a whole number from 1 to 1000",
    "lang": "language {v!r} is not a language code: give two or three letters (fr, en)",
    "extent": "extent {v!r} is not accepted: give fit or world",
    "format": "format {v!r} is not accepted: give json, csv or jsonl",
    "min_confidence": "min_confidence {v!r} is not accepted: give a number from 0 to 1 (e.g. 0.5)",
}
TEXT_FIELDS = {"actor", "source", "target", "text", "article_id", "q", "partner", "run_id", "level"}
FORMS = {"/": "events", "/map": "map", "/corpus": "corpus", "/articles": "articles"}
FILTER_FIELDS = ("actor", "country", "source", "target", "code", "root", "quad_class", "since", "until", "text",
                 "article_id", "modality", "bbox", "min_confidence")


def plain_message(name: str, value: str | None, fallback: str | None = None) -> str:
    """What is wrong with ``name=value``, in the words of the CLI; never a regular expression."""
    if value is None:
        return f"{name} is missing" if name else (fallback or "a parameter is not accepted")
    check = CHECKS.get(name)
    if check is not None:
        try:
            check(value)
        except ValueError as exc:
            return str(exc)
        # the value passes the CLI's check but not the route's (e.g. an order the route lacks)
        return f"{name} {value!r} is not accepted here"
    if name in WORDS:
        return WORDS[name].format(v=value)
    if name in TEXT_FIELDS:
        if len(value) > 200:
            return f"{name} is too long: at most 200 characters"
        return f"{name} {value!r} is not accepted: it holds control characters (line breaks, tabs…)"
    return f"{name} {value!r} is not accepted"


def form_of(path: str) -> str | None:
    """Which filter form the page at ``path`` shows (to show it again on its error page)."""
    return FORMS.get(path)


def raw_filter(raw: dict[str, str]) -> SimpleNamespace:
    """The user's filter values as typed (even the wrong ones), for the form of an error page."""
    vals = {k: raw.get(k) or None for k in FILTER_FIELDS}
    try:
        vals["quad_class"] = int(vals["quad_class"]) if vals["quad_class"] else None
    except ValueError:
        pass
    return SimpleNamespace(**vals)


def check_filter(values: dict[str, str | None]) -> None:
    """Run the CLI's checks on the given filter values; raise FastAPI's RequestValidationError
    (a 422, with the plain message) for the first bad one."""
    from fastapi.exceptions import RequestValidationError

    bad = []
    for name, value in values.items():
        if value and name in CHECKS:
            try:
                CHECKS[name](value)
            except ValueError as exc:
                bad.append({"loc": ("query", name), "msg": str(exc), "type": "value_error", "input": value})
    if bad:
        raise RequestValidationError(bad)
