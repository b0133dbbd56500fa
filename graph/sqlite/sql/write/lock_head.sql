-- BEGIN IMMEDIATE already holds the database's write lock: nobody else can append.
SELECT seq, hash, at, signature IS NOT NULL, key_id FROM audit_events
WHERE tenant = ? ORDER BY seq DESC LIMIT 1
