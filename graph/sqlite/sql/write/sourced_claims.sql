SELECT claim_id FROM claims WHERE tenant = ? AND episode_id IN (SELECT value FROM json_each(?))
