-- Episodes (not redacted) and fact versions that have no vector under a model: what
-- `asof reindex` embeds.
SELECT 'episode', e.id FROM episodes AS e
WHERE e.tenant = ? AND e.redacted = 0 AND NOT EXISTS (
    SELECT 1 FROM embeddings AS m
    WHERE m.tenant = e.tenant AND m.model = ? AND m.kind = 'episode' AND m.id = e.id)
UNION ALL
SELECT 'fact', v.version_id FROM versions AS v
WHERE v.tenant = ? AND NOT EXISTS (
    SELECT 1 FROM embeddings AS m
    WHERE m.tenant = v.tenant AND m.model = ? AND m.kind = 'fact' AND m.id = v.version_id)
