DELETE FROM claims WHERE tenant = ? AND claim_id IN (SELECT value FROM json_each(?))
