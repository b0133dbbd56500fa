UPDATE claims SET superseded_at = ?
WHERE tenant = ? AND claim_id = ? AND superseded_at = ?
