// The migrations already applied to this database (global, not per tenant).
MATCH (m:SchemaMigration)
RETURN m.name AS name
