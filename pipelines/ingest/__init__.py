"""Ingestion of operational exports into the raw layer (DuckDB).

`load_paths(home, paths, centre)` is the entry point; see docs/loading.md.
"""

from pipelines.ingest.loader import delivery_id, load_paths
from pipelines.ingest.report import DeliveryReport, FileReport, format_report

__all__ = ["DeliveryReport", "FileReport", "delivery_id", "format_report", "load_paths"]
