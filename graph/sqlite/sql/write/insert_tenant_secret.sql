-- Inside the write lock, for a tenant whose chain is empty and which has no secret yet.
INSERT INTO tenant_secrets (tenant, secret) VALUES (?, ?)
