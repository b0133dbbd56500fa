SELECT id, tenant, name, type FROM entities
WHERE tenant = ? ORDER BY name, id LIMIT ? OFFSET ?
