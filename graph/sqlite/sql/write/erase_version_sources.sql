DELETE FROM sources WHERE tenant = ? AND version_id IN (SELECT value FROM json_each(?))
