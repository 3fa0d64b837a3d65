// name: target-drift
// description: Targets restated down the lineage, with the value at each level (35% → 45%), for targets whose text contains a phrase (an empty phrase: all of them).
// param phrase: STRING = 医疗服务收入 -- words of the target, as printed
MATCH (c:Target)-[dr:DERIVED_FROM]->(p:Target)
WHERE $phrase = '' OR c.text CONTAINS $phrase OR p.text CONTAINS $phrase
MATCH (c)<-[:HAS_TARGET]-(ct:Task)-[:PART_OF]->(cd:Document)
MATCH (p)<-[:HAS_TARGET]-(pt:Task)-[:PART_OF]->(pd:Document)
RETURN c.measure AS measure,
       coalesce(pd.doc_number, pd.title) AS parent_document, pd.level AS parent_level, pt.path AS parent_task,
       p.value AS parent_value,
       coalesce(cd.doc_number, cd.title) AS child_document, cd.level AS child_level, ct.path AS child_task,
       c.value AS child_value, c.unit AS unit, dr.change AS change, dr.delta AS delta
ORDER BY parent_document, child_document, parent_task, child_task
