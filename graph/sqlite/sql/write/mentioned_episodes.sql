-- Null episode ids are dropped by the caller, not here: "episode_id IS NOT NULL" would turn
-- these id lookups into a range scan of sources_by_episode (which, covering, tempts the
-- planner even without it; hence INDEXED BY).
SELECT episode_id FROM sources
WHERE tenant = ? AND version_id IN (SELECT value FROM json_each(?))
UNION SELECT episode_id FROM sources INDEXED BY sources_by_claim
WHERE tenant = ? AND claim_id IN (SELECT value FROM json_each(?))
UNION SELECT episode_id FROM claims
WHERE tenant = ? AND claim_id IN (SELECT value FROM json_each(?))
