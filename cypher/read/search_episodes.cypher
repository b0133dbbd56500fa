// Full-text search over episode text, narrowed to the tenant inside Lucene ($query) and filtered
// here on the tenant, redaction and ingestion time before the limit. `seen`: see search_facts.
CALL db.index.fulltext.queryNodes('asof_episode_text', $query, {limit: $candidates})
YIELD node, score
WITH collect([node, score]) AS hits
CALL {
  WITH hits
  UNWIND hits AS hit
  WITH hit[0] AS e, hit[1] AS score
  WHERE e.tenant = $tenant AND NOT e.redacted AND e.ingested_at <= $ingested_by
  WITH e, score
  ORDER BY score DESC, e.id
  LIMIT $limit
  RETURN collect({episode: e {.*}, score: score}) AS rows
}
RETURN size(hits) AS seen, rows
