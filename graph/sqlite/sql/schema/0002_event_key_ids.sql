-- Key rotation: each signed event names the key it was signed with (graph.audit.key_id).
-- Events written before have NULL here and keep their hashes (the key id is hashed only
-- when present).
ALTER TABLE audit_events ADD COLUMN key_id TEXT;
