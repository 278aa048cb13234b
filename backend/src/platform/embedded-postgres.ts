import fs from 'node:fs';
import path from 'node:path';
import { findFreePort } from './free-port';
import { installPgliteWireScheduler } from './pglite-wire';

// With no DATABASE_URL, PGlite (Postgres compiled to WebAssembly) runs in-process behind a
// Postgres wire-protocol socket, so the ordinary `pg` adapter, Prisma and the migrations run
// unchanged (design.md §6). Data lives under DATA_DIR, so a restart keeps it. PGlite is one
// connection underneath: never wait on a second connection inside a transaction.
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const dir = path.resolve(dataDir, 'pglite');
  fs.mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const port = await findFreePort();
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 100 });
  installPgliteWireScheduler(server, db);
  await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
