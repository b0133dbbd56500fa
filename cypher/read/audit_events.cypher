// Audit events with $start_seq <= seq <= $end_seq, in order; range seek on the (tenant, seq)
// uniqueness index.
MATCH (e:AuditEvent {tenant: $tenant})
WHERE e.seq >= $start_seq AND e.seq <= $end_seq
RETURN e {.*} AS event
ORDER BY e.seq
