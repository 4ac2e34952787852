"""The registry's Alembic migrations (run by `tmo.registry.database.migrate`)."""
