-- Every alias and provenance link of a tenant, as rows verify holds against the chain:
-- ('alias', entity_id, alias, NULL) and ('source', version_id, claim_id, episode_id).
SELECT 'alias', entity_id, alias, NULL FROM entity_aliases WHERE tenant = ?
UNION ALL SELECT 'source', version_id, claim_id, episode_id FROM sources WHERE tenant = ?
