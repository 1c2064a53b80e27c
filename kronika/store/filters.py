"""Event filters shared by ``kronika events``, ``Store.events`` and ``/api/events``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class EventFilter:
    """Filters shared by ``kronika events``, ``Store.events`` and ``/api/events``."""

    actor: str | None = None  # country code, actor id, or words of an actor's name
    country: str | None = None  # source or target country
    source: str | None = None  # source country or actor id
    target: str | None = None  # target country or actor id
    code: str | None = None  # CAMEO code prefix ("08", "0841")
    root: str | None = None  # CAMEO root ("08")
    quad_class: int | None = None
    since: str | None = None  # event date (or publication date when the event has none) >= since
    until: str | None = None
    text: str | None = None  # words in the evidence sentence
    article_id: str | None = None
    modality: str | None = None
    min_confidence: float | None = None  # events whose confidence is at least this (0–1)
    bbox: str | None = None  # "lon0,lat0,lon1,lat1": events located in the box (the map's circles)

    def actor_terms(self) -> tuple[list[str], list[str]]:
        """(country codes, actor ids) the ``actor`` words stand for in the register: every
        name or alias in any language that equals them or contains them as whole words, case
        and accents ignored ("Lukashenko", "bielorussie", "Etats-Unis", "United States")."""
        if not self.actor or not self.actor.strip():
            return [], []
        try:
            from ..actors import ActorRegister

            hits = [h for h in ActorRegister.default().search(self.actor, limit=20, cutoff=92.0)]
        except Exception:  # the register cannot load: the plain comparisons still apply
            return [], []
        codes = sorted({h["id"].split(":", 1)[1] for h in hits if h["id"].startswith("country:")})
        ids = sorted({h["id"] for h in hits})
        return codes, ids

    def where(self) -> tuple[str, list[Any]]:
        """The SQL WHERE clause and its parameters (always parameterised)."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.actor:
            a = self.actor.strip()
            codes, ids = self.actor_terms()
            codes = [a.upper()] + codes
            ids = [a] + ids
            cq, iq = ", ".join("?" * len(codes)), ", ".join("?" * len(ids))
            clauses.append(
                f"(source_country IN ({cq}) OR target_country IN ({cq}) OR source_id IN ({iq}) OR target_id IN ({iq}) "
                "OR contains(strip_accents(lower(source_name)), strip_accents(lower(?))) "
                "OR contains(strip_accents(lower(target_name)), strip_accents(lower(?))))"
            )  # contains(), not LIKE: "%" and "_" are the characters they are
            params += codes + codes + ids + ids + [a] * 2
        if self.country:
            clauses.append("(source_country = ? OR target_country = ?)")
            params += [self.country.upper(), self.country.upper()]
        if self.source:
            clauses.append("(source_country = ? OR source_id = ?)")
            params += [self.source.upper(), self.source]
        if self.target:
            clauses.append("(target_country = ? OR target_id = ?)")
            params += [self.target.upper(), self.target]
        if self.code:
            clauses.append("starts_with(cameo, ?)")
            params.append(self.code)
        if self.root:
            clauses.append("root = ?")
            params.append(self.root.zfill(2))
        if self.quad_class is not None:
            clauses.append("quad_class = ?")
            params.append(int(self.quad_class))
        if self.since:
            clauses.append("coalesce(date, published) >= ?")
            params.append(self.since)
        if self.until:
            # "2025-12" includes every day of December: compare on the prefix length
            clauses.append("substr(coalesce(date, published), 1, ?) <= ?")
            params += [len(self.until), self.until]
        if self.text:
            # "libere" finds "libéré"; "%" and "_" are literal characters
            clauses.append("contains(sentence_key, strip_accents(lower(?)))")  # folded at write time
            params.append(self.text)
        if self.article_id:
            clauses.append("article_id = ?")
            params.append(self.article_id)
        if self.modality:
            clauses.append("modality = ?")
            params.append(self.modality)
        if self.min_confidence is not None:
            clauses.append("coalesce(confidence, 1.0) >= ?")
            params.append(float(self.min_confidence))
        if self.bbox:
            lon0, lat0, lon1, lat1 = (float(v) for v in self.bbox.split(","))
            clauses.append("location_lon BETWEEN ? AND ? AND location_lat BETWEEN ? AND ?")
            params += [min(lon0, lon1), max(lon0, lon1), min(lat0, lat1), max(lat0, lat1)]
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


