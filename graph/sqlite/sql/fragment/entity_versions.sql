-- The versions an entity is the subject or the object of. NOT INDEXED on the outer table
-- still allows these rowid lookups.
v.pk IN (SELECT pk FROM versions INDEXED BY versions_by_subject
         WHERE tenant = ? AND subject_id = ?
         UNION ALL SELECT pk FROM versions INDEXED BY versions_by_object
         WHERE tenant = ? AND object_id = ?)
