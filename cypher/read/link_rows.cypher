// Every alias node and provenance link of a tenant, as rows verify holds against the chain,
// and the facts whose copies of entity names (what the asof_fact_text index reads, outside the
// chain's content) differ from the entities'.
CALL { MATCH (a:Alias {tenant: $tenant})
       RETURN collect([a.entity_id, a.alias]) AS aliases }
CALL { MATCH (f:Fact {tenant: $tenant})-[s:SOURCE]->(c:Claim)
       RETURN collect([f.version_id, c.claim_id, s.episode_id]) AS sources }
CALL { MATCH (f:Fact {tenant: $tenant})
       OPTIONAL MATCH (s:Entity {tenant: $tenant, id: f.subject_id})
       OPTIONAL MATCH (o:Entity {tenant: $tenant, id: f.object_id})
       WITH f, s, o
       WHERE coalesce(f.subject_name, '') <> coalesce(s.name, '')
          OR coalesce(f.object_name, '') <> coalesce(o.name, '')
       RETURN collect(f.version_id) AS mismatches }
RETURN aliases, sources, mismatches
