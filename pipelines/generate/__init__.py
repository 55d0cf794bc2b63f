"""The sample-data generator (`reach generate`): realistic deliveries in the export format.

    from pipelines.generate import generate_sample
    manifest = generate_sample(Path("out"), clients=3000, months=12, start=date(2022, 8, 1), seed=1)
    manifest.delivery_paths()   # folders / zips in load order
    manifest.irregularities     # every injected irregularity (messy=True), see docs/sample-data.md
    generate_national(Path("out"), ["ULK", "LBK"])   # OUT/ULK/<month>/..., OUT/LBK/<month>/...

Modules: distributions (weights and their sources), clients, activities, history (repeats,
corrections, retractions), render (codes -> Czech text), messiness, writers, manifest,
raw_export (fake identifiers for the pseudonymiser), centres (the national sample's centres),
people (persons served by two centres), sample (the orchestration, streamed chunk by chunk).
"""

from pipelines.generate.manifest import (
    MANIFEST_NAME,
    NATIONAL_MANIFEST,
    CentreEntry,
    DeliveryEntry,
    FileEntry,
    Irregularity,
    Manifest,
    NationalManifest,
    Revision,
)
from pipelines.generate.sample import generate_national, generate_sample

__all__ = [
    "MANIFEST_NAME", "NATIONAL_MANIFEST", "CentreEntry", "DeliveryEntry", "FileEntry", "Irregularity", "Manifest",
    "NationalManifest", "Revision", "generate_national", "generate_sample",
]
