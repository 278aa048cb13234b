import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import type { TestContext } from '../../support/test-app';
import { QUEUE_NAMES } from '../../../backend/src/queues/catalog';

// Runs one fuzzed surface: every generated case must be answered 4xx with an error code, write
// nothing (no row of any table added, removed or changed; no job queued; no file kept) and leave
// Object.prototype alone; after the run the process must still answer /healthz and /readyz.
// Prints one line per surface: FUZZ surface=… cases=… rejected_4xx=… server_errors=… written=…

/** Cases per surface: 200 in `npm test`, more with FUZZ_CASES (npm run test:fuzz). */
export const FUZZ_CASES = Math.max(1, Number(process.env.FUZZ_CASES ?? 200) || 200);
/** Replays a failing run: fast-check prints the seed (and path) it failed with. */
const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
/** Also prints how many cases got each status and error code, to see how deep the cases reach. */
const FUZZ_VERBOSE = Boolean(process.env.FUZZ_VERBOSE);

/** A jest timeout that grows with the number of cases. */
export const fuzzTimeout = () => 60_000 + FUZZ_CASES * 150;

export interface Answer {
  status: number;
  body: unknown;
}

const errorCodeOf = (body: unknown): string | undefined => {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && error.code && typeof error.message === 'string' ? error.code : undefined;
};

/** Every public table (but Prisma's own), as rows counted and hashed; ApiKey.lastUsedAt is informational. */
const fingerprintSql = new WeakMap<TestContext, string>();
async function tableFingerprint(ctx: TestContext): Promise<string> {
  let sql = fingerprintSql.get(ctx);
  if (!sql) {
    const tables = await ctx.deps.db.$queryRaw<Array<{ name: string }>>`
      SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`;
    const row = `md5((to_jsonb(x) - 'lastUsedAt')::text)`;
    sql = tables
      .map(({ name }) => `SELECT '${name}' AS t, count(*)::text || ':' || coalesce(md5(string_agg(${row}, ',' ORDER BY ${row})), '') AS h FROM "${name}" x`)
      .join(' UNION ALL ');
    fingerprintSql.set(ctx, sql);
  }
  const rows = await ctx.deps.db.$queryRawUnsafe<Array<{ t: string; h: string }>>(sql);
  return rows.map((r) => `${r.t}=${r.h}`).join(' ');
}

async function queuedJobs(ctx: TestContext): Promise<string> {
  const counts = await Promise.all(QUEUE_NAMES.map((name) => ctx.deps.queues.get(name).getJobCounts()));
  return counts.map((c, i) => `${QUEUE_NAMES[i]}=${Object.values(c).reduce((a, b) => a + b, 0)}`).join(' ');
}

function filesUnder(dir: string | undefined): string {
  if (!dir || !fs.existsSync(dir)) return '';
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
    .join(',');
}

/** Everything a refused request must leave as it was. */
export async function writeFingerprint(ctx: TestContext, dataDir?: string): Promise<string> {
  const [tables, jobs] = await Promise.all([tableFingerprint(ctx), queuedJobs(ctx)]);
  return `${tables} | ${jobs} | files=${filesUnder(dataDir)}`;
}

/** The tables, queues or files whose fingerprint differs. */
function changedParts(before: string, after: string): string[] {
  const parts = (f: string) => new Map(f.split(/ \| | /).map((p) => [p.split('=')[0]!, p] as const));
  const [b, a] = [parts(before), parts(after)];
  return [...new Set([...b.keys(), ...a.keys()])].filter((k) => b.get(k) !== a.get(k)).map((k) => (k === 'files' ? `${b.get(k)} → ${a.get(k)}` : k));
}

const clip = (text: string, max = 1_500) => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');

export interface FuzzSurface<T> {
  surface: string;
  ctx: TestContext;
  cases: fc.Arbitrary<T>;
  send(input: T): Promise<Answer>;
  /** A directory whose files count as writes (uploads). */
  dataDir?: string;
}

export interface FuzzTally {
  cases: number;
  rejected4xx: number;
  serverErrors: number;
  written: number;
}

/** Runs the surface's cases as one fast-check property; the tally is of the first pass (not the shrinking). */
export async function runFuzzSurface<T>(s: FuzzSurface<T>): Promise<FuzzTally> {
  const tally: FuzzTally = { cases: 0, rejected4xx: 0, serverErrors: 0, written: 0 };
  const codes = new Map<string, number>();
  const cleanPrototype = prototypeKeys();
  let before = await writeFingerprint(s.ctx, s.dataDir);
  let counting = true;
  // Counterexamples can hold megabytes (huge strings, deep nesting): print them cut short.
  const printable = s.cases.map((input) => ({ input, [fc.toStringMethod]: () => clip(fc.stringify(input)) }));
  const property = fc.asyncProperty(printable, async ({ input }) => {
    const answer = await s.send(input);
    const after = await writeFingerprint(s.ctx, s.dataDir);
    const changed = changedParts(before, after);
    const wrote = changed.length > 0;
    before = after;
    const code = errorCodeOf(answer.body);
    const polluted = prototypeKeys() !== cleanPrototype;
    if (counting) {
      tally.cases += 1;
      const key = `${answer.status}:${code ?? '-'}`;
      codes.set(key, (codes.get(key) ?? 0) + 1);
      if (answer.status >= 400 && answer.status < 500) tally.rejected4xx += 1;
      if (answer.status >= 500) tally.serverErrors += 1;
      if (wrote) tally.written += 1;
    }
    const ok = answer.status >= 400 && answer.status < 500 && code !== undefined && !wrote && !polluted;
    if (!ok) {
      counting = false;
      const what = `status ${answer.status}, code ${code ?? '(none)'}${wrote ? `, wrote (${changed.join(', ')})` : ''}${polluted ? ', polluted Object.prototype' : ''}`;
      throw new Error(`${s.surface}: ${what}; body ${clip(JSON.stringify(answer.body) ?? '', 400)}`);
    }
  });
  try {
    await fc.assert(property, { numRuns: FUZZ_CASES, ...(FUZZ_SEED !== undefined ? { seed: FUZZ_SEED } : {}) });
  } finally {
    process.stdout.write(
      `FUZZ surface=${s.surface} cases=${tally.cases} rejected_4xx=${tally.rejected4xx} server_errors=${tally.serverErrors} written=${tally.written}\n`,
    );
    if (FUZZ_VERBOSE) process.stdout.write(`  ${[...codes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}=${n}`).join(' ')}\n`);
  }
  return tally;
}

/** The process still answers after a surface: up (/healthz) and its stores reachable (/readyz). */
export async function expectStillUp(ctx: TestContext): Promise<void> {
  const [health, ready] = await Promise.all([request(ctx.app).get('/healthz'), request(ctx.app).get('/readyz')]);
  expect([health.status, ready.status]).toEqual([200, 200]);
}
