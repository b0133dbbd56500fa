SELECT v.version_id, v.tenant, v.fact_key, v.subject_id, v.predicate, v.object_id,
       v.object_value, v.valid_from, v.valid_to, v.valid_from_basis, v.granularity,
       v.recorded_at, v.superseded_at, v.supersedes, v.expires_at, v.extractor, v.confidence,
       v.evidence, s.name, o.name,
       (SELECT json_group_array(DISTINCT src.episode_id) FROM sources AS src
         WHERE src.tenant = v.tenant AND src.version_id = v.version_id)
FROM versions AS v
LEFT JOIN entities AS s ON s.tenant = v.tenant AND s.id = v.subject_id
LEFT JOIN entities AS o ON o.tenant = v.tenant AND o.id = v.object_id
WHERE v.tenant = ? AND v.version_id IN (SELECT value FROM json_each(?))
