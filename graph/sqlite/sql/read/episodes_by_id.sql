SELECT id, tenant, conversation_id, speaker, role, occurred_at, text, ingested_at,
       metadata, redacted
FROM episodes
WHERE tenant = ? AND id IN (SELECT value FROM json_each(?))
