-- Vectors of erased fact versions (their sentence names the erased entity).
DELETE FROM embeddings
WHERE tenant = ? AND kind = 'fact' AND id IN (SELECT value FROM json_each(?))
