-- Surviving rows that quoted a redacted episode lose the quote (the only change to a stored
-- row besides superseded_at; versions_fts_after_evidence follows it).
UPDATE versions SET evidence = NULL
WHERE tenant = ? AND version_id IN (SELECT value FROM json_each(?)) AND evidence IS NOT NULL
