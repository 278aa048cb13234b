import type { PGlite } from '@electric-sql/pglite';

// The scheduler between pglite-socket's connections and PGlite's one session. pglite-socket hands
// every wire message to PGlite as its own call and keeps a connection's messages together only
// while a transaction is open. Two things break on that with several connections (the app's pool,
// the workers, an import's own connection):
//  1. the extended protocol: one query is Parse/Bind/Execute/…/Sync, and another connection's
//     Parse landing in between replaces the unnamed statement ("unnamed prepared statement does
//     not exist", "portal "" does not exist");
//  2. COPY … FROM STDIN: its CopyData…CopyDone must reach PGlite in one call, so it desynchronises
//     the connection (upstream: electric-sql/pglite PR #1028, open);
//  3. named prepared statements: every connection shares the one session, so the second
//     connection to prepare "x" gets 'prepared statement "x" already exists'.
// So the socket server's queue is replaced here: a connection owns the session from its first
// message of an extended-protocol sequence until its Sync, and for as long as a transaction it
// opened is open; other connections wait their turn in arrival order. A sequence's messages are
// handed to PGlite together at its Sync (one call instead of five per query). A simple-protocol
// `COPY … FROM STDIN` is answered with CopyInResponse, its CopyData kept, and on CopyDone the same
// statement runs through PGlite's API reading '/dev/blob' (PGlite's documented way in), answered
// with CommandComplete + ReadyForQuery or ErrorResponse. The COPY data is held in memory until
// CopyDone: fine for the local, embedded use this is for. Statement names in Parse, Bind, Describe
// and Close get the connection's number appended, so each connection has its own; they are closed
// when it goes away.

type OnData = (data: Uint8Array) => void;

interface Pending {
  handlerId: number;
  msg: Buffer;
  onData: OnData;
  resolve: (n: number) => void;
  reject: (err: Error) => void;
}

interface QueueLike {
  enqueue(handlerId: number, message: Uint8Array, onData: OnData): Promise<number>;
  clearQueueForHandler(handlerId: number): void;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
  getQueueLength(): number;
}

const COPY_FROM_STDIN = /^\s*COPY\b[\s\S]*\bFROM\s+STDIN\b/i;
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H']);
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

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

/** Reads a NUL-terminated string at `at`; returns it and the offset after the NUL. */
function readCString(buf: Buffer, at: number): [string, number] {
  const end = buf.indexOf(0, at);
  return [buf.toString('utf8', at, end), end + 1];
}

/** The same message with its prepared-statement name made this connection's own. */
export function scopeStatementName(msg: Buffer, handlerId: number, names: Set<string>): Buffer {
  const type = String.fromCharCode(msg[0] ?? 0);
  const own = (name: string) => {
    if (!name) return name;
    const scoped = `${name}__c${handlerId}`;
    names.add(scoped);
    return scoped;
  };
  const rebuild = (parts: Buffer[]) => message(type, Buffer.concat(parts));
  if (type === 'P') {
    const [name, rest] = readCString(msg, 5);
    return name ? rebuild([cstring(own(name)), msg.subarray(rest)]) : msg;
  }
  if (type === 'B') {
    const [portal, afterPortal] = readCString(msg, 5);
    const [statement, rest] = readCString(msg, afterPortal);
    return statement ? rebuild([cstring(portal), cstring(own(statement)), msg.subarray(rest)]) : msg;
  }
  if ((type === 'D' || type === 'C') && msg[5] === 0x53 /* 'S': a statement */) {
    const [name, rest] = readCString(msg, 6);
    return name ? rebuild([Buffer.from('S', 'latin1'), cstring(own(name)), msg.subarray(rest)]) : msg;
  }
  return msg;
}

/** Replaces a PGLiteSocketServer's query queue (see above); call before the server starts. */
export function installPgliteWireScheduler(server: unknown, db: PGlite): void {
  const queue = (server as { queryQueue?: QueueLike }).queryQueue;
  if (!queue || typeof queue.enqueue !== 'function') throw new Error('pglite-socket changed: its query queue is not where the wire scheduler expects it');
  const pending: Pending[] = [];
  const copies = new Map<number, { sql: string; chunks: Buffer[] }>();
  let owner: number | null = null;
  let midSequence = false;
  let batch: Buffer[] = [];
  const statements = new Map<number, Set<string>>();
  let running = false;

  const exec = async (msg: Uint8Array, onData: OnData) => {
    let bytes = 0;
    await db.runExclusive(() =>
      db.execProtocolRawStream(msg, {
        onRawData: (d: Uint8Array) => {
          bytes += d.length;
          onData(d);
        },
      }),
    );
    return bytes;
  };

  async function runCopy(handlerId: number, type: string, msg: Buffer, onData: OnData): Promise<number> {
    const copy = copies.get(handlerId)!;
    if (type === 'd') {
      copy.chunks.push(msg.subarray(5));
      return 0;
    }
    // Flush and Sync are ignored in copy-in mode (PostgreSQL protocol, "COPY Operations").
    if (type !== 'c' && type !== 'f') return 0;
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

  async function handle(p: Pending): Promise<number> {
    // Our own housekeeping (closing a gone connection's statements): a whole sequence already.
    if (p.handlerId < 0) return exec(new Uint8Array(p.msg), p.onData);
    const type = String.fromCharCode(p.msg[0] ?? 0);
    if (copies.has(p.handlerId)) return runCopy(p.handlerId, type, p.msg, p.onData);
    if (type === 'Q' && COPY_FROM_STDIN.test(p.msg.subarray(5, p.msg.length - 1).toString('utf8'))) {
      copies.set(p.handlerId, { sql: p.msg.subarray(5, p.msg.length - 1).toString('utf8'), chunks: [] });
      const reply = copyInResponse();
      p.onData(new Uint8Array(reply));
      return reply.length;
    }
    if (EXTENDED.has(type) && type !== 'H') {
      // Held until the Sync (or Flush) that ends the sequence, then sent in one call: the client
      // waits for nothing before it, and PGlite answers the batch exactly as message by message.
      midSequence = true;
      let names = statements.get(p.handlerId);
      if (!names) statements.set(p.handlerId, (names = new Set()));
      batch.push(scopeStatementName(p.msg, p.handlerId, names));
      return 0;
    }
    const msgs = Buffer.concat([...batch, p.msg]);
    batch = [];
    if (type === 'S') midSequence = false;
    return exec(new Uint8Array(msgs), p.onData);
  }

  /** The next message allowed to run: the owner's, or (no owner) the oldest. */
  function next(): Pending | undefined {
    const i = owner === null ? 0 : pending.findIndex((p) => p.handlerId === owner);
    return i >= 0 ? pending.splice(i, 1)[0] : undefined;
  }

  async function pump(): Promise<void> {
    if (running) return;
    running = true;
    try {
      for (let p = next(); p; p = next()) {
        owner = p.handlerId;
        try {
          p.resolve(await handle(p));
        } catch (err) {
          p.reject(err as Error);
        }
        // The session stays this connection's while it is inside a sequence, a COPY or a transaction.
        if (!midSequence && !copies.has(owner) && !db.isInTransaction()) owner = null;
      }
    } finally {
      running = false;
    }
  }

  queue.enqueue = (handlerId, raw, onData) =>
    new Promise<number>((resolve, reject) => {
      pending.push({ handlerId, msg: Buffer.from(raw), onData, resolve, reject });
      void pump();
    });

  queue.clearQueueForHandler = (handlerId) => {
    for (let i = pending.length - 1; i >= 0; i--) {
      if (pending[i]!.handlerId === handlerId) pending.splice(i, 1)[0]!.reject(new Error('Handler disconnected'));
    }
    copies.delete(handlerId);
    // Its prepared statements go with it, closed in the session's next free moment.
    const names = statements.get(handlerId);
    statements.delete(handlerId);
    if (names?.size) {
      const close = Buffer.concat([...[...names].map((n) => message('C', Buffer.concat([Buffer.from('S', 'latin1'), cstring(n)]))), SYNC]);
      pending.push({ handlerId: -handlerId, msg: close, onData: () => undefined, resolve: () => undefined, reject: () => undefined });
      void pump();
    }
  };

  // A connection that goes away while owning the session: close its sequence and roll back its
  // transaction, so the next connection starts clean.
  queue.clearTransactionIfNeeded = async (handlerId) => {
    if (owner !== handlerId) return;
    batch = [];
    if (midSequence) await exec(new Uint8Array(SYNC), () => undefined).catch(() => undefined);
    midSequence = false;
    if (db.isInTransaction()) await db.exec('ROLLBACK').catch(() => undefined);
    owner = null;
    void pump();
  };

  queue.getQueueLength = () => pending.length;
}
