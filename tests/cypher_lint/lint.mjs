// Lint Cypher with Neo4j's own front end. stdin: {"queries": [...], "schema": DbSchema};
// stdout: one {"query", "diagnostics": [{"severity", "message", "offset"}]} per query.
import { lintCypherQuery } from '@neo4j-cypher/language-support';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const { queries, schema } = JSON.parse(input);
const out = queries.map((query) => {
  const { diagnostics } = lintCypherQuery(query, schema ?? {});
  return {
    query,
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info',
      message: d.message,
      offset: d.offsets?.start,
    })),
  };
});
process.stdout.write(JSON.stringify(out));
