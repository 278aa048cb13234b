import type { Script } from '../../generated/prisma/client';
import type { Db, Prisma } from '../../platform/prisma';
import { AppError, notFound } from '../../platform/app-error';
import type { ScriptIssue } from './script.schema';
import { starterGraph } from './script-starter';
import { validateScriptGraph } from './script-validator';

// Drafts: editable, always valid when stored (a save that fails validation stores nothing),
// guarded by draftRevision so two editors cannot silently overwrite each other.

type ScriptRow = Script;

/**
 * Route bodies are parsed only once the script is known to be this portal's, so another
 * portal's id is a 404 whatever the body holds (the tenant-isolation walk relies on it).
 */
export type LazyInput<T> = T | (() => T);
export const resolveInput = <T extends object>(input: LazyInput<T>): T => (typeof input === 'function' ? input() : input);

export function scriptView(s: ScriptRow, warnings?: ScriptIssue[]) {
  return {
    id: s.id,
    name: s.name,
    draft: s.draft,
    draftRevision: s.draftRevision,
    latestVersion: s.latestVersion,
    archivedAt: s.archivedAt,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    ...(warnings ? { warnings } : {}),
  };
}

export function scriptInvalid(errors: ScriptIssue[], warnings: ScriptIssue[] = []): AppError {
  const first = errors[0];
  const summary = first ? ` First: ${first.message}${first.nodeId ? ` (node "${first.nodeId}")` : ''} at ${first.path}.` : '';
  return new AppError('SCRIPT_INVALID', 422, `The script has ${errors.length} problem${errors.length === 1 ? '' : 's'}.${summary}`, { errors, warnings });
}

/** The graph as it will be stored, or SCRIPT_INVALID with every problem located. */
export function requireValidGraph(graph: unknown) {
  const v = validateScriptGraph(graph);
  if (!v.ok) throw scriptInvalid(v.errors, v.warnings);
  return v;
}

export async function findScript(db: Pick<Db, 'script'>, portalId: string, scriptId: string): Promise<ScriptRow> {
  const s = await db.script.findFirst({ where: { id: scriptId, portalId } });
  if (!s) throw notFound('script');
  return s;
}

export async function createScript(db: Db, portalId: string, input: { name: string; graph?: unknown }) {
  let graph = input.graph;
  if (graph === undefined) {
    const portal = await db.portal.findUnique({ where: { id: portalId }, select: { name: true } });
    graph = starterGraph(portal?.name ?? 'our team');
  }
  const v = requireValidGraph(graph);
  const s = await db.script.create({ data: { portalId, name: input.name, draft: v.graph as Prisma.InputJsonValue } });
  return scriptView(s, v.warnings);
}

export async function listScripts(db: Db, portalId: string, opts: { includeArchived?: boolean } = {}) {
  const rows = await db.script.findMany({
    where: { portalId, ...(opts.includeArchived ? {} : { archivedAt: null }) },
    orderBy: { createdAt: 'desc' },
    take: 500,
  });
  return { scripts: rows.map(({ draft: _draft, ...s }) => ({ ...s })) };
}

export async function getScript(db: Db, portalId: string, scriptId: string) {
  return scriptView(await findScript(db, portalId, scriptId));
}

export async function updateScriptDraft(db: Db, portalId: string, scriptId: string, lazy: LazyInput<{ draftRevision: number; name?: string; graph?: unknown }>) {
  await findScript(db, portalId, scriptId);
  const input = resolveInput(lazy);
  const v = input.graph === undefined ? undefined : requireValidGraph(input.graph);
  const { count } = await db.script.updateMany({
    where: { id: scriptId, portalId, draftRevision: input.draftRevision, archivedAt: null },
    data: {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(v ? { draft: v.graph as Prisma.InputJsonValue } : {}),
      draftRevision: { increment: 1 },
    },
  });
  if (count === 0) {
    const current = await findScript(db, portalId, scriptId);
    if (current.archivedAt) throw new AppError('SCRIPT_ARCHIVED', 409, 'This script is archived; its draft can no longer be edited.');
    throw new AppError(
      'SCRIPT_DRAFT_CONFLICT',
      409,
      `The draft changed since revision ${input.draftRevision} (now ${current.draftRevision}); reload it and apply your edit again.`,
      { draftRevision: current.draftRevision },
    );
  }
  return scriptView(await findScript(db, portalId, scriptId), v?.warnings);
}

/** Scripts are archived, never deleted: published versions stay pinned by campaigns and calls. */
export async function archiveScript(db: Db, portalId: string, scriptId: string) {
  await findScript(db, portalId, scriptId);
  await db.script.updateMany({ where: { id: scriptId, portalId, archivedAt: null }, data: { archivedAt: new Date() } });
  return scriptView(await findScript(db, portalId, scriptId));
}

/** Checks a graph sent by the editor, or the stored draft; stores nothing. */
export async function validateScriptDraft(db: Db, portalId: string, scriptId: string, lazy: LazyInput<{ graph?: unknown }> = {}) {
  const script = await findScript(db, portalId, scriptId);
  const { graph } = resolveInput(lazy);
  const v = validateScriptGraph(graph === undefined ? script.draft : graph);
  return v.ok ? { valid: true, errors: [], warnings: v.warnings, graph: v.graph } : { valid: false, errors: v.errors, warnings: v.warnings };
}
