-- The text and speaker of every episode of the tenant not yet redacted (erasure matches names
-- in both).
SELECT id, text, speaker FROM episodes WHERE tenant = ? AND redacted = 0
