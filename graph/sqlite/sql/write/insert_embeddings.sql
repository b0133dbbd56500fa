-- Derived rows: a vector already stored for (model, kind, id) is kept (the same text under the
-- same model gives the same vector), so re-running an ingest or a reindex changes nothing.
INSERT OR IGNORE INTO embeddings (tenant, model, kind, id, dim, vector) VALUES (?, ?, ?, ?, ?, ?)
