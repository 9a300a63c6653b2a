// name: decisions
// usage: decisions [SUBJECT] [--since DATE]
// description: What meetings decided, with who moved it and its status: all, or about a ticket, product, team or person, or containing a word.
// example: kg query decisions NEXUS-2000 --since 2024-10-01
// columns: date, decision, about, by, status, source
// parameters: $id (node id of SUBJECT or null), $word (lower-case word or null), $since (ISO date or null)
MATCH (d:Decision)
WHERE ($since IS NULL OR (d.date IS NOT NULL AND d.date >= $since))
  AND ($word IS NULL OR toLower(d.text) CONTAINS $word)
OPTIONAL MATCH (d)-[:ABOUT]->(s:KgNode {id: $id})
OPTIONAL MATCH (s2:KgNode {id: $id})-[:PROPOSED|SECONDED|OBJECTED_TO]->(d)
WITH d, s, s2
WHERE $id IS NULL OR s IS NOT NULL OR s2 IS NOT NULL
WITH DISTINCT d
OPTIONAL MATCH (d)-[:ABOUT]->(a)
WITH d, a ORDER BY a.name
WITH d, collect(a.name) AS abouts
OPTIONAL MATCH (p:Person)-[:PROPOSED]->(d)
WITH d, abouts, p ORDER BY p.name
WITH d, abouts, collect(p.name) AS movers
RETURN d.date AS date, d.text AS decision,
       reduce(s = '', x IN abouts | s + CASE WHEN s = '' THEN '' ELSE ', ' END + x) AS about,
       reduce(s = '', x IN movers | s + CASE WHEN s = '' THEN '' ELSE ', ' END + x) AS by,
       d.status AS status, d.source + ':' + toString(d.line) AS source
ORDER BY date, source, decision
