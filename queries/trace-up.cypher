// name: trace-up
// description: A document up through the documents it carries down to the highest directive, with how each link is known and its score.
// param doc: STRING = 东政办〔2023〕47号 -- the document: its 文号, its title or its id
MATCH (start:Document)
WHERE start.id = $doc OR start.doc_number = $doc OR start.title = $doc
MATCH p = (start)-[:IMPLEMENTS*1..4]->(ancestor:Document)
WITH start, ancestor, min(length(p)) AS depth
MATCH (below:Document)-[link:IMPLEMENTS]->(ancestor)
WHERE below.id = start.id OR EXISTS { MATCH (start)-[:IMPLEMENTS*1..4]->(below) }
RETURN depth,
       coalesce(ancestor.doc_number, ancestor.title) AS document, ancestor.title AS title,
       ancestor.level AS level, ancestor.region AS region, ancestor.date AS date,
       ancestor.placeholder AS placeholder,
       coalesce(below.doc_number, below.title) AS implemented_by, link.method AS method, link.score AS score
ORDER BY depth, document
