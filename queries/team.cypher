// name: team
// usage: team NAME
// description: A team's lead and members, and what they work on (tickets, incidents, products they own or work on).
// example: kg query team Platform
// columns: role, name, via, source
// parameters: $id (node id of the team)
MATCH (team:Team {id: $id})
CALL {
  WITH team MATCH (p:Person)-[r:LEADS]->(team)
  RETURN 'lead' AS role, p.name AS name, null AS via, r.source AS source
  UNION
  WITH team MATCH (p:Person)-[r:MEMBER_OF]->(team)
  RETURN 'member' AS role, p.name AS name, null AS via, r.source AS source
  UNION
  WITH team MATCH (p:Person)-[:LEADS|MEMBER_OF]->(team)
  MATCH (p)-[r:OWNS|WORKS_ON]->(x)
  WHERE x:Ticket OR x:Incident OR x:Product
  RETURN 'works on' AS role, x.name AS name, p.name AS via, r.source AS source
  UNION
  WITH team MATCH (p:Person)-[:LEADS|MEMBER_OF]->(team)
  MATCH (p)-[:OWNS]->(:ActionItem)-[r:TIED_TO]->(x)
  RETURN 'works on' AS role, x.name AS name, p.name AS via, r.source AS source
}
RETURN DISTINCT role, name, via, source
ORDER BY role, name, via, source
