// Runs HubSpot's own project parser (the one `hs project upload` uses) over hubspot-app/ offline,
// with schema validation skipped (that step downloads schemas from HubSpot), and prints what it
// found as JSON. A child process because the parser is ESM-only and jest runs CommonJS.
import path from 'node:path';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { validateUid } from '@hubspot/project-parsing-lib/uid';

const [projectDir, platformVersion, profile] = process.argv.slice(2);
try {
  const result = await translate(
    { projectSourceDir: path.resolve(projectDir), platformVersion },
    { skipValidation: true, ...(profile ? { profile } : {}) },
  );
  const nodes = result.intermediateRepresentation.intermediateNodesIndexedByUid;
  const uidProblems = Object.keys(nodes).map((uid) => [uid, validateUid(uid)]).filter(([, problem]) => problem);
  process.stdout.write(JSON.stringify({ ok: true, nodes, skipped: result.skippedHsMetaFiles ?? [], uidProblems }));
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) }));
}
