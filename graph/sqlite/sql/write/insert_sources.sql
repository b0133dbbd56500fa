INSERT OR IGNORE INTO sources (tenant, version_id, claim_id, episode_id, recorded_at)
VALUES (?, ?, ?, ?, ?)
