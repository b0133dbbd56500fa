// Erasure: episodes keep their id, speaker and times but lose their text and metadata (the
// full-text index drops the text with it).
UNWIND $ids AS id
MATCH (e:Episode {tenant: $tenant, id: id})
WHERE NOT e.redacted
SET e.text = '', e.metadata = '{}', e.redacted = true
RETURN count(e) AS redacted
