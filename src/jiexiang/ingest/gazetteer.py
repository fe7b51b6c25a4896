"""Builds the geocoding gazetteer from the places registry (alleys with aliases, house numbers, landmarks)."""

from __future__ import annotations

from typing import Any

from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.geo import geometry_from_geojson
from jiexiang.domains.places.enums import AddressKind
from jiexiang.domains.places.models import Address, Alley
from jiexiang.ingest.address import Gazetteer, GazetteerAlley, GazetteerEntry, parse_house_number


def load_gazetteer(session: Session) -> Gazetteer:
    alleys = [
        GazetteerAlley(id=row.id, name=row.name, aliases=tuple(row.aliases or ()), line=_line(row.geometry))
        for row in session.execute(select(Alley.id, Alley.name, Alley.aliases, Alley.geometry))
    ]
    entries = []
    for row in session.execute(
        select(
            Address.name,
            Address.kind,
            Address.house_number,
            Address.aliases,
            Address.alley_id,
            Address.lon,
            Address.lat,
        )
    ):
        prefix, number = parse_house_number(row.house_number or row.name)
        entries.append(
            GazetteerEntry(
                name=row.name,
                point=Point(row.lon, row.lat),
                alley_id=row.alley_id,
                number=number if row.kind is not AddressKind.landmark else None,
                prefix=prefix,
                landmark=row.kind is AddressKind.landmark,
                aliases=tuple(row.aliases or ()),
            )
        )
    return Gazetteer(alleys=alleys, entries=entries)


def _line(text: str) -> Any:
    return geometry_from_geojson(text)
