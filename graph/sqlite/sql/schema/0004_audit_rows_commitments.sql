-- Erasure commitments (graph.audit): an `erased` event keeps, as JSON, the hash each erased
-- or redacted row had, so the events that wrote them stay checkable. '{}' on every other event
-- (not hashed when empty, so events written before keep their hashes).
ALTER TABLE audit_events ADD COLUMN commitments TEXT NOT NULL DEFAULT '{}';
