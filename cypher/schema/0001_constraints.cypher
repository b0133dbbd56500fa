// 0001_constraints: identity of every node that has one.
// Community Edition has uniqueness constraints only (no node keys, no existence constraints), so
// the writer guarantees presence; uniqueness of (tenant, id) is enforced here, and each
// constraint's index also serves lookups by id.
CREATE CONSTRAINT asof_episode_id IF NOT EXISTS
FOR (n:Episode) REQUIRE (n.tenant, n.id) IS UNIQUE;
CREATE CONSTRAINT asof_entity_id IF NOT EXISTS
FOR (n:Entity) REQUIRE (n.tenant, n.id) IS UNIQUE;
CREATE CONSTRAINT asof_alias_id IF NOT EXISTS
FOR (n:Alias) REQUIRE (n.tenant, n.entity_id, n.alias) IS UNIQUE;
CREATE CONSTRAINT asof_claim_id IF NOT EXISTS
FOR (n:Claim) REQUIRE (n.tenant, n.claim_id) IS UNIQUE;
CREATE CONSTRAINT asof_fact_id IF NOT EXISTS
FOR (n:Fact) REQUIRE (n.tenant, n.version_id) IS UNIQUE;
// (tenant, seq) unique: two writers can never both append seq N (the chain cannot fork).
CREATE CONSTRAINT asof_audit_event_seq IF NOT EXISTS
FOR (n:AuditEvent) REQUIRE (n.tenant, n.seq) IS UNIQUE;
CREATE CONSTRAINT asof_audit_head_tenant IF NOT EXISTS
FOR (n:AuditHead) REQUIRE n.tenant IS UNIQUE;
CREATE CONSTRAINT asof_schema_migration_name IF NOT EXISTS
FOR (n:SchemaMigration) REQUIRE n.name IS UNIQUE;
