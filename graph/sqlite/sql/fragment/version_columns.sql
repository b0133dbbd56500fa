-- A version row with its read-side enrichments (subject and object names, episode ids),
-- decoded by rows.version(); completed by a FROM clause and fragment/version_joins. Null
-- episode ids are dropped in Python: an "IS NOT NULL" here would steer the planner to the
-- wrong index.
SELECT v.version_id, v.tenant, v.fact_key, v.subject_id, v.predicate, v.object_id,
       v.object_value, v.valid_from, v.valid_to, v.valid_from_basis, v.granularity,
       v.recorded_at, v.superseded_at, v.supersedes, v.expires_at, v.extractor, v.confidence,
       v.evidence, s.name, o.name,
       (SELECT json_group_array(DISTINCT src.episode_id) FROM sources AS src
         WHERE src.tenant = v.tenant AND src.version_id = v.version_id)
