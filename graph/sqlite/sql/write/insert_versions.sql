INSERT INTO versions (tenant, version_id, fact_key, subject_id, predicate, object_id,
                      object_value, valid_from, valid_to, valid_from_basis, granularity,
                      recorded_at, superseded_at, supersedes, expires_at, extractor,
                      confidence, evidence)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
