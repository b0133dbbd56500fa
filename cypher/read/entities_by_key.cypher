// Entities whose normalised name or a normalised alias is one of $keys; seeks on
// (tenant, norm_name) and (tenant, norm_alias).
UNWIND $keys AS key
CALL {
  WITH key
  MATCH (e:Entity {tenant: $tenant, norm_name: key})
  RETURN e
  UNION
  WITH key
  MATCH (a:Alias {tenant: $tenant, norm_alias: key})
  MATCH (e:Entity {tenant: $tenant, id: a.entity_id})
  RETURN e
}
WITH DISTINCT e
RETURN e.id AS id, e.tenant AS tenant, e.name AS name, e.type AS type, e.aliases AS aliases
ORDER BY name, id
