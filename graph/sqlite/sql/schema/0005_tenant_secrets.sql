-- A secret per tenant (graph.store.GraphStore._lock_head): entity ids and the rows' audit
-- hashes of a tenant created since are keyed with it, so an erasure's tombstone confirms no
-- guessed name to anyone without it. Tenants created before have none and keep plain hashes.
CREATE TABLE IF NOT EXISTS tenant_secrets (
    tenant TEXT PRIMARY KEY,
    secret BLOB NOT NULL
) WITHOUT ROWID;
