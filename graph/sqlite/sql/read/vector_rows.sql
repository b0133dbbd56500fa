-- The vectors of the given embedding rows (by row key), for the store's in-memory copy. The
-- CROSS JOIN walks the keys and looks each row up by its key.
SELECT m.pk, m.id, m.vector FROM json_each(?)
CROSS JOIN embeddings AS m ON m.pk = json_each.value
WHERE m.tenant = ?
