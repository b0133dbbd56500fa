// Erasure: delete versions with their relationships (subject, object and source links); their
// full-text entries go with them.
UNWIND $ids AS id
MATCH (f:Fact {tenant: $tenant, version_id: id})
DETACH DELETE f
RETURN count(*) AS deleted
