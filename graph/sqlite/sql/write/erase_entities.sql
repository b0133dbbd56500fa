DELETE FROM entities WHERE tenant = ? AND id IN (SELECT value FROM json_each(?))
