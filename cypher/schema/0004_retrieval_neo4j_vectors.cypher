// 0004_retrieval_neo4j_vectors: embeddings of episode texts and fact sentences, per model.
// Derived data, like the full-text indexes: computed from stored rows by an embedding model,
// never evidence, not covered by the audit chain, rebuilt by `asof reindex` (docs/retrieval.md).
// One (:Embedding {tenant, kind, id, model, dim, vector}) node per row and model: `kind` is
// 'episode' (id = episode id) or 'fact' (id = version id); `vector` is L2-normalised float32.
// The constraint's index (leading with kind, id) serves erasure and `unembedded`; the vector
// index (HNSW) serves nearest-neighbour search. It is declared without `vector.dimensions`
// (optional since 5.23), so vectors of models of any size share it: a query compares only
// vectors of its own length. 5.26 indexes one property per vector index and has no filtered
// search: the tenant, the model and the temporal bounds are filtered after the index answers
// (read/vector_search, with an exact scan behind it: read/vector_scan).
CREATE CONSTRAINT asof_embedding_id IF NOT EXISTS
FOR (n:Embedding) REQUIRE (n.tenant, n.kind, n.id, n.model) IS UNIQUE;
CREATE VECTOR INDEX asof_embedding_vector IF NOT EXISTS
FOR (n:Embedding) ON n.vector
OPTIONS {indexConfig: {`vector.similarity_function`: 'cosine'}};
