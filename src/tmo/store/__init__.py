"""The DuckDB evidence store: atomic builds and documented views."""
