-- Candidate fact-version vectors for an exact scan, with the temporal filters of
-- read/search_facts (valid time, then transaction time).
SELECT v.version_id, m.vector FROM embeddings AS m
CROSS JOIN versions AS v ON v.tenant = m.tenant AND v.version_id = m.id
WHERE m.tenant = ? AND m.model = ? AND m.kind = 'fact' AND m.dim = ?
  AND v.valid_from < ? AND ? < v.valid_to
  AND v.recorded_at <= ? AND ? < v.superseded_at
