-- The versions whose subject is an entity with this normalised name or alias (the name is
-- resolved in the same statement); the outer table is read through versions_by_subject.
v.subject_id IN (SELECT id FROM entities WHERE tenant = ? AND norm_name = ?
                 UNION SELECT entity_id FROM entity_aliases WHERE tenant = ? AND norm_alias = ?)
