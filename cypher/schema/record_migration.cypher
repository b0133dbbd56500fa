// Record one applied migration (global, not per tenant). MERGE: two processes migrating at once
// both succeed.
MERGE (m:SchemaMigration {name: $name})
ON CREATE SET m.applied_at = $applied_at
