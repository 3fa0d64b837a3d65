// name: trace-down
// description: A document and every document carrying it down, level by level, with the task pairs that carry each of its tasks and how each link is known (stated, inferred, aligned) with its score.
// param doc: STRING = 青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知 -- the document: its 文号, its title or its id
// param depth: INTEGER = 4 -- how many levels down (at most 4)
// The documents below the root are gathered into lists first (one row, no grouping key) and each
// child is then looked up by its key, so that the engine walks from each child document to its
// tasks; joined straight onto the recursive match, LadybugDB 0.22 scans every task instead
// (benchmarks/findings.md has the timings).
MATCH (root:Document)
WHERE root.id = $doc OR root.doc_number = $doc OR root.title = $doc
MATCH p = (below:Document)-[:IMPLEMENTS*1..4]->(root)
WITH root, below, min(length(p)) AS depth
WITH collect(DISTINCT root.id) AS roots, collect(below.id) AS within,
     collect(CASE WHEN depth <= $depth THEN below.id END) AS shown,
     collect(CASE WHEN depth = 1 THEN below.id END) AS at1,
     collect(CASE WHEN depth = 2 THEN below.id END) AS at2,
     collect(CASE WHEN depth = 3 THEN below.id END) AS at3
UNWIND shown AS child_id
MATCH (child:Document)-[link:IMPLEMENTS]->(parent:Document)
WHERE child.id = child_id AND (parent.id IN roots OR parent.id IN within)
WITH CASE WHEN child.id IN at1 THEN 1 WHEN child.id IN at2 THEN 2 WHEN child.id IN at3 THEN 3 ELSE 4 END AS depth,
     child, link, parent
OPTIONAL MATCH (child)<-[:PART_OF]-(ct:Task)-[tl:IMPLEMENTS]->(pt:Task)
WHERE pt.document = parent.id
RETURN depth,
       coalesce(parent.doc_number, parent.title) AS parent_document,
       coalesce(child.doc_number, child.title) AS child_document,
       child.title AS child_title, child.level AS child_level, child.region AS child_region,
       child.date AS child_date, child.placeholder AS child_placeholder,
       link.method AS method, link.score AS score,
       pt.path AS parent_task, pt.title AS parent_task_title,
       ct.path AS child_task, ct.title AS child_task_title, tl.score AS task_score,
       pt.ordinal AS parent_task_order, ct.ordinal AS child_task_order
ORDER BY depth, parent_document, child_document, parent_task_order, task_score DESC, child_task_order
