// Take the tenant's write lock and read its audit head. MERGE (backed by the uniqueness
// constraint) creates the head once; the SET takes the head node's write lock, held until the
// transaction ends, so writers of one tenant run one at a time and read committed state after
// the lock. h.seq is a hint (the last seq written); the event itself is the truth. When events
// were removed behind the chain's back no event has seq >= hint: the caller falls back to
// write/latest_event.
MERGE (h:AuditHead {tenant: $tenant})
SET h.writes = coalesce(h.writes, 0) + 1
WITH h, coalesce(h.seq, 0) AS hint
OPTIONAL MATCH (e:AuditEvent {tenant: $tenant})
WHERE e.seq >= hint
WITH hint, e
ORDER BY e.seq DESC
LIMIT 1
RETURN hint, e.seq AS seq, e.hash AS hash, e.at AS at, e.signature IS NOT NULL AS signed,
       e.key_id AS key_id
