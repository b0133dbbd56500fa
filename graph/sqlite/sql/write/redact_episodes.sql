-- The episodes_fts_after_update trigger drops redacted text from the index.
UPDATE episodes SET text = '', speaker = '[erased]', metadata = '{}', redacted = 1
WHERE tenant = ? AND redacted = 0 AND id IN (SELECT value FROM json_each(?))
