// name: owners
// usage: owners KEY
// description: Who owns items tied to a ticket or incident: its owners, its action items, its sub-tasks and (transitively) the tickets it depends on.
// example: kg query owners NEXUS-2000
// columns: person, item, via, due, source
// parameters: $id (node id of KEY, resolved by kg)
MATCH (root:KgNode {id: $id})
CALL {
  WITH root RETURN root AS t, root.name AS via
  UNION
  WITH root MATCH (sub:Ticket)-[:PART_OF]->(root)
  RETURN sub AS t, sub.name + ' PART_OF ' + root.name AS via
  UNION
  WITH root MATCH p = (root)-[:DEPENDS_ON*1..]->(t) WHERE t <> root
  RETURN t, reduce(s = root.name, n IN tail(nodes(p)) | s + ' DEPENDS_ON ' + n.name) AS via
}
CALL {
  WITH t, via MATCH (p:Person)-[o:OWNS]->(t)
  RETURN p.name AS person, t.name AS item, via AS path, null AS due, o.source AS source
  UNION
  WITH t, via MATCH (i:ActionItem)-[:TIED_TO]->(t) MATCH (p:Person)-[:OWNS]->(i)
  RETURN p.name AS person, i.text AS item, via AS path, i.due AS due,
         i.source + ':' + toString(i.line) AS source
}
RETURN DISTINCT person, item, path AS via, due, source
ORDER BY person, item, via, source
