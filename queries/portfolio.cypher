// name: portfolio
// description: Everything one department is responsible for, across documents and years, with its role, targets and deadlines.
// param department: STRING = 海东市卫生健康委员会 -- the department: with its place (海东市卫生健康委员会), or its canonical name (市卫生健康委员会) or a name it is printed as (市卫健委) where only one department of the store has it
MATCH (dept:Department)-[r:RESPONSIBLE_FOR]->(t:Task)-[:PART_OF]->(d:Document)
WHERE dept.full_name = $department
OPTIONAL MATCH (t)-[:HAS_TARGET]->(g:Target)
WITH dept, r, t, d, collect(DISTINCT g.text) AS targets
RETURN dept.full_name AS department, dept.region AS region, r.role AS role,
       coalesce(d.doc_number, d.title) AS document, d.year AS year,
       t.path AS task, t.title AS task_title, t.deadline AS deadline, targets
ORDER BY region, year, document, t.ordinal
