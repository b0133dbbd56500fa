-- 0001_initial: the bitemporal schema of the SQLite adapter.
--
-- Every table but schema_migrations carries `tenant`, and every statement filters on it.
-- Instants are INTEGER microseconds since the Unix epoch (graph.instants). Open ends are stored
-- as sentinels, never NULL, so range predicates need no NULL logic:
--   valid_from      -4611686018427387904 (MIN_US) = since the unbounded past
--   valid_to, superseded_at, expires_at
--                    4611686018427387904 (MAX_US) = until further notice / current / never
--   ingested_at     MIN_US = not recorded
-- Tables behind full-text indexes have an explicit INTEGER PRIMARY KEY (`pk`) so that their
-- rowids survive VACUUM (the FTS rows point at them).

CREATE TABLE IF NOT EXISTS episodes (
    pk              INTEGER PRIMARY KEY,
    tenant          TEXT    NOT NULL,
    id              TEXT    NOT NULL,
    conversation_id TEXT    NOT NULL,
    speaker         TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    occurred_at     INTEGER NOT NULL,
    text            TEXT    NOT NULL,
    ingested_at     INTEGER NOT NULL,
    metadata        TEXT    NOT NULL DEFAULT '{}',
    redacted        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tenant, id)
);

CREATE TABLE IF NOT EXISTS entities (
    tenant    TEXT NOT NULL,
    id        TEXT NOT NULL,
    name      TEXT NOT NULL,
    type      TEXT NOT NULL,
    norm_name TEXT NOT NULL,
    PRIMARY KEY (tenant, id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS entities_by_norm_name ON entities (tenant, norm_name);

CREATE INDEX IF NOT EXISTS entities_by_name ON entities (tenant, name, id);

-- pk keeps the order aliases were added in.
CREATE TABLE IF NOT EXISTS entity_aliases (
    pk         INTEGER PRIMARY KEY,
    tenant     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    alias      TEXT NOT NULL,
    norm_alias TEXT NOT NULL,
    UNIQUE (tenant, entity_id, alias)
);

CREATE INDEX IF NOT EXISTS entity_aliases_by_norm_alias ON entity_aliases (tenant, norm_alias);

CREATE TABLE IF NOT EXISTS claims (
    pk            INTEGER PRIMARY KEY,
    tenant        TEXT    NOT NULL,
    claim_id      TEXT    NOT NULL,
    subject_id    TEXT    NOT NULL,
    predicate     TEXT    NOT NULL,
    object_key    TEXT    NOT NULL,
    object_id     TEXT,
    object_value  TEXT,
    retraction    INTEGER NOT NULL,
    valid_from    INTEGER NOT NULL,
    valid_to      INTEGER NOT NULL,
    basis         TEXT    NOT NULL,
    granularity   TEXT,
    observed_at   INTEGER NOT NULL,
    episode_id    TEXT,
    recorded_at   INTEGER NOT NULL,
    superseded_at INTEGER NOT NULL,
    confidence    REAL    NOT NULL,
    evidence      TEXT,
    extractor     TEXT    NOT NULL,
    UNIQUE (tenant, claim_id)
);

CREATE INDEX IF NOT EXISTS claims_by_subject
    ON claims (tenant, subject_id, predicate, superseded_at);

CREATE INDEX IF NOT EXISTS claims_by_object ON claims (tenant, object_id);

CREATE INDEX IF NOT EXISTS claims_by_episode ON claims (tenant, episode_id);

CREATE TABLE IF NOT EXISTS versions (
    pk               INTEGER PRIMARY KEY,
    tenant           TEXT    NOT NULL,
    version_id       TEXT    NOT NULL,
    fact_key         TEXT    NOT NULL,
    subject_id       TEXT    NOT NULL,
    predicate        TEXT    NOT NULL,
    object_id        TEXT,
    object_value     TEXT,
    valid_from       INTEGER NOT NULL,
    valid_to         INTEGER NOT NULL,
    valid_from_basis TEXT    NOT NULL,
    granularity      TEXT,
    recorded_at      INTEGER NOT NULL,
    superseded_at    INTEGER NOT NULL,
    supersedes       TEXT,
    expires_at       INTEGER NOT NULL,
    extractor        TEXT    NOT NULL,
    confidence       REAL    NOT NULL,
    evidence         TEXT,
    UNIQUE (tenant, version_id)
);

-- The as-of read path: (subject, predicate) narrows to one group, the valid_from range is
-- scanned in order and the other three temporal bounds are checked in the index, so table
-- rows are fetched only for matching versions. Also serves current_versions.
CREATE INDEX IF NOT EXISTS versions_by_subject
    ON versions (tenant, subject_id, predicate, valid_from, valid_to, recorded_at, superseded_at);

CREATE INDEX IF NOT EXISTS versions_by_fact_key ON versions (tenant, fact_key, recorded_at);

CREATE INDEX IF NOT EXISTS versions_by_object ON versions (tenant, object_id);

-- Open versions (superseded_at = MAX_US) by expiry: expired_versions and current-version scans.
CREATE INDEX IF NOT EXISTS versions_open_by_expiry ON versions (tenant, superseded_at, expires_at);

CREATE TABLE IF NOT EXISTS sources (
    tenant      TEXT    NOT NULL,
    version_id  TEXT    NOT NULL,
    claim_id    TEXT    NOT NULL,
    episode_id  TEXT,
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (tenant, version_id, claim_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS sources_by_claim ON sources (tenant, claim_id);

CREATE INDEX IF NOT EXISTS sources_by_episode ON sources (tenant, episode_id);

CREATE TABLE IF NOT EXISTS audit_events (
    tenant       TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    actor        TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    targets      TEXT    NOT NULL,
    superseded   TEXT    NOT NULL,
    episode_id   TEXT,
    fact_key     TEXT,
    reason       TEXT,
    content_hash TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    signature    TEXT,
    PRIMARY KEY (tenant, seq)
) WITHOUT ROWID;

-- Full text over episode text: external content (the text lives once, in episodes), kept in
-- sync by triggers. Redacted episodes are not indexed.
CREATE VIRTUAL TABLE IF NOT EXISTS episodes_fts USING fts5 (
    text,
    content = 'episodes',
    content_rowid = 'pk',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER IF NOT EXISTS episodes_fts_after_insert AFTER INSERT ON episodes
WHEN new.redacted = 0
BEGIN
    INSERT INTO episodes_fts (rowid, text) VALUES (new.pk, new.text);
END;

CREATE TRIGGER IF NOT EXISTS episodes_fts_after_delete AFTER DELETE ON episodes
WHEN old.redacted = 0
BEGIN
    INSERT INTO episodes_fts (episodes_fts, rowid, text) VALUES ('delete', old.pk, old.text);
END;

CREATE TRIGGER IF NOT EXISTS episodes_fts_after_update AFTER UPDATE OF text, redacted ON episodes
BEGIN
    INSERT INTO episodes_fts (episodes_fts, rowid, text)
        SELECT 'delete', old.pk, old.text WHERE old.redacted = 0;
    INSERT INTO episodes_fts (rowid, text) SELECT new.pk, new.text WHERE new.redacted = 0;
END;

-- Full text over facts: subject name, predicate, object name or literal value, evidence.
-- rowid = versions.pk. The adapter fills it with one INSERT ... SELECT per write batch rather
-- than a per-row trigger: FTS5 flushes its pending terms at every statement savepoint, and a
-- trigger runs one per row, which makes bulk writes several times slower. Deletes and the
-- evidence redaction are rare and follow by trigger.
CREATE VIRTUAL TABLE IF NOT EXISTS facts_fts USING fts5 (
    subject,
    predicate,
    object,
    evidence,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER IF NOT EXISTS versions_fts_after_delete AFTER DELETE ON versions
BEGIN
    DELETE FROM facts_fts WHERE rowid = old.pk;
END;

-- Erasure drops the evidence of surviving versions that quoted a redacted episode.
CREATE TRIGGER IF NOT EXISTS versions_fts_after_evidence AFTER UPDATE OF evidence ON versions
BEGIN
    UPDATE facts_fts SET evidence = new.evidence WHERE rowid = new.pk;
END;
