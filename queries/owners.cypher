// name: owners
// description: Departments responsible for tasks or targets whose text contains a phrase, with their role, the document, its level and region.
// param phrase: STRING = 住院量占比 -- words of a task or target, as printed
MATCH (t:Task)-[:PART_OF]->(d:Document)
WHERE t.title CONTAINS $phrase OR t.text CONTAINS $phrase
OPTIONAL MATCH (t)-[:HAS_TARGET]->(g:Target)
WHERE g.text CONTAINS $phrase
WITH t, d, collect(DISTINCT g.text) AS targets
MATCH (dept:Department)-[r:RESPONSIBLE_FOR]->(t)
RETURN dept.full_name AS department, r.role AS role, dept.region AS department_region,
       coalesce(d.doc_number, d.title) AS document, d.level AS level, d.region AS region,
       t.path AS task, t.title AS task_title, targets
ORDER BY document, t.ordinal, role, department
