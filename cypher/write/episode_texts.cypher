// The text and speaker of every episode of the tenant not yet redacted (erasure matches names
// in both).
MATCH (e:Episode {tenant: $tenant})
WHERE e.id IS NOT NULL AND NOT e.redacted
RETURN e.id AS id, e.text AS text, e.speaker AS speaker
