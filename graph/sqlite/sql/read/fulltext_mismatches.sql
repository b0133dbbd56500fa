-- Versions whose facts_fts row is missing or differs from what write/index_facts would index
-- for them now (subject name, predicate, object name or value, evidence): an edited index.
SELECT v.version_id
FROM versions AS v
LEFT JOIN entities AS s ON s.tenant = v.tenant AND s.id = v.subject_id
LEFT JOIN entities AS o ON o.tenant = v.tenant AND o.id = v.object_id
LEFT JOIN facts_fts AS f ON f.rowid = v.pk
WHERE v.tenant = ?
  AND (f.rowid IS NULL OR f.subject IS NOT s.name OR f.predicate IS NOT v.predicate
       OR f.object IS NOT coalesce(o.name, v.object_value) OR f.evidence IS NOT v.evidence)
ORDER BY v.version_id
