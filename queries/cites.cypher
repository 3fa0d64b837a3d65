// name: cites
// description: The documents one document cites, whether it names them as its basis, and which are only cited (placeholders, not ingested).
// param doc: STRING = 明医改组〔2024〕4号 -- the citing document: 文号, title or id
MATCH (d:Document)-[c:CITES]->(target:Document)
WHERE d.id = $doc OR d.doc_number = $doc OR d.title = $doc
RETURN coalesce(target.doc_number, target.title) AS cited, target.title AS title, c.basis AS basis,
       target.placeholder AS placeholder, c.printed AS printed_as
ORDER BY basis DESC, cited
