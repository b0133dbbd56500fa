-- Bare version rows (no enrichment): the write rules do not need names or episode ids.
SELECT v.version_id, v.tenant, v.fact_key, v.subject_id, v.predicate, v.object_id,
       v.object_value, v.valid_from, v.valid_to, v.valid_from_basis, v.granularity,
       v.recorded_at, v.superseded_at, v.supersedes, v.expires_at, v.extractor, v.confidence,
       v.evidence, NULL, NULL, NULL
FROM versions AS v
WHERE v.tenant = ? AND v.subject_id = ? AND v.predicate = ? AND v.superseded_at = ?
ORDER BY v.valid_from, v.recorded_at, v.version_id
