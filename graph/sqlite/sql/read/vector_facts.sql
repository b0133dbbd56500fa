-- Candidate fact-version vectors for an exact scan, with the temporal filters of
-- read/search_facts (valid time, then transaction time): the row keys only, whose vectors the
-- store keeps in memory once read (read/vector_rows).
SELECT m.pk, v.version_id FROM embeddings AS m
CROSS JOIN versions AS v ON v.tenant = m.tenant AND v.version_id = m.id
WHERE m.tenant = ? AND m.model = ? AND m.kind = 'fact' AND m.dim = ?
  AND v.valid_from < ? AND ? < v.valid_to
  AND v.recorded_at <= ? AND ? < v.superseded_at
