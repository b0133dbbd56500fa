-- Closing in transaction time is the only change ever made to an existing row, and only to
-- a row that is still open.
UPDATE versions SET superseded_at = ?
WHERE tenant = ? AND version_id = ? AND superseded_at = ?
