UPDATE claims SET evidence = NULL
WHERE tenant = ? AND claim_id IN (SELECT value FROM json_each(?)) AND evidence IS NOT NULL
