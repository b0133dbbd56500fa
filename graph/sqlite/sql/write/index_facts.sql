-- Full-text rows of the versions a batch inserted (see schema/0001_initial.sql for why not a
-- trigger).
INSERT INTO facts_fts (rowid, subject, predicate, object, evidence)
SELECT v.pk, s.name, v.predicate, coalesce(o.name, v.object_value), v.evidence
FROM versions AS v
LEFT JOIN entities AS s ON s.tenant = v.tenant AND s.id = v.subject_id
LEFT JOIN entities AS o ON o.tenant = v.tenant AND o.id = v.object_id
WHERE v.tenant = ? AND v.version_id IN (SELECT value FROM json_each(?))
