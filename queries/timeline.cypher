// name: timeline
// usage: timeline NAME|KEY
// description: Every mention of a person, team, product, customer, role, ticket or incident in date order, with the line.
// example: kg query timeline SEC-42
// columns: date, meeting, file, line, text
// parameters: $id (node id of the entity)
MATCH (m:Meeting)-[r:MENTIONS]->(x:KgNode {id: $id})
UNWIND range(0, size(r.lines) - 1) AS k
RETURN DISTINCT CASE WHEN r.dates[k] = '' THEN null ELSE r.dates[k] END AS date,
       coalesce(m.title, m.name) AS meeting, m.source AS file, r.lines[k] AS line,
       r.texts[k] AS text
ORDER BY date, file, line
