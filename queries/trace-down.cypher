// name: trace-down
// description: A document and every document carrying it down, level by level, with the task pairs that carry each of its tasks and how each link is known (stated, inferred, aligned) with its score.
// param doc: STRING = 青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知 -- the document: its 文号, its title or its id
// param depth: INTEGER = 4 -- how many levels down (at most 4)
MATCH (root:Document)
WHERE root.id = $doc OR root.doc_number = $doc OR root.title = $doc
MATCH p = (child:Document)-[:IMPLEMENTS*1..4]->(root)
WITH root, child, min(length(p)) AS depth
WHERE depth <= $depth
MATCH (child)-[link:IMPLEMENTS]->(parent:Document)
WHERE parent.id = root.id OR EXISTS { MATCH (parent)-[:IMPLEMENTS*1..4]->(root) }
OPTIONAL MATCH (parent)<-[:PART_OF]-(pt:Task)<-[tl:IMPLEMENTS]-(ct:Task)-[:PART_OF]->(child)
RETURN depth,
       coalesce(parent.doc_number, parent.title) AS parent_document,
       coalesce(child.doc_number, child.title) AS child_document,
       child.title AS child_title, child.level AS child_level, child.region AS child_region,
       child.date AS child_date, child.placeholder AS child_placeholder,
       link.method AS method, link.score AS score,
       pt.path AS parent_task, pt.title AS parent_task_title,
       ct.path AS child_task, ct.title AS child_task_title, tl.score AS task_score,
       pt.ordinal AS parent_task_order, ct.ordinal AS child_task_order
ORDER BY depth, parent_document, child_document, parent_task_order, task_score DESC
