// name: stats
// description: What the graph holds: nodes by type, documents by level and by region (the gazetteer's name, so 互助县 and 互助土族自治县 count as one), links by method, and documents with citations of documents not ingested.
MATCH (n:Document) WHERE n.placeholder = false
RETURN 'documents by level' AS kind, n.level AS key, count(*) AS count
UNION ALL
MATCH (n:Document) WHERE n.placeholder = false
OPTIONAL MATCH (n)-[:IN_REGION]->(r:Region)
RETURN 'documents by region' AS kind, r.name AS key, count(*) AS count
UNION ALL
MATCH (n:Document) WHERE n.placeholder = true
RETURN 'nodes' AS kind, 'Document (cited, not ingested)' AS key, count(*) AS count
UNION ALL
MATCH (n:Task) RETURN 'nodes' AS kind, 'Task' AS key, count(*) AS count
UNION ALL
MATCH (n:Department) RETURN 'nodes' AS kind, 'Department' AS key, count(*) AS count
UNION ALL
MATCH (n:Target) RETURN 'nodes' AS kind, 'Target' AS key, count(*) AS count
UNION ALL
MATCH (n:Region) RETURN 'nodes' AS kind, 'Region' AS key, count(*) AS count
UNION ALL
MATCH (:Document)-[l:IMPLEMENTS]->(:Document) RETURN 'document links' AS kind, l.method AS key, count(*) AS count
UNION ALL
MATCH (:Task)-[l:IMPLEMENTS]->(:Task) RETURN 'task links' AS kind, l.method AS key, count(*) AS count
UNION ALL
MATCH (d:Document)-[:CITES]->(p:Document) WHERE p.placeholder = true
RETURN 'unresolved citations' AS kind, coalesce(d.doc_number, d.title) AS key, count(*) AS count
