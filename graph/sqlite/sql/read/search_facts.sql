-- Ranks and filters in a CTE that carries only (pk, rank, version_id), then enriches the few
-- rows kept: the outer select list is computed for the top hits only. CROSS JOIN pins the join
-- order: the full-text match drives and versions are looked up by rowid (the other order runs
-- the full-text query once per version).
WITH hits AS (
    SELECT v.pk AS pk, bm25(facts_fts) AS rank, v.version_id AS version_id
    FROM facts_fts CROSS JOIN versions AS v ON v.pk = facts_fts.rowid
    WHERE facts_fts MATCH ? AND v.tenant = ?
      AND v.valid_from < ? AND ? < v.valid_to
      AND v.recorded_at <= ? AND ? < v.superseded_at
    ORDER BY rank, v.version_id LIMIT ?)
SELECT v.version_id, v.tenant, v.fact_key, v.subject_id, v.predicate, v.object_id,
       v.object_value, v.valid_from, v.valid_to, v.valid_from_basis, v.granularity,
       v.recorded_at, v.superseded_at, v.supersedes, v.expires_at, v.extractor, v.confidence,
       v.evidence, s.name, o.name,
       (SELECT json_group_array(DISTINCT src.episode_id) FROM sources AS src
         WHERE src.tenant = v.tenant AND src.version_id = v.version_id),
       hits.rank
FROM hits CROSS JOIN versions AS v ON v.pk = hits.pk
LEFT JOIN entities AS s ON s.tenant = v.tenant AND s.id = v.subject_id
LEFT JOIN entities AS o ON o.tenant = v.tenant AND o.id = v.object_id
ORDER BY hits.rank, hits.version_id
