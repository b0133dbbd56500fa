INSERT OR IGNORE INTO entities (tenant, id, name, type, norm_name) VALUES (?, ?, ?, ?, ?)
