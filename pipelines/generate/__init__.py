"""The sample-data generator (`reach generate`): realistic deliveries in the export format.

    from pipelines.generate import generate_sample
    manifest = generate_sample(Path("out"), clients=3000, months=12, start=date(2022, 8, 1), seed=1)
    manifest.delivery_paths()   # folders / zips in load order
    manifest.irregularities     # every injected irregularity (messy=True), see docs/sample-data.md

Modules: distributions (weights and their sources), clients, activities, history (repeats,
corrections, retractions), render (codes -> Czech text), messiness, writers, manifest,
raw_export (fake identifiers for the pseudonymiser), sample (the orchestration).
"""

from pipelines.generate.manifest import MANIFEST_NAME, DeliveryEntry, FileEntry, Irregularity, Manifest, Revision
from pipelines.generate.sample import generate_sample

__all__ = [
    "MANIFEST_NAME", "DeliveryEntry", "FileEntry", "Irregularity", "Manifest", "Revision", "generate_sample",
]
