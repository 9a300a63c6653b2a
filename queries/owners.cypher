// name: owners
// usage: owners KEY|CUSTOMER|PRODUCT
// description: Who owns items tied to a ticket or incident: its owners, its action items, its sub-tasks and (transitively) the tickets it depends on; for a customer or product, the owners of items tied to it.
// example: kg query owners NEXUS-2000
// columns: person, item, via, due, source
// parameters: $id (node id of KEY, CUSTOMER or PRODUCT, resolved by kg)
// Dependencies are walked breadth-first so each ticket is reached once, never
// once per path (a ladder of 40 ticket pairs has 2^40 paths): shortestPath
// gives each ticket's distance, `via` is then built from the parent of each
// ticket, the alphabetically first ticket one step closer (kg/queries.py
// picks the same one). FalkorDB loses outer variables inside a list
// predicate in WHERE, so `closer` is projected first.
MATCH (root:KgNode {id: $id})
CALL {
  WITH root RETURN root AS t, root.name AS via
  UNION
  WITH root MATCH (sub:Ticket)-[:PART_OF]->(root)
  RETURN sub AS t, sub.name + ' PART_OF ' + root.name AS via
  UNION
  WITH root MATCH (:Ticket)-[:DEPENDS_ON]->(x:Ticket) WHERE x <> root
  WITH DISTINCT root, x
  WITH root, x, shortestPath((root)-[:DEPENDS_ON*]->(x)) AS sp
  WHERE sp IS NOT NULL
  WITH root, [{t: root, d: 0}] + collect({t: x, d: length(sp)}) AS reach
  UNWIND tail(reach) AS r
  WITH root, reach, r, r.t AS x
  MATCH (y:Ticket)-[:DEPENDS_ON]->(x)
  WITH root, r, y, [o IN reach WHERE o.t = y AND o.d = r.d - 1] AS closer
  WHERE size(closer) > 0
  WITH root, r, min(y.name) AS parent
  WITH root, collect({t: r.t, name: r.t.name, d: r.d, parent: parent}) AS rows
  WITH root, rows, reduce(m = 0, x IN rows | CASE WHEN x.d > m THEN x.d ELSE m END) AS depth
  WITH reduce(acc = [{t: root, name: root.name, via: root.name}], level IN range(1, depth) |
    acc + [x IN rows WHERE x.d = level | {t: x.t, name: x.name,
      via: head([a IN acc WHERE a.name = x.parent | a.via]) + ' DEPENDS_ON ' + x.name}]) AS tree
  UNWIND tail(tree) AS f
  RETURN f.t AS t, f.via AS via
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
