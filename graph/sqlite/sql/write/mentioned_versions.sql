SELECT version_id FROM versions WHERE tenant = ? AND subject_id = ?
UNION SELECT version_id FROM versions WHERE tenant = ? AND object_id = ?
