// Claims by id (unknown ids yield nothing); seek on the (tenant, claim_id) uniqueness index.
UNWIND $ids AS id
MATCH (c:Claim {tenant: $tenant, claim_id: id})
RETURN c {.*} AS claim
