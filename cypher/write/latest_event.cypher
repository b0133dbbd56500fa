// The tenant's latest audit event (a scan of its (tenant, seq) index entries): the fallback of
// lock_head when the head's hint points past the last event.
MATCH (e:AuditEvent {tenant: $tenant})
WHERE e.seq IS NOT NULL
RETURN e.seq AS seq, e.hash AS hash, e.at AS at, e.signature IS NOT NULL AS signed,
       e.key_id AS key_id
ORDER BY seq DESC
LIMIT 1
