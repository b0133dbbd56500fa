INSERT OR IGNORE INTO entity_aliases (tenant, entity_id, alias, norm_alias)
VALUES (?, ?, ?, ?)
