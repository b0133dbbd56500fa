// Entities by id (unknown ids yield nothing); seek on the (tenant, id) uniqueness index.
UNWIND $ids AS id
MATCH (e:Entity {tenant: $tenant, id: id})
RETURN e.id AS id, e.tenant AS tenant, e.name AS name, e.type AS type, e.aliases AS aliases
