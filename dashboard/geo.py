"""The operator's optional district GeoJSON (env REACH_DISTRICTS_GEOJSON or <home>/districts.geojson).

Each feature is matched to a district code by any property holding the code (CZ0642), the ISO
code (CZ-642) or the district's name, so files from different sources work unchanged.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.reference.districts import districts, resolve_district

GEOJSON_ENV = "REACH_DISTRICTS_GEOJSON"
GEOJSON_NAME = "districts.geojson"


def geojson_path(home: Home) -> Path | None:
    chosen = os.environ.get(GEOJSON_ENV)
    if chosen:
        return Path(chosen).expanduser()
    candidate = home.root / GEOJSON_NAME
    return candidate if candidate.exists() else None


def load_district_geojson(home: Home) -> dict[str, Any] | None:
    """The GeoJSON with each matched feature's `id` set to its district code; None when not supplied."""
    path = geojson_path(home)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReachError(f"The district map {path} (from {GEOJSON_ENV}) does not exist.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ReachError(f"The district map {path} is not valid GeoJSON: {error}.") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ReachError(f"The district map {path} has no 'features' list (expected a GeoJSON FeatureCollection).")
    matched = []
    for feature in features:
        code = _district_code(feature.get("properties") or {})
        if code:
            matched.append({**feature, "id": code})
    if not matched:
        raise ReachError(
            f"No feature of the district map {path} names a district (by code such as CZ0642, ISO code "
            "CZ-642 or district name) in its properties."
        )
    return {"type": "FeatureCollection", "features": matched}


def _district_code(properties: dict[str, Any]) -> str | None:
    iso = {d.iso_code: d.code for d in districts()}
    for value in properties.values():
        if not isinstance(value, str):
            continue
        if value in iso:
            return iso[value]
        code = resolve_district(value)
        if code and code.startswith("CZ"):
            return code
    return None
