-- The versions_fts_after_delete trigger removes their full-text rows.
DELETE FROM versions WHERE tenant = ? AND version_id IN (SELECT value FROM json_each(?))
