-- Deduplicated by the caller: DISTINCT here makes SQLite walk the primary key instead.
SELECT version_id FROM sources WHERE tenant = ? AND episode_id IN (SELECT value FROM json_each(?))
