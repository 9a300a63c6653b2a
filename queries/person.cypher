// name: person
// usage: person NAME
// description: Everything about a person: teams led and joined, items and tickets owned, concerns, promotions, meetings, decisions moved, seconded or about them.
// example: kg query person Emily
// columns: relation, what, date, source
// parameters: $id (node id of the person)
CALL {
  MATCH (p:Person {id: $id})-[r]->(x)
  RETURN type(r) AS relation, x.name AS what, r.date AS date, r.source AS source
  UNION
  MATCH (d:Decision)-[r:ABOUT]->(p:Person {id: $id})
  RETURN type(r) AS relation, d.name AS what, r.date AS date, r.source AS source
}
RETURN DISTINCT relation, what, date, source
ORDER BY relation, date, what, source
