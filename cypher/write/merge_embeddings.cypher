// Embeddings of one model (derived rows, outside the audit chain): a vector already stored for
// (kind, id, model) is kept, so re-running an ingest or a reindex changes nothing. The vector
// is stored as float32 (db.create.setNodeVectorProperty), half the size of a list of floats.
UNWIND $rows AS row
MERGE (m:Embedding {tenant: $tenant, kind: row.kind, id: row.id, model: $model})
ON CREATE SET m.dim = size(row.vector)
WITH m, row
WHERE m.vector IS NULL
CALL db.create.setNodeVectorProperty(m, 'vector', row.vector)
RETURN count(m) AS written
