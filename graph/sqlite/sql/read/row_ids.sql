-- Every episode, claim and entity id of a tenant, by kind: what verify holds against the chain.
SELECT 'episode', id FROM episodes WHERE tenant = ?
UNION ALL SELECT 'claim', claim_id FROM claims WHERE tenant = ?
UNION ALL SELECT 'entity', id FROM entities WHERE tenant = ?
ORDER BY 1, 2
