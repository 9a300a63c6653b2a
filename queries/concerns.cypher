// name: concerns
// usage: concerns [KEY]
// description: Who raised concerns, about what (optionally only about KEY), when and where.
// example: kg query concerns NEXUS-2000
// columns: person, about, date, source
// parameters: $id (node id of KEY, or null for every concern)
MATCH (p:Person)-[c:RAISED_CONCERN_ABOUT]->(x)
WHERE $id IS NULL OR x.id = $id
UNWIND range(0, size(c.sources) - 1) AS k
RETURN DISTINCT p.name AS person, x.name AS about,
       CASE WHEN c.dates[k] = '' THEN null ELSE c.dates[k] END AS date,
       c.sources[k] AS source
ORDER BY date, person, about, source
