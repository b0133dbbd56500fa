// 0002_indexes: a range index behind every read path.
// Instants are integer microseconds; open ends are the MIN_US / MAX_US sentinels of
// graph/instants.py, never NULL, so `f.valid_to > $t` is a plain range test that cannot miss an
// open interval (a NULL would compare as NULL and drop the row), and every indexed property is
// present on every node (composite range indexes only hold nodes that have all their properties).
// Composite indexes need a predicate on every property: prefix reads add `IS NOT NULL` for the
// rest.

// The as-of path: equality on (tenant, subject, predicate), range on valid_from, the other three
// bounds filtered on the few versions of that group. Also current_versions of a group.
CREATE INDEX asof_fact_by_subject IF NOT EXISTS
FOR (f:Fact) ON (f.tenant, f.subject_id, f.predicate, f.valid_from);
CREATE INDEX asof_fact_by_fact_key IF NOT EXISTS
FOR (f:Fact) ON (f.tenant, f.fact_key);
CREATE INDEX asof_fact_by_object IF NOT EXISTS
FOR (f:Fact) ON (f.tenant, f.object_id);
CREATE INDEX asof_fact_by_value IF NOT EXISTS
FOR (f:Fact) ON (f.tenant, f.object_value);
CREATE INDEX asof_fact_by_predicate IF NOT EXISTS
FOR (f:Fact) ON (f.tenant, f.predicate);
// Current (open) versions by expiry: expired_versions.
CREATE INDEX asof_fact_open_by_expiry IF NOT EXISTS
FOR (f:Fact) ON (f.tenant, f.superseded_at, f.expires_at);

CREATE INDEX asof_claim_by_subject IF NOT EXISTS
FOR (c:Claim) ON (c.tenant, c.subject_id, c.predicate, c.superseded_at);
CREATE INDEX asof_claim_by_object IF NOT EXISTS
FOR (c:Claim) ON (c.tenant, c.object_id);
CREATE INDEX asof_claim_by_episode IF NOT EXISTS
FOR (c:Claim) ON (c.tenant, c.episode_id);

CREATE INDEX asof_entity_by_norm_name IF NOT EXISTS
FOR (e:Entity) ON (e.tenant, e.norm_name);
CREATE INDEX asof_entity_by_name IF NOT EXISTS
FOR (e:Entity) ON (e.tenant, e.name);
CREATE INDEX asof_alias_by_norm_alias IF NOT EXISTS
FOR (a:Alias) ON (a.tenant, a.norm_alias);
