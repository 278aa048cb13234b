import type { PGlite } from '@electric-sql/pglite';

// COPY … FROM STDIN for the embedded database. pglite-socket hands each wire message to PGlite as
// its own call, but COPY's sub-protocol (CopyData … CopyDone after the query) must reach PGlite in
// one go, so over the socket the connection desynchronises ("protocol synchronization was lost";
// upstream: electric-sql/pglite PR #1028, open). Bulk imports stage rows with COPY, so without this
// no CSV import works on embedded defaults.
//
// This sits in front of the socket server's query queue: a simple-protocol `COPY … FROM STDIN` is
// answered with CopyInResponse right away, the CopyData that follows is kept, and on CopyDone the
// same statement runs through PGlite's own API reading the data from '/dev/blob' (PGlite's
// documented way in), answered with CommandComplete + ReadyForQuery, or ErrorResponse. PGlite has
// one session, so the statement sees the connection's temp tables and open transaction. The data
// is held in memory until CopyDone: fine for the local, embedded use this is for.

interface QueueLike {
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number>;
}

const COPY_FROM_STDIN = /^\s*COPY\b[\s\S]*\bFROM\s+STDIN\b/i;

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const cstring = (s: string) => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
// Overall text format, no per-column formats: what a text COPY announces.
const copyInResponse = () => message('G', Buffer.from([0, 0, 0]));
const readyForQuery = (inTransaction: boolean) => message('Z', Buffer.from(inTransaction ? 'T' : 'I', 'latin1'));
const commandComplete = (tag: string) => message('C', cstring(tag));

function errorResponse(err: unknown): Buffer {
  const e = err as { message?: string; code?: string; severity?: string };
  const fields = [`S${e.severity ?? 'ERROR'}`, `V${e.severity ?? 'ERROR'}`, `C${e.code ?? 'XX000'}`, `M${e.message ?? String(err)}`];
  return message('E', Buffer.concat([...fields.map(cstring), Buffer.from([0])]));
}

/** Makes `COPY … FROM STDIN` work for every connection of a pglite-socket server. */
export function enableCopyFromStdin(server: unknown, db: PGlite): void {
  const queue = (server as { queryQueue?: QueueLike }).queryQueue;
  if (!queue || typeof queue.enqueue !== 'function') throw new Error('pglite-socket changed: its query queue is not where COPY support expects it');
  const original = queue.enqueue.bind(queue);
  const copies = new Map<number, { sql: string; chunks: Buffer[] }>();

  queue.enqueue = async (handlerId, raw, onData) => {
    const msg = Buffer.from(raw);
    const type = String.fromCharCode(msg[0] ?? 0);
    const copy = copies.get(handlerId);
    if (copy) {
      if (type === 'd') copy.chunks.push(msg.subarray(5));
      else if (type === 'c' || type === 'f') {
        copies.delete(handlerId);
        let reply: Buffer;
        if (type === 'f') reply = errorResponse({ code: '57014', message: `COPY from stdin failed: ${msg.subarray(5, msg.length - 1).toString('utf8')}` });
        else {
          try {
            const sql = copy.sql.replace(/\bFROM\s+STDIN\b/i, "FROM '/dev/blob'");
            const res = await db.query(sql, [], { blob: new Blob([Buffer.concat(copy.chunks)]) });
            reply = commandComplete(`COPY ${res.affectedRows ?? 0}`);
          } catch (err) {
            reply = errorResponse(err);
          }
        }
        reply = Buffer.concat([reply, readyForQuery(db.isInTransaction())]);
        onData(new Uint8Array(reply));
        return reply.length;
      }
      // Flush and Sync are ignored in copy-in mode (PostgreSQL protocol, "COPY Operations").
      return 0;
    }
    if (type === 'Q') {
      const sql = msg.subarray(5, msg.length - 1).toString('utf8');
      if (COPY_FROM_STDIN.test(sql)) {
        copies.set(handlerId, { sql, chunks: [] });
        const reply = copyInResponse();
        onData(new Uint8Array(reply));
        return reply.length;
      }
    }
    return original(handlerId, raw, onData);
  };
}
