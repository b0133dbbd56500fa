// Episodes, MERGEd on their id (idempotent when a retried transaction re-runs).
UNWIND $rows AS row
MERGE (e:Episode {tenant: $tenant, id: row.id})
ON CREATE SET e += row.props
RETURN count(e) AS written
