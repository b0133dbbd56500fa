// Wait until every index is online (full-text population is asynchronous).
CALL db.awaitIndexes($timeout_s)
