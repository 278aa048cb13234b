import { z } from 'zod';
import type { TScriptGraph } from './script.schema';

// Call.scriptPath: one record per in-call step, appended in the same UPDATE that merges the
// answer into Call.answers. The node a call is waiting at is the last record's `stop` (or, before
// the first step, the stop of the opening walk, which is recomputed and kept in the first record).

export const ZScriptStepRecord = z.object({
  at: z.string(),
  toolCallId: z.string().optional(),
  /** The node the call was waiting at when the step arrived. */
  node: z.string(),
  answer: z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]) }).optional(),
  optOut: z.literal(true).optional(),
  /** Set when the answer could not be read as the declared type; the call stays where it was. */
  invalid: z.string().optional(),
  /** Nodes walked by this step, ending at `stop`. */
  visited: z.array(z.string()),
  stop: z.string(),
  /** First record only: the opening walk from the start node. */
  opening: z.array(z.string()).optional(),
});
export type ScriptStepRecord = z.infer<typeof ZScriptStepRecord>;

/** Reads Call.scriptPath leniently: anything not shaped like a record is skipped, never trusted. */
export function readScriptPath(value: unknown): ScriptStepRecord[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    const r = ZScriptStepRecord.safeParse(v);
    return r.success ? [r.data] : [];
  });
}

export function lastStop(path: readonly ScriptStepRecord[]): string | undefined {
  return path.length ? path[path.length - 1]!.stop : undefined;
}

/** The disposition of the end or transfer node a call reached (for decideDisposition), if any. */
export function reachedDisposition(graph: TScriptGraph, path: readonly ScriptStepRecord[]): string | null {
  const stop = lastStop(path);
  const node = stop ? graph.nodes.find((n) => n.id === stop) : undefined;
  return node && (node.type === 'end' || node.type === 'transfer') ? node.disposition : null;
}
