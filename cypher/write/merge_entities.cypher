// Entities, MERGEd on their id. Aliases are added by merge_aliases (in the order added).
UNWIND $rows AS row
MERGE (e:Entity {tenant: $tenant, id: row.id})
ON CREATE SET e.name = row.name, e.type = row.type, e.norm_name = row.norm_name, e.aliases = []
RETURN count(e) AS written
