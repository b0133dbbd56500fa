-- The bookkeeping table of applied migrations (created before any migration runs).
CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)
