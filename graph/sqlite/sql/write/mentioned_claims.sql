SELECT claim_id FROM claims WHERE tenant = ? AND subject_id = ?
UNION SELECT claim_id FROM claims WHERE tenant = ? AND object_id = ?
