"""The diaspora registry (docs/registry.md): citizens abroad register with their country's
missions. Personal data lives in its own transactional database (SQLite by default,
PostgreSQL in production), never in the statistics store; only suppressed aggregates
(`tmo.registry.aggregates`) leave it."""
