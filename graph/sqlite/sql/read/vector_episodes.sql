-- Candidate episode vectors for an exact scan: ingested by the known_at bound, not redacted.
SELECT e.id, m.vector FROM embeddings AS m
CROSS JOIN episodes AS e ON e.tenant = m.tenant AND e.id = m.id
WHERE m.tenant = ? AND m.model = ? AND m.kind = 'episode' AND m.dim = ?
  AND e.redacted = 0 AND e.ingested_at <= ?
