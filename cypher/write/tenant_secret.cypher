// Read the tenant's secret under the write lock (write/lock_head has merged its head), and
// store $create as the secret when there is none and $create is given (a tenant whose chain
// is empty). Returns no row when the head has no secret and none is given.
MATCH (h:AuditHead {tenant: $tenant})
SET h.secret = coalesce(h.secret, $create)
WITH h
WHERE h.secret IS NOT NULL
RETURN h.secret AS secret
