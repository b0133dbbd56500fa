SELECT id FROM episodes WHERE tenant = ? AND id IN (SELECT value FROM json_each(?))
