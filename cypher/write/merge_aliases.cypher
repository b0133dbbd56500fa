// Aliases: an (:Alias) node per (entity, alias) for lookups by normalised alias, and the alias
// appended to the entity's `aliases` list (read back in the order added).
UNWIND $rows AS row
MATCH (e:Entity {tenant: $tenant, id: row.entity_id})
MERGE (a:Alias {tenant: $tenant, entity_id: row.entity_id, alias: row.alias})
ON CREATE SET a.norm_alias = row.norm_alias, e.aliases = coalesce(e.aliases, []) + row.alias
RETURN count(a) AS written
