// name: ticket
// usage: ticket KEY
// description: Everything about a ticket across meetings in date order: owners, items, dependencies both ways, concerns, mentions.
// example: kg query ticket NEXUS-1542
// columns: date, subject, relation, object, source, text
// parameters: $id (node id of KEY)
MATCH (t:KgNode {id: $id})
CALL {
  WITH t MATCH (t)-[r]->(x)
  RETURN t.name AS subject, x.name AS object, r
  UNION
  WITH t MATCH (x)-[r]->(t)
  RETURN x.name AS subject, t.name AS object, r
  UNION
  WITH t MATCH (p:Person)-[r:OWNS]->(i:ActionItem)-[:TIED_TO]->(t)
  RETURN p.name AS subject, i.name AS object, r
}
UNWIND range(0, size(r.sources) - 1) AS k
RETURN DISTINCT CASE WHEN r.dates[k] = '' THEN null ELSE r.dates[k] END AS date,
       subject, type(r) AS relation, object, r.sources[k] AS source, r.texts[k] AS text
ORDER BY date, source, subject, relation, object, text
