// Close versions in transaction time: the only change ever made to a stored version, and only
// to one still open. The caller compares `closed` with the number of ids.
UNWIND $ids AS id
MATCH (f:Fact {tenant: $tenant, version_id: id})
WHERE f.superseded_at = $open
SET f.superseded_at = $at
RETURN count(f) AS closed
