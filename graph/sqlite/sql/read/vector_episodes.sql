-- Candidate episode vectors for an exact scan, ingested by the known_at bound, not redacted:
-- the row keys only, whose vectors the store keeps in memory once read (read/vector_rows).
SELECT m.pk, e.id FROM embeddings AS m
CROSS JOIN episodes AS e ON e.tenant = m.tenant AND e.id = m.id
WHERE m.tenant = ? AND m.model = ? AND m.kind = 'episode' AND m.dim = ?
  AND e.redacted = 0 AND e.ingested_at <= ?
