import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import type { NormalisedContact } from './contact-input';

// Stage 2 of every import: rows go through COPY into a session-local staging table (TEMP, so
// a crashed import leaves nothing to clean up), accepted and rejected rows alike; the merge
// (import-merge.ts) then moves them into Contact in one transaction.

const FLUSH_AT = 256 * 1024;
// One COPY statement per this many rows. Costs nothing on Postgres; on the embedded PGlite (one
// session for every connection, COPY data held until the statement ends) it lets other queries
// in between and bounds the memory held.
const ROWS_PER_COPY = 50_000;


const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format: \N for null, backslash escapes for the four special characters. */
export function copyValue(v: string | null): string {
  if (v === null) return '\\N';
  return SPECIAL.test(v) ? v.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : v;
}

const STAGE_COLUMNS =
  'row_number, contact_id, phone, first_name, last_name, email, company, time_zone, tz_source, hubspot_id, properties, consent_type, consent_source, consent_at, reject_reason, raw';

/** One accepted row as a line of COPY text, in STAGE_COLUMNS order; `contactId` is used only if the merge creates the contact. */
export function stagedContactLine(rowNumber: number, contactId: string, c: NormalisedContact): string {
  const consent = c.consent;
  let props = '{}';
  for (const _ in c.properties) {
    props = JSON.stringify(c.properties);
    break;
  }
  return (
    `${rowNumber}\t${contactId}\t${c.phone}\t${copyValue(c.firstName)}\t${copyValue(c.lastName)}\t${copyValue(c.email)}\t${copyValue(c.company)}\t` +
    `${c.timeZone}\t${c.timeZoneSource}\t${copyValue(c.hubspotContactId)}\t${copyValue(props)}\t` +
    `${consent ? consent.type : '\\N'}\t${copyValue(consent?.source ?? null)}\t${consent?.at ? consent.at.toISOString() : '\\N'}\t\\N\t\\N\n`
  );
}

/** One rejected row as a line of COPY text: its number, the reason and the row as the source had it. */
export function stagedRejectedLine(rowNumber: number, reason: string, raw: string): string {
  return `${rowNumber}\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t${copyValue(reason)}\t${copyValue(raw)}\n`;
}

export class ImportStaging {
  private buffer = '';
  private failure: Error | undefined;
  private losers = new Int32Array(1024);
  private loserCount = 0;
  private rowsInCopy = 0;
  private copy: CopyStreamQuery;
  consentRows = 0;

  private constructor(private readonly client: Client) {
    this.copy = this.startCopy();
  }

  private startCopy(): CopyStreamQuery {
    const copy = this.client.query(copyFrom(`COPY pg_temp.import_stage (${STAGE_COLUMNS}) FROM STDIN`));
    copy.on('error', (err) => (this.failure ??= err));
    this.rowsInCopy = 0;
    return copy;
  }

  static async open(client: Client): Promise<ImportStaging> {
    // Room for the staging table in memory (the default 8 MB spills a 1M-row stage to disk).
    // Postgres only allows this before the session first touches a temp table.
    await client.query(`SET temp_buffers = '256MB'`).catch(() => undefined);
    await client.query('DROP TABLE IF EXISTS pg_temp.import_stage, pg_temp.import_losers');
    await client.query(`CREATE TEMP TABLE import_stage (
      row_number int NOT NULL, contact_id uuid, phone text, first_name text, last_name text, email text, company text,
      time_zone text, tz_source text, hubspot_id text, properties jsonb, consent_type text,
      consent_source text, consent_at timestamptz, reject_reason text, raw text)`);
    await client.query('CREATE TEMP TABLE import_losers (row_number int NOT NULL)');
    return new ImportStaging(client);
  }

  /** Stages a batch prepared by prepareBatch (prepared-batch.ts), in this or another thread. */
  addBatch(batch: { copyText: string; rowsRead: number; consentRows: number }): void {
    this.consentRows += batch.consentRows;
    this.rowsInCopy += batch.rowsRead;
    this.buffer += batch.copyText;
  }

  /** An earlier row whose number a later row repeats: it stays staged but is not merged. */
  addLoser(rowNumber: number): void {
    if (this.loserCount === this.losers.length) {
      const grown = new Int32Array(this.losers.length * 2);
      grown.set(this.losers);
      this.losers = grown;
    }
    this.losers[this.loserCount++] = rowNumber;
  }

  /** Hands buffered rows to COPY, waiting when Postgres is behind (backpressure). */
  async flush(force = false): Promise<void> {
    if (this.failure) throw this.failure;
    if (!force && this.buffer.length < FLUSH_AT) return;
    if (!this.buffer) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.copy.write(chunk)) await Promise.race([once(this.copy, 'drain'), once(this.copy, 'error')]);
    if (this.failure) throw this.failure;
    if (this.rowsInCopy >= ROWS_PER_COPY) {
      this.copy.end();
      await finished(this.copy);
      this.copy = this.startCopy();
    }
  }

  /** Ends the COPY and stages the duplicate list; after this the staging is ready to merge. */
  async close(): Promise<void> {
    await this.flush(true);
    this.copy.end();
    await finished(this.copy);
    if (this.loserCount > 0) {
      const losers = this.client.query(copyFrom('COPY pg_temp.import_losers (row_number) FROM STDIN'));
      for (let i = 0; i < this.loserCount; i += 65536) {
        const part = Array.from(this.losers.subarray(i, Math.min(i + 65536, this.loserCount))).join('\n') + '\n';
        if (!losers.write(part)) await once(losers, 'drain');
      }
      losers.end();
      await finished(losers);
    }
    // Temp tables are never auto-analysed; without statistics the merge's joins plan badly.
    await this.client.query('ANALYZE pg_temp.import_stage');
    await this.client.query('ANALYZE pg_temp.import_losers');
  }
}
