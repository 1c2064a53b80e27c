"""Country outlines for the offline map: ``kronika/data/world.json`` (Natural Earth, public
domain, simplified; built by ``scripts/build_world.py``) drawn as one SVG path."""

from __future__ import annotations

from functools import lru_cache

from ..places import WORLD


@lru_cache(maxsize=1)
def _rings() -> tuple[tuple[tuple[float, float, float, float], tuple[tuple[float, float], ...]], ...]:
    """Every outline ring with its bounding box (lon0, lon1, lat0, lat1); empty without the file."""
    import json

    try:
        data = json.loads(WORLD.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    out = []
    for c in data.get("countries", {}).values():
        for ring in c.get("rings", []):
            pts = tuple((float(x), float(y)) for x, y in ring)
            lons, lats = [p[0] for p in pts], [p[1] for p in pts]
            out.append(((min(lons), max(lons), min(lats), max(lats)), pts))
    return tuple(out)


def has_outlines() -> bool:
    return bool(_rings())


def borders_path(ext, width: float, height: float) -> str:
    """The SVG path ("M…L…Z" per ring) of the country outlines that cross the extent ``ext``
    (a kronika.server.views.Extent), projected like the event circles."""
    parts = []
    for (lo0, lo1, la0, la1), pts in _rings():
        if lo1 < ext.lon0 or lo0 > ext.lon1 or la1 < ext.lat0 or la0 > ext.lat1:
            continue
        xy = [ext.project(lon, lat, width, height) for lon, lat in pts]
        parts.append("M" + "L".join(f"{x} {y}" for x, y in xy) + "Z")
    return "".join(parts)


@lru_cache(maxsize=4)
def world_path(width: float, height: float) -> str:
    """``borders_path`` of the whole world (cached: the zoomable map draws every country)."""
    from .views import WORLD as WORLD_EXTENT

    return borders_path(WORLD_EXTENT, width, height)
