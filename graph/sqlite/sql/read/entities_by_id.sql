-- Not ordered here: an ORDER BY would make SQLite walk entities_by_name over the whole
-- tenant; the caller sorts the few rows.
SELECT id, tenant, name, type FROM entities
WHERE tenant = ? AND id IN (SELECT value FROM json_each(?))
