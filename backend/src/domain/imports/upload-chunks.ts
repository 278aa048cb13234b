import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { ClientBase } from 'pg';
import type { AppDeps } from '../../app-deps';
import type { Db } from '../../platform/prisma';
import { openPgClient } from './pg-connection';

// An uploaded CSV file is kept in the database (ImportUploadChunk) as well as on the receiving
// process's disk: the web service stores it, a worker service on another machine runs the import.
// The disk copy is only a shortcut for the process that already has it.
//
// The chunks go in (as binary parameters) and out through a plain `pg` connection, never through
// Prisma, which carries a Bytes value as base64 inside its query's JSON. Measured on a 90 MB file:
// writing it through Prisma took a process from 156 to 300 MB of RSS (130 MB of it V8 "external"
// memory that a full collection did not free), reading it back added ~65 MB.

/** Chunk size: big enough that a 1 GB file is ~1,000 rows, small enough to stream without buffering. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

const INSERT_CHUNK = 'INSERT INTO "ImportUploadChunk" ("importId", "seq", "portalId", "data") VALUES ($1, $2, $3, $4)';
const SELECT_CHUNK = 'SELECT "data" FROM "ImportUploadChunk" WHERE "importId" = $1 AND "seq" = $2';

/**
 * Copies the stored file into the database, inside the transaction open on `client` (all chunks
 * or none). Past `deadline` (epoch ms) it stops with an error, which the caller's rollback undoes.
 */
export async function saveUploadChunks(client: ClientBase, x: { importId: string; portalId: string; filePath: string; deadline: number }): Promise<number> {
  let seq = 0;
  const file = fs.createReadStream(x.filePath, { highWaterMark: UPLOAD_CHUNK_BYTES });
  try {
    for await (const chunk of file as AsyncIterable<Buffer>) {
      if (Date.now() > x.deadline) throw new Error('storing the upload in the database took too long');
      await client.query(INSERT_CHUNK, [x.importId, seq, x.portalId, chunk]);
      seq++;
    }
  } finally {
    file.destroy();
  }
  return seq;
}

/** A transaction holding a whole upload needs longer than a short request: a minute plus 1 s per 5 MB. */
export function uploadTransactionTimeoutMs(bytes: number): number {
  return 60_000 + Math.ceil(bytes / (5 * 1024 * 1024)) * 1000;
}

async function readChunk(client: ClientBase, importId: string, seq: number): Promise<Buffer | null> {
  const res = await client.query<{ data: Buffer }>(SELECT_CHUNK, [importId, seq]);
  return res.rows[0]?.data ?? null;
}

/**
 * The import's file on this process's disk: the upload's own path when this process received it,
 * else rebuilt from the database chunk by chunk (one chunk in memory at a time). Null when the
 * database holds no chunks for it either.
 */
export async function localUploadFile(deps: Pick<AppDeps, 'config' | 'databaseUrl'>, x: { importId: string; filePath: string | null; dir: string }): Promise<string | null> {
  if (x.filePath && fs.existsSync(x.filePath)) return x.filePath;
  const client = await openPgClient(deps, 'hac-import-file');
  try {
    const first = await readChunk(client, x.importId, 0);
    if (!first) return null;
    await fs.promises.mkdir(x.dir, { recursive: true });
    const target = path.join(x.dir, `${x.importId}.csv`);
    const part = `${target}.${process.pid}.part`;
    const out = fs.createWriteStream(part);
    try {
      let data: Buffer | null = first;
      for (let seq = 1; data; seq++) {
        if (!out.write(data)) await once(out, 'drain');
        data = await readChunk(client, x.importId, seq);
      }
      out.end();
      await once(out, 'finish');
      await fs.promises.rename(part, target);
      return target;
    } catch (err) {
      out.destroy();
      await fs.promises.rm(part, { force: true });
      throw err;
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The import is over: its file leaves the database and this process's disk. */
export async function dropUpload(db: Db, x: { importId: string; paths: Array<string | null | undefined> }): Promise<void> {
  await db.importUploadChunk.deleteMany({ where: { importId: x.importId } });
  for (const p of new Set(x.paths)) if (p) await fs.promises.rm(p, { force: true });
}
