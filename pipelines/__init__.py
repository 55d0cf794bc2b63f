"""Integration Reach: pipelines (sample data, pseudonymisation, ingestion, orchestration)."""
