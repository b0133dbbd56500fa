// The text of every episode of the tenant not yet redacted (erasure matches names in it).
MATCH (e:Episode {tenant: $tenant})
WHERE e.id IS NOT NULL AND NOT e.redacted
RETURN e.id AS id, e.text AS text
