import type { ScriptVersion } from '../../generated/prisma/client';
import type { Db, Prisma } from '../../platform/prisma';
import { AppError, notFound } from '../../platform/app-error';
import { sha256Hex } from '../../platform/crypto';
import { ZScriptGraph, type TScriptGraph } from './script.schema';
import { findScript, requireValidGraph, resolveInput, type LazyInput } from './script.service';

// Publishing freezes the validated draft as an immutable ScriptVersion with a checksum of its
// canonical JSON. Version numbers only go up (claimed on Script.latestVersion, unique per
// script). Nothing in the app updates a version; the routes that would answer 409, and the
// database refuses an UPDATE too (migration script_version_immutable).

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const graphChecksum = (graph: TScriptGraph) => sha256Hex(canonicalJson(graph));

const versionSummary = (v: ScriptVersion) => ({
  id: v.id,
  scriptId: v.scriptId,
  version: v.version,
  checksum: v.checksum,
  publishedBy: v.publishedBy,
  publishedAt: v.publishedAt,
});
const versionView = (v: ScriptVersion) => ({ ...versionSummary(v), graph: v.graph });

export async function publishScript(db: Db, portalId: string, scriptId: string, lazy: LazyInput<{ draftRevision?: number }> = {}, publishedBy?: string) {
  return db.$transaction(async (tx) => {
    const script = await findScript(tx, portalId, scriptId);
    const opts = resolveInput(lazy);
    if (script.archivedAt) throw new AppError('SCRIPT_ARCHIVED', 409, 'This script is archived and cannot be published.');
    if (opts.draftRevision !== undefined && opts.draftRevision !== script.draftRevision) {
      throw new AppError('SCRIPT_DRAFT_CONFLICT', 409, `The draft is at revision ${script.draftRevision}, not ${opts.draftRevision}; reload it before publishing.`, {
        draftRevision: script.draftRevision,
      });
    }
    // Validated again: the rules may have tightened since the draft was saved.
    const { graph } = requireValidGraph(script.draft);
    const checksum = graphChecksum(graph);
    const latest = await tx.scriptVersion.findFirst({ where: { scriptId, version: script.latestVersion } });
    if (latest && latest.checksum === checksum) return { created: false, version: versionView(latest) };
    const claimed = await tx.script.updateMany({ where: { id: scriptId, latestVersion: script.latestVersion }, data: { latestVersion: { increment: 1 } } });
    if (claimed.count !== 1) throw new AppError('SCRIPT_PUBLISH_CONFLICT', 409, 'Someone published this script at the same moment; reload and try again.');
    const created = await tx.scriptVersion.create({
      data: { portalId, scriptId, version: script.latestVersion + 1, graph: graph as Prisma.InputJsonValue, checksum, publishedBy: publishedBy ?? null },
    });
    return { created: true, version: versionView(created) };
  });
}

export async function listScriptVersions(db: Db, portalId: string, scriptId: string) {
  await findScript(db, portalId, scriptId);
  const rows = await db.scriptVersion.findMany({ where: { portalId, scriptId }, orderBy: { version: 'desc' } });
  return { versions: rows.map(versionSummary) };
}

async function findVersion(db: Db, portalId: string, scriptId: string, versionId: string): Promise<ScriptVersion> {
  const v = await db.scriptVersion.findFirst({ where: { id: versionId, scriptId, portalId } });
  if (!v) throw notFound('script version');
  return v;
}

export async function getScriptVersion(db: Db, portalId: string, scriptId: string, versionId: string) {
  return versionView(await findVersion(db, portalId, scriptId, versionId));
}

/** Any attempt to edit or delete a published version: 404 if it is not this portal's, else 409. */
export async function refuseVersionChange(db: Db, portalId: string, scriptId: string, versionId: string): Promise<never> {
  const v = await findVersion(db, portalId, scriptId, versionId);
  throw new AppError(
    'SCRIPT_VERSION_IMMUTABLE',
    409,
    `Version ${v.version} is published and can never change; edit the draft and publish a new version.`,
    { versionId: v.id, version: v.version },
  );
}

export interface PublishedVersion {
  id: string;
  portalId: string;
  scriptId: string;
  version: number;
  checksum: string;
  graph: TScriptGraph;
}

/** For campaigns (pinning a variant) and the dialer: a published version of this portal, parsed. */
export async function getPublishedVersion(db: Pick<Db, 'scriptVersion'>, portalId: string, versionId: string): Promise<PublishedVersion> {
  const v = await db.scriptVersion.findFirst({ where: { id: versionId, portalId } });
  if (!v) throw notFound('script version');
  return { id: v.id, portalId: v.portalId, scriptId: v.scriptId, version: v.version, checksum: v.checksum, graph: ZScriptGraph.parse(v.graph) };
}
