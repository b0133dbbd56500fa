INSERT INTO audit_events (tenant, seq, at, actor, action, targets, superseded, episode_id,
                          fact_key, reason, content_hash, prev_hash, hash, signature, key_id,
                          commitments)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
