import type { Db } from '../../platform/prisma';
import { AppError } from '../../platform/app-error';
import { ZScriptGraph } from './script.schema';
import type { CallFacts, ContactFacts } from './script-context';
import { findScript, requireValidGraph, resolveInput, type LazyInput } from './script.service';
import { simulateScript, type SimAnswer } from './script-simulator';

export interface SimulateRequest {
  contact: ContactFacts;
  call?: CallFacts;
  /** One run's answers; or `runs`, several lists. */
  answers?: SimAnswer[];
  runs?: SimAnswer[][];
  /** A published version number of this script; the draft when absent or "draft". */
  version?: number | 'draft';
}

/** Runs the simulator over the draft or a published version; stores nothing. */
export async function simulateScriptRuns(db: Db, portalId: string, scriptId: string, lazy: LazyInput<SimulateRequest>) {
  const script = await findScript(db, portalId, scriptId);
  const req = resolveInput(lazy);
  let graph;
  let source: { kind: 'draft'; draftRevision: number } | { kind: 'version'; version: number; versionId: string };
  if (req.version === undefined || req.version === 'draft') {
    graph = requireValidGraph(script.draft).graph;
    source = { kind: 'draft', draftRevision: script.draftRevision };
  } else {
    const v = await db.scriptVersion.findFirst({ where: { portalId, scriptId, version: req.version } });
    if (!v) throw new AppError('SCRIPT_VERSION_NOT_FOUND', 404, `This script has no published version ${req.version}.`);
    graph = ZScriptGraph.parse(v.graph);
    source = { kind: 'version', version: v.version, versionId: v.id };
  }
  const runs = req.runs ?? [req.answers ?? []];
  return { source, ...simulateScript(graph, { contact: req.contact, call: req.call, runs }) };
}
