// Erasure: delete entities, their alias nodes and their relationships.
UNWIND $ids AS id
OPTIONAL MATCH (a:Alias {tenant: $tenant, entity_id: id})
WHERE a.alias IS NOT NULL
DETACH DELETE a
WITH DISTINCT id
MATCH (e:Entity {tenant: $tenant, id: id})
DETACH DELETE e
RETURN count(*) AS deleted
