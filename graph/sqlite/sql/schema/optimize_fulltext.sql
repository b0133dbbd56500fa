-- Deleting from FTS5 leaves the old terms in index segments until they merge; merging after
-- an erasure removes the erased words from the file, not only from results. FTS5 commands
-- name no tenant: they act on the whole index.
INSERT INTO facts_fts (facts_fts) VALUES ('optimize');
INSERT INTO episodes_fts (episodes_fts) VALUES ('optimize');
