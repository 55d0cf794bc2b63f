"""Ingestion of operational exports into the raw layer (DuckDB)."""
