// name: cited-by
// description: The documents citing one document, whether they name it as their basis, their level and region.
// param doc: STRING = 国办发〔2024〕29号 -- the cited document: 文号, title or id
MATCH (source:Document)-[c:CITES]->(d:Document)
WHERE d.id = $doc OR d.doc_number = $doc OR d.title = $doc
RETURN coalesce(source.doc_number, source.title) AS citing, source.level AS level, source.region AS region,
       source.date AS date, c.basis AS basis, d.placeholder AS cited_is_placeholder
ORDER BY date, citing
