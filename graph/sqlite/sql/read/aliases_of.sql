SELECT entity_id, alias FROM entity_aliases
WHERE tenant = ? AND entity_id IN (SELECT value FROM json_each(?)) ORDER BY pk
