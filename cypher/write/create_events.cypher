// Append audit events (CREATE, never MERGE: the (tenant, seq) uniqueness constraint makes a
// second event with the same seq fail instead of forking the chain) and move the head's hint.
UNWIND $rows AS row
CREATE (e:AuditEvent {tenant: $tenant, seq: row.seq})
SET e += row.props
WITH max(row.seq) AS last, count(e) AS written
MATCH (h:AuditHead {tenant: $tenant})
SET h.seq = last
RETURN written
