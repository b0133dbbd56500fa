-- 0003_embeddings: vectors of episode texts and fact renderings, per embedding model.
--
-- Derived data, like the full-text indexes: computed from stored rows by an embedding model,
-- never evidence, not covered by the audit chain, and rebuilt by `asof reindex`. A row is
-- keyed by the model that made it, so vectors of two models never mix and switching models
-- needs no migration. `kind` is 'episode' (id = episode id) or 'fact' (id = version id).
-- `vector` holds `dim` little-endian float32 values, L2-normalised (a dot product is the
-- cosine). The unique key leads with (kind, id) so that erasure finds a row's vectors under
-- every model; the scans of one model walk the tenant's rows of a kind. A rowid table, not
-- WITHOUT ROWID: vectors (1.5 kB at 384 dimensions) are large rows, which SQLite's
-- documentation advises against in WITHOUT ROWID tables.

CREATE TABLE IF NOT EXISTS embeddings (
    pk     INTEGER PRIMARY KEY,
    tenant TEXT    NOT NULL,
    model  TEXT    NOT NULL,
    kind   TEXT    NOT NULL,
    id     TEXT    NOT NULL,
    dim    INTEGER NOT NULL,
    vector BLOB    NOT NULL,
    UNIQUE (tenant, kind, id, model)
);
