SELECT e.id, e.tenant, e.conversation_id, e.speaker, e.role, e.occurred_at, e.text,
       e.ingested_at, e.metadata, e.redacted, bm25(episodes_fts) AS rank
FROM episodes_fts CROSS JOIN episodes AS e ON e.pk = episodes_fts.rowid
WHERE episodes_fts MATCH ? AND e.tenant = ? AND e.redacted = 0 AND e.ingested_at <= ?
ORDER BY rank, e.id LIMIT ?
