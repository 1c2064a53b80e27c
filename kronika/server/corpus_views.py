"""Chart geometry for the dyad and country pages: a real time axis.

Pure functions over ``Store.dyad_series`` results. The x axis is linear in days: each month is
a bar as wide as the month (empty months present, drawn as gaps with a zero line), day-dated
reports are dots at their day, reports dated to the year only are a band over the whole year
(not piled on January), and the mean Goldstein of each month is a second line.
"""

from __future__ import annotations

from datetime import date
from typing import Any


def _ord(y: int, m: int, d: int = 1) -> int:
    return date(y, m, d).toordinal()


def _next_month(y: int, m: int) -> tuple[int, int]:
    return (y + 1, 1) if m == 12 else (y, m + 1)


def time_chart(series: dict[str, Any], width: int = 760, height: int = 240) -> dict:
    """Geometry of the monthly chart: ``bars`` (x, w, y, h, month, n, mean), ``gline`` (the
    mean-Goldstein polyline points), ``dots`` (day reports), ``bands`` (year-only reports),
    ``xticks`` (year and month labels) and ``yticks``."""
    months = series.get("months") or []
    pad_l, pad_r, pad_t, pad_b = 36, 36, 12, 36
    out: dict[str, Any] = {"width": width, "height": height, "bars": [], "dots": [], "bands": [], "xticks": [],
                           "yticks": [], "gline": "", "x0": pad_l, "base": height - pad_b, "empty": not months}
    if not months:
        return out
    y0, m0 = int(months[0]["month"][:4]), int(months[0]["month"][5:7])
    y1, m1 = _next_month(int(months[-1]["month"][:4]), int(months[-1]["month"][5:7]))
    t0, t1 = _ord(y0, m0), _ord(y1, m1)
    inner_w, inner_h = width - pad_l - pad_r, height - pad_t - pad_b
    base = height - pad_b

    def x(t: int) -> float:
        return pad_l + (t - t0) / max(t1 - t0, 1) * inner_w

    top = max([m["n_events"] for m in months] + [1])
    pts = []
    for m in months:
        y, mo = int(m["month"][:4]), int(m["month"][5:7])
        a, b = _ord(y, mo), _ord(*_next_month(y, mo))
        h = m["n_events"] / top * inner_h
        bar = {"x": round(x(a) + 0.5, 1), "w": round(max(x(b) - x(a) - 1, 0.5), 1), "y": round(base - h, 1),
               "h": round(h, 1), "month": m["month"], "n": m["n_events"], "nce": m["n_corpus_events"],
               "mean": m["mean_goldstein"], "empty": m["n_events"] == 0}
        out["bars"].append(bar)
        if m["mean_goldstein"] is not None:
            gy = pad_t + (10 - m["mean_goldstein"]) / 20 * inner_h
            pts.append(f"{(x(a) + x(b)) / 2:.1f},{gy:.1f}")
        if mo == 1 or m is months[0]:
            out["xticks"].append({"x": round(x(a), 1), "label": str(y) if mo == 1 else m["month"], "major": True})
        elif len(months) <= 24:
            out["xticks"].append({"x": round(x(a), 1), "label": f"{mo:02d}", "major": False})
    out["gline"] = " ".join(pts)
    for d in series.get("days") or []:
        try:
            t = date.fromisoformat(d["date"]).toordinal()
        except (TypeError, ValueError):
            continue
        if t0 <= t < t1:
            g = d.get("goldstein")
            gy = pad_t + (10 - (g if g is not None else 0)) / 20 * inner_h
            out["dots"].append({"x": round(x(t) + 0.5, 1), "y": round(gy, 1), "date": d["date"],
                                "quad": d.get("quad_class"), "g": g, "ce": d.get("corpus_event_id")})
    for yr in series.get("years") or []:
        try:
            a, b = _ord(int(yr["year"]), 1), _ord(int(yr["year"]) + 1, 1)
        except (TypeError, ValueError):
            continue
        a, b = max(a, t0), min(b, t1)
        if a < b:
            out["bands"].append({"x": round(x(a), 1), "w": round(x(b) - x(a), 1), "year": yr["year"],
                                 "n": yr["n_events"]})
    out["yticks"] = [{"y": round(base - v / top * inner_h, 1), "v": v} for v in sorted({0, top // 2, top})]
    out["gticks"] = [{"y": round(pad_t + (10 - g) / 20 * inner_h, 1), "v": g} for g in (10, 0, -10)]
    out["right"] = width - pad_r
    return out


def _span(value: str | None) -> tuple[int, int] | None:
    """(first day, day after the last) of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as ordinals."""
    try:
        if not value:
            return None
        y = int(value[:4])
        if len(value) >= 10:
            t = date.fromisoformat(value[:10]).toordinal()
            return t, t + 1
        if len(value) >= 7:
            m = int(value[5:7])
            return _ord(y, m), _ord(*_next_month(y, m))
        return _ord(y, 1), _ord(y + 1, 1)
    except (TypeError, ValueError):
        return None


def track_axis(timelines: list[dict], width: int = 760, height: int = 34) -> dict:
    """One shared real time axis for tracker timelines: each entry a mark where its date falls
    (a dot for a day, a bar as wide as its month or year otherwise; the publication date when
    the entry has no date of its own), with year (or month) ticks. Sets ``g["marks"]``."""
    pad_l, pad_r = 8, 8
    spans = [_span(e.get("date") or e.get("first_reported")) for g in timelines for e in g.get("entries", [])]
    spans = [s for s in spans if s]
    out = {"width": width, "height": height, "ticks": [], "empty": not spans}
    if not spans:
        return out
    t0 = date.fromordinal(min(a for a, _ in spans)).replace(day=1).toordinal()
    last = date.fromordinal(max(b for _, b in spans) - 1)
    t1 = _ord(*_next_month(last.year, last.month))
    inner = width - pad_l - pad_r

    def x(t: int) -> float:
        return round(pad_l + (t - t0) / max(t1 - t0, 1) * inner, 1)

    for g in timelines:
        g["marks"] = []
        for e in g.get("entries", []):
            own = e.get("date")
            s = _span(own or e.get("first_reported"))
            if not s:
                continue
            kind = "day" if s[1] - s[0] == 1 else ("month" if s[1] - s[0] <= 31 else "year")
            g["marks"].append({"x": x(s[0]), "w": max(round(x(s[1]) - x(s[0]), 1), 2.0), "kind": kind,
                               "stage": e.get("stage"), "date": own or e.get("first_reported"),
                               "inferred": not own, "ce": e.get("corpus_event_id")})
    y, m = date.fromordinal(t0).year, date.fromordinal(t0).month
    n_months = (last.year - y) * 12 + last.month - m + 1
    while _ord(y, m) < t1:
        if m == 1 or not out["ticks"]:
            out["ticks"].append({"x": x(_ord(y, m)), "label": str(y) if m == 1 else f"{y}-{m:02d}", "major": True})
        elif n_months <= 24:
            out["ticks"].append({"x": x(_ord(y, m)), "label": f"{m:02d}", "major": False})
        y, m = _next_month(y, m)
    return out
