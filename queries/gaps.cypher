// name: gaps
// description: Tasks of a higher-level document that no task of a given lower-level document, or of any document in a given region, carries down: the implementation gap.
// param parent: STRING = 青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知 -- the higher-level document: 文号, title or id
// param child: STRING = 东政办〔2023〕47号 -- a lower-level document (文号, title or id) or a region name (海东市)
MATCH (p:Document)
WHERE p.id = $parent OR p.doc_number = $parent OR p.title = $parent
MATCH (pt:Task)-[:PART_OF]->(p)
WHERE NOT EXISTS {
  MATCH (pt)<-[:IMPLEMENTS*1..3]-(:Task)-[:PART_OF]->(c:Document)
  WHERE c.id = $child OR c.doc_number = $child OR c.title = $child
     OR EXISTS { MATCH (c)-[:IN_REGION]->(:Region)-[:WITHIN*0..3]->(r:Region) WHERE r.name = $child }
}
RETURN coalesce(p.doc_number, p.title) AS document, pt.path AS task, pt.title AS task_title
ORDER BY pt.ordinal
