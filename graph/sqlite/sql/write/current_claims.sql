SELECT claim_id, tenant, subject_id, predicate, object_key, object_id, object_value,
       retraction, valid_from, valid_to, basis, granularity, observed_at, episode_id,
       recorded_at, superseded_at, confidence, evidence, extractor
FROM claims
WHERE tenant = ? AND subject_id = ? AND predicate = ? AND superseded_at = ?
ORDER BY recorded_at, claim_id
