DELETE FROM sources WHERE tenant = ? AND claim_id IN (SELECT value FROM json_each(?))
