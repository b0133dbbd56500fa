SELECT id FROM entities
WHERE tenant = ? AND norm_name IN (SELECT value FROM json_each(?))
UNION SELECT entity_id FROM entity_aliases
WHERE tenant = ? AND norm_alias IN (SELECT value FROM json_each(?))
