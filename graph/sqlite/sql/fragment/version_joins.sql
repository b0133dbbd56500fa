LEFT JOIN entities AS s ON s.tenant = v.tenant AND s.id = v.subject_id
LEFT JOIN entities AS o ON o.tenant = v.tenant AND o.id = v.object_id
