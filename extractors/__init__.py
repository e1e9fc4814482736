"""Thin extractors: find missing keys with DuckDB, fetch only those, land raw JSON as parquet."""

__version__ = "0.1.0"
