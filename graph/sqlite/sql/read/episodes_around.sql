-- The episodes at most the given number of places before and after one episode in its
-- conversation (ordered by occurred_at, then id), ingested by the given instant, erased ones
-- left out. Each half walks episodes_by_conversation from the episode's place and stops at its
-- limit (no sort: the index is the order). Parameters, for each half: tenant, conversation id,
-- occurred_at, id, ingested_by, places.
SELECT * FROM (
    SELECT id, tenant, conversation_id, speaker, role, occurred_at, text, ingested_at,
           metadata, redacted
    FROM episodes
    WHERE tenant = ? AND conversation_id = ? AND (occurred_at, id) < (?, ?)
      AND redacted = 0 AND ingested_at <= ?
    ORDER BY occurred_at DESC, id DESC LIMIT ?
)
UNION ALL
SELECT * FROM (
    SELECT id, tenant, conversation_id, speaker, role, occurred_at, text, ingested_at,
           metadata, redacted
    FROM episodes
    WHERE tenant = ? AND conversation_id = ? AND (occurred_at, id) > (?, ?)
      AND redacted = 0 AND ingested_at <= ?
    ORDER BY occurred_at, id LIMIT ?
)
