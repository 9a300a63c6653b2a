// name: person
// usage: person NAME
// description: Everything about a person: teams led and joined, items and tickets owned, concerns, promotions, meetings.
// example: kg query person Emily
// columns: relation, what, date, source
// parameters: $id (node id of the person)
MATCH (p:Person {id: $id})-[r]->(x)
RETURN DISTINCT type(r) AS relation, x.name AS what, r.date AS date, r.source AS source
ORDER BY relation, date, what, source
