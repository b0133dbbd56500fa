// Erasure: episodes keep their id and times but lose their text, speaker and metadata (the
// full-text index drops the text with it).
UNWIND $ids AS id
MATCH (e:Episode {tenant: $tenant, id: id})
WHERE NOT e.redacted
SET e.text = '', e.speaker = $erased, e.metadata = '{}', e.redacted = true
RETURN count(e) AS redacted
