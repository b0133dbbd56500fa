// A page of entities ordered by (name, id); seek on (tenant, name).
MATCH (e:Entity {tenant: $tenant})
WHERE e.name IS NOT NULL
RETURN e.id AS id, e.tenant AS tenant, e.name AS name, e.type AS type, e.aliases AS aliases
ORDER BY name, id
SKIP $offset
LIMIT $limit
