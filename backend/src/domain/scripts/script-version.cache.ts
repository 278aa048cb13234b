import type { Db } from '../../platform/prisma';
import { notFound } from '../../platform/app-error';
import { ZScriptGraph } from './script.schema';
import { compileScript, type CompiledScript } from './script-engine';
import type { PublishedVersion } from './script-version.service';

// Published versions never change (the database refuses an UPDATE: migration
// script_version_immutable), so a parsed, compiled copy kept in memory serves the in-call steps
// (tool calls must answer in a few ms) and the dialer (every attempt of a campaign builds its
// plan from the same version) without loading and parsing the graph again. Bounded; the oldest
// entry goes first. One cache per app instance (the webhook routes) and per dialing process.

export interface CachedVersion extends PublishedVersion {
  compiled: CompiledScript;
}

export class ScriptVersionCache {
  private readonly entries = new Map<string, CachedVersion>();

  constructor(private readonly maxEntries = 500) {}

  /** The version if it belongs to this portal; null otherwise (never another portal's graph). */
  async get(db: Db, portalId: string, versionId: string): Promise<CachedVersion | null> {
    const hit = this.entries.get(versionId);
    if (hit) return hit.portalId === portalId ? hit : null;
    const row = await db.scriptVersion.findFirst({ where: { id: versionId, portalId } });
    if (!row) return null;
    const graph = ZScriptGraph.parse(row.graph);
    const entry: CachedVersion = { id: row.id, portalId: row.portalId, scriptId: row.scriptId, version: row.version, checksum: row.checksum, graph, compiled: compileScript(graph) };
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(versionId, entry);
    return entry;
  }

  /** As get, for callers that need the version: a 404 AppError when the portal has no such version. */
  async require(db: Db, portalId: string, versionId: string): Promise<CachedVersion> {
    const version = await this.get(db, portalId, versionId);
    if (!version) throw notFound('script version');
    return version;
  }

  get size(): number {
    return this.entries.size;
  }
}
