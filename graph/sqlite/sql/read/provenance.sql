-- The provenance links of fact versions, each with its claim's quote, and the episode it names
-- (left join: a link whose episode is missing still shows). Seeks the sources primary key, then
-- the claims' and episodes' (tenant, id) unique indexes.
SELECT s.version_id, s.episode_id, c.evidence, c.retraction,
       e.id, e.tenant, e.conversation_id, e.speaker, e.role, e.occurred_at, e.text,
       e.ingested_at, e.metadata, e.redacted
FROM sources AS s
JOIN claims AS c ON c.tenant = s.tenant AND c.claim_id = s.claim_id
LEFT JOIN episodes AS e ON e.tenant = s.tenant AND e.id = s.episode_id
WHERE s.tenant = ? AND s.version_id IN (SELECT value FROM json_each(?))
ORDER BY s.version_id, s.recorded_at, s.claim_id
