"""Pure helpers of the table pages (issue 14 item 10): links that keep the current filters,
numbered pages with a page-size choice, sortable column headers, facet links and download
links. Nothing here touches the database; the templates escape everything."""

from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import urlencode

PAGE_SIZES = (25, 50, 100, 200, 500)


class Link:
    """The URL of a page with its current query; ``with_(k=v)`` changes some values (``None``
    removes one) and keeps the others, so filters survive sorting, paging and facets."""

    def __init__(self, path: str, params: dict[str, Any]):
        self.path = path
        self.params = {k: v for k, v in params.items() if v not in (None, "")}

    def with_(self, **changes: Any) -> str:
        p = dict(self.params)
        for k, v in changes.items():
            if v in (None, ""):
                p.pop(k, None)
            else:
                p[k] = v
        q = urlencode(p)
        return self.path + ("?" + q if q else "")

    def __str__(self) -> str:
        return self.with_()


def pager(total: int, limit: int, offset: int, link: Link, window: int = 2, default_limit: int = 50) -> dict:
    """Numbered pages (first, last and ``window`` around the current one, gaps as ``None``),
    previous/next links and the page-size choices, each link keeping the filters."""
    n_pages = max(1, -(-total // limit)) if total else 1
    current = offset // limit + 1
    wanted = {1, n_pages, *range(max(1, current - window), min(n_pages, current + window) + 1)}
    pages: list[dict | None] = []
    prev = 0
    for n in sorted(wanted):
        if n - prev > 1:
            pages.append(None)
        pages.append({"n": n, "current": n == current,
                      "link": link.with_(offset=(n - 1) * limit or None, limit=limit if limit != default_limit else None)})
        prev = n
    lim = limit if limit != default_limit else None
    return {
        "pages": pages if n_pages > 1 else [], "current": current, "n_pages": n_pages, "total": total,
        "first": offset + 1 if total else 0, "last": min(offset + limit, total),
        "prev": link.with_(offset=max(offset - limit, 0) or None, limit=lim) if offset > 0 else None,
        "next": link.with_(offset=offset + limit, limit=lim) if offset + limit < total else None,
        "sizes": [{"n": s, "current": s == limit, "link": link.with_(limit=s if s != default_limit else None,
                                                                      offset=None)}
                  for s in sorted({*PAGE_SIZES, limit})],
    }


def sort_headers(columns: Iterable[tuple[str, str | None, str]], order: str, link: Link,
                 default: str = "date") -> list[dict]:
    """Table headers ``(label, sort key or None, css class)``: a sortable one links to its
    ascending order, or to the descending one when it is already sorted ascending; ``dir`` is
    ``asc``/``desc`` for the current order's column."""
    out = []
    for label, key, cls in columns:
        h = {"label": label, "cls": cls, "link": None, "dir": None}
        if key:
            if order == key:
                h["dir"], target = "asc", f"-{key}"
            elif order == f"-{key}":
                h["dir"], target = "desc", key
            else:
                target = key
            h["link"] = link.with_(order=None if target == default else target, offset=None)
        out.append(h)
    return out


def facet_links(facets: dict, link: Link, flt: Any) -> dict:
    """Facet values with the link that adds (or, when chosen, removes) them as a filter."""
    root = (flt.root or "").zfill(2) if flt.root else None
    month = flt.since if flt.since and flt.since == flt.until and len(flt.since) == 7 else None
    out = {"root": [], "country": [], "month": [], "years": facets.get("years", [])}
    for f in facets.get("root", []):
        on = f["value"] == root
        out["root"].append({**f, "on": on, "link": link.with_(root=None if on else f["value"], offset=None)})
    for f in facets.get("country", []):
        on = (flt.country or "").upper() == f["value"]
        out["country"].append({**f, "on": on, "link": link.with_(country=None if on else f["value"], offset=None)})
    top = max([f["n"] for f in facets.get("month", [])] + [1])
    for f in facets.get("month", []):
        on = f["value"] == month
        v = None if on else f["value"]
        out["month"].append({**f, "on": on, "pct": round(100 * f["n"] / top),
                             "link": link.with_(since=v, until=v, offset=None)})
    return out


def downloads(api_path: str, params: dict[str, Any], page: dict[str, Any] | None = None,
              json: str | None = None) -> dict:
    """Download links of a view: ``csv`` (every row matching the filters), ``json`` (this page
    of the API answer, with ``page``'s limit/offset/order, or the detail route ``json``) and
    ``jsonl`` (every row). Templates of detail pages call it as ``dl_for``."""
    base = Link(api_path, params)
    return {"csv": Link(api_path + ".csv", params).with_(), "jsonl": Link(api_path + ".jsonl", params).with_(),
            "json": json or base.with_(**(page or {}))}
