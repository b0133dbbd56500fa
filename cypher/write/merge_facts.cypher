// Fact versions, MERGEd on their id, linked to their subject and object entities (written
// before them). The entity names are copied onto the version for the full-text index
// (`asof_fact_text`). A row whose subject entity is missing is dropped: the caller compares
// `written` with the number of rows.
UNWIND $rows AS row
MATCH (s:Entity {tenant: $tenant, id: row.subject_id})
OPTIONAL MATCH (o:Entity {tenant: $tenant, id: row.object_id})
MERGE (f:Fact {tenant: $tenant, version_id: row.version_id})
ON CREATE SET f += row.props, f.subject_name = s.name, f.object_name = o.name
MERGE (f)-[:SUBJECT {tenant: $tenant}]->(s)
FOREACH (object IN CASE WHEN o IS NULL THEN [] ELSE [o] END |
  MERGE (f)-[:OBJECT {tenant: $tenant}]->(object))
RETURN count(f) AS written
