// name: promotions
// usage: promotions
// description: Who was promoted to which role, when and where.
// example: kg query promotions
// columns: person, role, date, source
// parameters: none
MATCH (p:Person)-[r:PROMOTED_TO]->(role:Role)
UNWIND range(0, size(r.sources) - 1) AS k
RETURN DISTINCT p.name AS person, role.name AS role,
       CASE WHEN r.dates[k] = '' THEN null ELSE r.dates[k] END AS date,
       r.sources[k] AS source
ORDER BY date, person, role, source
