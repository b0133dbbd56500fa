-- Copy the write-ahead log into the database and truncate it to zero bytes: after an erasure
-- its old frames still hold the erased text (the database's freed pages are zeroed by
-- secure_delete). A no-op for an in-memory database. Global to the database file.
PRAGMA wal_checkpoint(TRUNCATE)
