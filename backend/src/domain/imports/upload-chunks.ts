import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Db, Prisma } from '../../platform/prisma';

// An uploaded CSV file is kept in the database (ImportUploadChunk) as well as on the receiving
// process's disk: the web service stores it, a worker service on another machine runs the import.
// The disk copy is only a shortcut for the process that already has it.

/** Chunk size: big enough that a 1 GB file is ~1,000 rows, small enough to stream without buffering. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

type Tx = Prisma.TransactionClient;

/** Copies the stored file into the database, inside the caller's transaction (all chunks or none). */
export async function saveUploadChunks(tx: Tx, x: { importId: string; portalId: string; filePath: string }): Promise<number> {
  let seq = 0;
  const file = fs.createReadStream(x.filePath, { highWaterMark: UPLOAD_CHUNK_BYTES });
  for await (const chunk of file as AsyncIterable<Buffer>) {
    await tx.importUploadChunk.create({ data: { importId: x.importId, portalId: x.portalId, seq, data: new Uint8Array(chunk) } });
    seq++;
  }
  return seq;
}

/** A transaction holding a whole upload needs longer than Prisma's 5 s default: a minute plus 1 s per 5 MB. */
export function uploadTransactionTimeoutMs(bytes: number): number {
  return 60_000 + Math.ceil(bytes / (5 * 1024 * 1024)) * 1000;
}

/**
 * The import's file on this process's disk: the upload's own path when this process received it,
 * else rebuilt from the database chunk by chunk (one chunk in memory at a time). Null when the
 * database holds no chunks for it either.
 */
export async function localUploadFile(db: Db, x: { importId: string; filePath: string | null; dir: string }): Promise<string | null> {
  if (x.filePath && fs.existsSync(x.filePath)) return x.filePath;
  const first = await db.importUploadChunk.findUnique({ where: { importId_seq: { importId: x.importId, seq: 0 } }, select: { data: true } });
  if (!first) return null;
  await fs.promises.mkdir(x.dir, { recursive: true });
  const target = path.join(x.dir, `${x.importId}.csv`);
  const part = `${target}.${process.pid}.part`;
  const out = fs.createWriteStream(part);
  try {
    let data: Uint8Array | null = first.data;
    for (let seq = 1; data; seq++) {
      if (!out.write(data)) await once(out, 'drain');
      const next: { data: Uint8Array } | null = await db.importUploadChunk.findUnique({ where: { importId_seq: { importId: x.importId, seq } }, select: { data: true } });
      data = next?.data ?? null;
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
}

/** The import is over: its file leaves the database and this process's disk. */
export async function dropUpload(db: Db, x: { importId: string; paths: Array<string | null | undefined> }): Promise<void> {
  await db.importUploadChunk.deleteMany({ where: { importId: x.importId } });
  for (const p of new Set(x.paths)) if (p) await fs.promises.rm(p, { force: true });
}
