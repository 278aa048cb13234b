import type { Db } from '../../platform/prisma';
import { ZScriptGraph } from './script.schema';
import { compileScript, type CompiledScript } from './script-engine';

// Published versions never change, so an in-call step can use a parsed, compiled copy kept in
// memory: no graph load or parse on the hot path (tool calls must answer in a few ms). Bounded;
// the oldest entry goes first. One cache per app instance (built by the webhook route).

export interface CachedVersion {
  id: string;
  portalId: string;
  scriptId: string;
  version: number;
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
    const entry: CachedVersion = {
      id: row.id,
      portalId: row.portalId,
      scriptId: row.scriptId,
      version: row.version,
      compiled: compileScript(ZScriptGraph.parse(row.graph)),
    };
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(versionId, entry);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}
