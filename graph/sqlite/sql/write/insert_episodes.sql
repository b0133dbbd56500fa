INSERT OR IGNORE INTO episodes (tenant, id, conversation_id, speaker, role, occurred_at,
                                text, ingested_at, metadata, redacted)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
