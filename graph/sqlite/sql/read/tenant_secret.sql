-- The tenant's secret (none: a tenant created before there were secrets).
SELECT secret FROM tenant_secrets WHERE tenant = ?
