// The tenant's secret (keys its entity ids and its rows' audit hashes): a property of its
// audit head; none for a tenant created before there were secrets.
MATCH (h:AuditHead {tenant: $tenant})
RETURN h.secret AS secret
