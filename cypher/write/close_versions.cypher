// Close versions in transaction time: the only change ever made to a stored version, and only
// to one still open. Each row carries its own instant (a merged batch closes rows at the
// transaction times of the writes it merges). The caller compares `closed` with the rows.
UNWIND $rows AS row
MATCH (f:Fact {tenant: $tenant, version_id: row.id})
WHERE f.superseded_at = $open
SET f.superseded_at = row.at
RETURN count(f) AS closed
