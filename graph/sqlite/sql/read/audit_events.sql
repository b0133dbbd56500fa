SELECT seq, tenant, at, actor, action, targets, superseded, episode_id, fact_key, reason,
       content_hash, prev_hash, hash, signature, key_id, commitments
FROM audit_events
WHERE tenant = ? AND seq BETWEEN ? AND ? ORDER BY seq
