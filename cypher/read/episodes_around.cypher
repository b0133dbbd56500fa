// The episodes at most $places places before and after each episode in its conversation
// (ordered by occurred_at, then id), ingested by $ingested_by, erased ones left out: each half a
// seek on asof_episode_by_conversation with a range on occurred_at.
UNWIND $ids AS id
MATCH (a:Episode {tenant: $tenant, id: id})
CALL {
  WITH a
  MATCH (e:Episode {tenant: $tenant, conversation_id: a.conversation_id})
  WHERE e.occurred_at <= a.occurred_at AND (e.occurred_at < a.occurred_at OR e.id < a.id)
    AND NOT e.redacted AND e.ingested_at <= $ingested_by
  WITH e
  ORDER BY e.occurred_at DESC, e.id DESC
  LIMIT $places
  RETURN collect(e {.*}) AS before
}
CALL {
  WITH a
  MATCH (e:Episode {tenant: $tenant, conversation_id: a.conversation_id})
  WHERE e.occurred_at >= a.occurred_at AND (e.occurred_at > a.occurred_at OR e.id > a.id)
    AND NOT e.redacted AND e.ingested_at <= $ingested_by
  WITH e
  ORDER BY e.occurred_at, e.id
  LIMIT $places
  RETURN collect(e {.*}) AS after
}
RETURN a.id AS id, before, after
