// name: open-items
// usage: open-items [--person NAME] [--team NAME] [--overdue] [--as-of DATE]
// description: Open action items with owner, due date and ticket links (--team: owned by the team or its lead and members; --overdue: due before --as-of, default today).
// example: kg query open-items --person Emily --overdue --as-of 2024-11-01
// columns: item, owner, due, tickets, source
// parameters: $person (node id or null), $team (node id or null), $overdue (boolean), $as_of (ISO date)
OPTIONAL MATCH (m:Person)-[:LEADS|MEMBER_OF]->(:Team {id: $team})
WITH [$team] + collect(m.id) AS crew
MATCH (i:ActionItem)
WHERE i.status IN ['open', 'blocked'] AND ($overdue = false OR (i.due IS NOT NULL AND i.due < $as_of))
OPTIONAL MATCH (o)-[:OWNS]->(i)
WHERE o:Person OR o:Team
WITH i, o, crew
WHERE ($person IS NULL OR o.id = $person) AND ($team IS NULL OR o.id IN crew)
OPTIONAL MATCH (i)-[:TIED_TO]->(t)
WHERE t:Ticket OR t:Incident
WITH i, o, t ORDER BY t.name
WITH i, o, collect(t.name) AS keys
RETURN DISTINCT i.text AS item, o.name AS owner, i.due AS due,
       reduce(s = '', k IN keys | s + CASE WHEN s = '' THEN '' ELSE ', ' END + k) AS tickets,
       i.source + ':' + toString(i.line) AS source
ORDER BY due, owner, item, source
