// Full-text search over fact versions. $query is a Lucene query built from escaped, quoted terms
// and narrowed to the tenant; the index returns up to $candidates hits, which are filtered here on
// the tenant and the temporal bounds (same encoding as versions_by_*) *before* the limit.
// `seen` (how many candidates the index gave) tells the caller whether asking for more
// candidates could find more matches.
CALL db.index.fulltext.queryNodes('asof_fact_text', $query, {limit: $candidates})
YIELD node, score
WITH collect([node, score]) AS hits
CALL {
  WITH hits
  UNWIND hits AS hit
  WITH hit[0] AS f, hit[1] AS score
  WHERE f.tenant = $tenant
    AND f.valid_from <= $valid_hi AND f.valid_to > $valid_lo
    AND f.recorded_at <= $known_hi AND f.superseded_at > $known_lo
  WITH f, score
  ORDER BY score DESC, f.version_id
  LIMIT $limit
  RETURN collect({version: f {.*}, score: score,
                  episode_ids: [(f)-[s:SOURCE]->() | s.episode_id]}) AS rows
}
RETURN size(hits) AS seen, rows
