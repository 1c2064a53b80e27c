"""The zoomable offline map (issue 14 item 12): geometry for an SVG the browser zooms and pans
by changing its viewBox (static/explorer.js), with circles clustered per zoom level.

The whole world is drawn once in an equirectangular projection (``WIDTH`` × ``HEIGHT`` user
units, country outlines from kronika/data/world.json); the initial viewBox is the events'
extent. At zoom ``z`` (world width / viewBox width) a circle of ``r`` pixels is ``r / z``
units. For each zoom level ``L`` (powers of two) places whose circles would overlap at
zoom ``L`` are merged into one cluster (connected components of the overlap graph, repeated
until none overlap); as ``L ≤ z < 2L`` while a level is shown, circles of distinct clusters
never overlap on screen. Each cluster links to the event table filtered to the box of its
places (``bbox``). Pure functions: no database, no HTTP."""

from __future__ import annotations

import math
from typing import Any, Sequence

from .views import WORLD, Extent, goldstein_colour, place_labels

WIDTH, HEIGHT = 1000.0, 500.0
MAX_LEVEL = 64
MARGIN = 0.001  # degrees around a place (locations are rounded to 3 decimals)


def radius(n: int) -> float:
    """Screen radius (px) of a circle for ``n`` events: area grows with n."""
    return round(4 + 3.2 * math.sqrt(max(n, 0)), 1)


def _project(lon: float, lat: float) -> tuple[float, float]:
    return WORLD.project(lon, lat, WIDTH, HEIGHT)


def viewbox(ext: Extent) -> tuple[float, float, float, float]:
    """The viewBox (x, y, w, h) showing ``ext`` in world units."""
    x0, y0 = _project(ext.lon0, ext.lat1)
    x1, y1 = _project(ext.lon1, ext.lat0)
    return (x0, y0, round(x1 - x0, 1), round(y1 - y0, 1))


def _merge(places: list[dict], level: float) -> list[list[int]]:
    """Groups of place indices whose circles overlap at zoom ``level`` (repeated until no two
    groups overlap)."""
    groups = [[i] for i in range(len(places))]
    while True:
        stats = []
        for g in groups:
            n = sum(places[i]["n"] for i in g)
            x = sum(places[i]["x"] * places[i]["n"] for i in g) / max(n, 1)
            y = sum(places[i]["y"] * places[i]["n"] for i in g) / max(n, 1)
            stats.append((x, y, radius(n) / level))
        parent = list(range(len(groups)))

        def find(a: int) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        merged = False
        for a in range(len(groups)):
            xa, ya, ra = stats[a]
            for b in range(a + 1, len(groups)):
                xb, yb, rb = stats[b]
                if abs(xa - xb) < ra + rb and abs(ya - yb) < ra + rb and math.hypot(xa - xb, ya - yb) < ra + rb:
                    pa, pb = find(a), find(b)
                    if pa != pb:
                        parent[max(pa, pb)] = min(pa, pb)
                        merged = True
        if not merged:
            return groups
        out: dict[int, list[int]] = {}
        for k, g in enumerate(groups):
            out.setdefault(find(k), []).extend(g)
        groups = sorted((sorted(g) for g in out.values()), key=lambda g: g[0])


def _cluster(places: list[dict], members: list[int], level: float, link: Any) -> dict:
    ps = [places[i] for i in members]
    n = sum(p["n"] for p in ps)
    gw = [(p["g"], p["n"]) for p in ps if p["g"] is not None]
    mean = round(sum(g * w for g, w in gw) / sum(w for _, w in gw), 2) if gw else None
    x = sum(p["x"] * p["n"] for p in ps) / max(n, 1)
    y = sum(p["y"] * p["n"] for p in ps) / max(n, 1)
    lons, lats = [p["lon"] for p in ps], [p["lat"] for p in ps]
    bbox = (f"{min(lons) - MARGIN:.4f},{min(lats) - MARGIN:.4f},"
            f"{max(lons) + MARGIN:.4f},{max(lats) + MARGIN:.4f}")
    big = max(ps, key=lambda p: p["n"])
    label = big["label"] if len(ps) == 1 else f"{big['label']} +{len(ps) - 1}"
    where = big["label"] if len(ps) == 1 else f"{len(ps)} places ({', '.join(p['label'] for p in ps[:4])}{'…' if len(ps) > 4 else ''})"
    return {
        "x": round(x, 2), "y": round(y, 2), "r": round(radius(n) / level, 3), "rpx": radius(n), "n": n, "k": len(ps),
        "colour": goldstein_colour(mean), "label": label, "bbox": bbox, "places": [p["i"] for p in ps],
        "tip": f"{where}: {n} event{'s' if n != 1 else ''}, mean Goldstein {mean if mean is not None else '—'}",
        "link": link.with_(bbox=bbox, offset=None),
    }


def levels(locations: Sequence[dict], link: Any, start: float = 1.0) -> list[dict]:
    """Zoom levels 1, 2, 4 … (from the power of two at or below ``start`` / 2, up to the first
    level where every place is its own circle, at most ``MAX_LEVEL``), each with its clusters
    (biggest first; labels placed where they fit, font size in the level's units)."""
    places = []
    for i, loc in enumerate(locations):
        if loc.get("lat") is None or loc.get("lon") is None:
            continue
        x, y = _project(float(loc["lon"]), float(loc["lat"]))
        label = loc.get("place") or loc.get("country") or "?"
        if loc.get("place") and loc.get("country"):
            label = f"{loc['place']} ({loc['country']})"
        places.append({"i": i, "x": x, "y": y, "n": int(loc.get("n_events") or 0), "g": loc.get("mean_goldstein"),
                       "lon": float(loc["lon"]), "lat": float(loc["lat"]), "label": label})
    out: list[dict] = []
    level = 2 ** max(0, math.floor(math.log2(max(start, 1.0))) - 1)
    while True:
        groups = _merge(places, level)
        clusters = sorted((_cluster(places, g, level, link) for g in groups), key=lambda c: -c["n"])
        # labels: the biggest clusters first, where they fit (sizes in this level's units)
        top = clusters[:40]
        place_labels(top, WIDTH, HEIGHT, char_w=6.6 / level, line_h=14 / level)
        for c in clusters[40:]:
            c["show"] = False
        out.append({"z": level, "clusters": clusters, "font": round(12 / level, 3)})
        if len(groups) == len(places) or level >= MAX_LEVEL:
            return out
        level *= 2


def pick(levels_: Sequence[dict], z: float) -> float:
    """The level shown at zoom ``z``: the largest at or below it (the first one below them all)."""
    shown = levels_[0]["z"] if levels_ else 1
    for lv in levels_:
        if lv["z"] <= z + 1e-9:
            shown = lv["z"]
    return shown
