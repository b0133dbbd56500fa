-- Vectors are computed from text: those of redacted episodes go with the text.
DELETE FROM embeddings
WHERE tenant = ? AND kind = 'episode' AND id IN (SELECT value FROM json_each(?))
