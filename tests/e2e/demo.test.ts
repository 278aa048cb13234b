import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { TEST_REDIS_URL } from '../support/test-redis';
import { zoneAtLocalHour } from '../support/dialing-harness';
import { parse } from 'csv-parse/sync';
import { generateDemoContacts } from '../fixtures/demo/demo-contacts.generator';
import { readDefaultInput } from '../../scripts/demo/demo-setup';
import { runDemo, type DemoResult } from '../../scripts/demo/demo-run';
import { captureAllOutput } from '../support/log-capture';
import { findLeaks, needles, type Needle } from '../support/log-leak-scan';

// The demo pipeline end to end, smaller and bounded: the real import job, script, segment and
// campaign through the API, the queue, the workers, the Vapi fake's calls, webhooks and tool
// walk, and write-back to the HubSpot fake. Every figure the summary prints is checked against
// the database and the fakes' own ledgers, independently of the demo's own cross-checks. Runs on
// the machine's Postgres (PGlite cannot load inside jest; demo-embedded.test.ts covers that
// path). Contacts sit in a zone where it is about 14:00 now, so the run does not depend on the
// hour; the sample file's real US zones are the interactive demo's business.
// The run logs at the most verbose level and every line it writes (backend, workers and fakes
// all run in this process) is captured, then searched for every phone number, email, token and
// transcript the run used.
const ROOT = path.resolve(__dirname, '../..');

describe('npm run demo, as a pipeline', () => {
  let database: TestDatabase;
  let result: DemoResult;
  const generated = generateDemoContacts({ people: 24, invalid: 3, duplicates: 3, dnc: 3, seed: 7, timeZoneOverride: zoneAtLocalHour(14) });
  const reportPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hac-demo-e2e-')), 'report.html');
  const lines: string[] = [];
  let output: string[] = [];
  // DNC is checked before consent, so a person on both counts as DNC.
  const digits = (p: string) => p.replace(/\D/g, '').slice(-10);
  const dncPhones = new Set((parse(generated.dncCsv, { columns: true }) as Array<{ phone: string }>).map((r) => digits(r.phone)));
  const rows = parse(generated.contactsCsv, { columns: true }) as Array<Record<string, string>>;
  const noConsentOnly = new Set(rows.filter((r) => r['Call Consent'] === '' && !dncPhones.has(digits(r['Phone Number']!))).map((r) => digits(r['Phone Number']!))).size;

  beforeAll(async () => {
    database = await createTestDatabase();
    const input = { ...readDefaultInput(ROOT), contactsCsv: generated.contactsCsv, dncCsv: generated.dncCsv, contactsFile: 'generated.csv' };
    const capture = captureAllOutput({ level: 'silly' });
    try {
      result = await runDemo({
        input,
        databaseUrl: database.url,
        redisUrl: TEST_REDIS_URL,
        timeScale: 0.01,
        seed: 3,
        deadline: Date.now() + 50_000,
        reportPath,
        keepDataDir: false,
        logLevel: 'silly',
        print: (l) => lines.push(l),
      });
    } finally {
      capture.stop();
      output = capture.lines;
    }
  }, 90_000);
  afterAll(async () => {
    await database?.drop();
    fs.rmSync(path.dirname(reportPath), { recursive: true, force: true });
  });

  it('settles within its budget, with every cross-check agreeing', () => {
    // The progress lines say where it stood if it did not.
    expect({ settled: result.figures.settled, last: result.figures.settled ? '' : lines.slice(-3).join('\n') }).toEqual({ settled: true, last: '' });
    expect(result.figures.pausedAtBudget).toBe(false);
    expect(result.ok).toBe(true);
    expect(lines.filter((l) => l.includes('] to dial ')).length).toBeGreaterThan(1);
  });

  it('imports, skips and dials exactly what the database and the file say', async () => {
    const db = database.db;
    const f = result.figures;
    const e = generated.expected;
    const imp = await db.import.findUniqueOrThrow({ where: { id: result.setup.importId } });
    expect([imp.status, imp.rowsRead, imp.created, imp.duplicate, imp.rejected]).toEqual(['completed', e.rows, e.people, e.duplicates, e.invalid]);
    expect(f.import).toMatchObject({ rowsRead: e.rows, created: e.people, duplicate: e.duplicates, rejected: e.invalid });
    expect(await db.contact.count()).toBe(e.people);

    const ccs = await db.campaignContact.groupBy({ by: ['state', 'skipReason'], where: { campaignId: result.setup.campaignId }, _count: { _all: true } });
    const n = (state: string, reason?: string) => ccs.filter((r) => r.state === state && (reason === undefined || r.skipReason === reason)).reduce((a, r) => a + r._count._all, 0);
    expect(n('skipped', 'dnc')).toBe(e.dnc);
    expect(n('skipped', 'no_consent')).toBe(noConsentOnly);
    expect(f.campaign.skippedByReason).toEqual({ dnc: e.dnc, ...(noConsentOnly ? { no_consent: noConsentOnly } : {}) });
    expect(f.campaign.outsideWindow.count).toBe(0);
    expect(n('pending') + n('queued') + n('dialing') + n('in_call')).toBe(0);

    const placed = await db.call.count({ where: { campaignId: result.setup.campaignId, placedAt: { not: null } } });
    // Everyone callable was dialed once (retries wait for hours, so none happened yet).
    expect(placed).toBe(e.people - e.dnc - noConsentOnly);
    expect(f.calls.dialed).toBe(placed);
    expect(await db.call.count({ where: { campaignId: result.setup.campaignId, placedAt: { not: null }, outcome: null } })).toBe(0);
  });

  it('agrees with the Vapi fake call by call, and never dials an attempt twice', async () => {
    const vs = result.stack.vapi.state;
    const db = database.db;
    const calls = await db.call.findMany({ where: { campaignId: result.setup.campaignId, placedAt: { not: null } }, select: { id: true, providerCallId: true, outcome: true } });
    expect(vs.counters.dialed).toBe(calls.length);
    expect(vs.duplicates()).toEqual([]);
    const expectedOutcome: Record<string, string> = { answered: 'completed', opt_out: 'completed', no_answer: 'no_answer', busy: 'busy', voicemail: 'voicemail', failed: 'failed_transient' };
    for (const c of calls) {
      const fake = vs.calls.get(c.providerCallId!);
      expect({ id: c.id, attempt: fake?.attemptId, outcome: c.outcome }).toEqual({ id: c.id, attempt: c.id, outcome: expectedOutcome[fake!.outcome] });
    }
    const optedOut = [...vs.calls.values()].filter((c) => c.outcome === 'opt_out').length;
    expect(result.figures.calls.optOuts).toBe(optedOut);
    expect(await db.dncEntry.count()).toBe(generated.expected.dnc + optedOut);
    expect(result.figures.vapi.webhooksFailed).toBe(0);
    expect(result.figures.vapi.toolSteps).toBe([...vs.calls.values()].reduce((a, c) => a + c.toolSteps.length, 0));
  });

  it('wrote one HubSpot call engagement per reported call of a contact HubSpot knows', async () => {
    const db = database.db;
    const account = result.stack.hubspot.state.account(result.setup.hubId);
    const synced = await db.call.count({ where: { campaignId: result.setup.campaignId, placedAt: { not: null }, contact: { hubspotContactId: { not: null } } } });
    const created = await db.outbox.findMany({ where: { kind: 'hubspot.call', hubspotObjectId: { not: null } }, select: { hubspotObjectId: true } });
    expect(created.length).toBe(synced);
    expect(account.calls.size).toBe(synced);
    expect(new Set(created.map((r) => r.hubspotObjectId))).toEqual(new Set(account.calls.keys()));
    expect(result.figures.hubspot.engagementsInHubSpot).toBe(synced);
    const recordIds = new Set(generated.hubspotRecords.map((r) => r.id));
    const associated = account.associations.filter((a) => a.fromType === 'calls' && a.toType === 'contacts');
    expect(associated.length).toBe(synced);
    expect(associated.every((a) => recordIds.has(a.toId))).toBe(true);
    expect(result.figures.hubspot.notSynced).toBe(await db.call.count({ where: { campaignId: result.setup.campaignId, placedAt: { not: null }, contact: { hubspotContactId: null } } }));
  });

  it('prints the summary and writes a self-contained HTML report with charts', () => {
    expect(result.summary).toContain(`Calls dialed`);
    expect(result.summary).toMatch(new RegExp(`Calls dialed\\s+${result.figures.calls.dialed}\\s`));
    expect(result.summary).not.toContain('DIFF');
    const html = fs.readFileSync(reportPath, 'utf8');
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(5);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  it('logs no phone number, email, token or transcript it handled, at the most verbose level', async () => {
    const db = database.db;
    const { stack, setup } = result;
    const dncRows = parse(generated.dncCsv, { columns: true }) as Array<{ phone: string }>;
    const fakeCalls = [...stack.vapi.state.calls.values()];
    const dbContacts = await db.contact.findMany({ select: { phone: true, email: true } });
    const dbCalls = await db.call.findMany({ select: { toPhone: true, transcript: true, summary: true } });
    const hs = stack.hubspot.state;
    const found: Needle[] = [
      ...needles('phone', 'contacts file', rows.map((r) => r['Phone Number'])),
      ...needles('phone', 'dnc file', dncRows.map((r) => r.phone)),
      ...needles('phone', 'database contacts', dbContacts.map((c) => c.phone)),
      ...needles('phone', 'database calls', dbCalls.map((c) => c.toPhone)),
      ...needles('phone', 'do-not-call entries', (await db.dncEntry.findMany({ select: { phone: true } })).map((d) => d.phone)),
      ...needles('phone', 'numbers the Vapi fake dialled', fakeCalls.map((c) => c.request.customer?.number as string | undefined)),
      ...needles('email', 'contacts file', rows.map((r) => r.Email), 3),
      ...needles('email', 'HubSpot records', generated.hubspotRecords.map((r) => r.properties.email), 3),
      ...needles('email', 'database contacts', dbContacts.map((c) => c.email), 3),
      ...needles('token', 'portal API key', [setup.apiKey]),
      ...needles('token', 'HubSpot OAuth', [...hs.accessTokens.keys(), ...hs.refreshTokens.keys(), ...hs.authCodes.keys()]),
      ...needles('token', 'configuration secrets', [
        stack.config.vapi.apiKey, stack.config.vapi.webhookSecret, stack.config.hubspot.clientSecret, stack.adminToken, stack.config.encryptionKey?.toString('hex'),
      ]),
      // Single words ("yes") say nothing; every utterance of 8+ characters is looked for.
      ...needles('transcript', 'Vapi fake transcripts', fakeCalls.flatMap((c) => c.transcript.map((t) => t.text)), 8),
      ...needles('transcript', 'stored transcripts and summaries', dbCalls.flatMap((c) => [c.transcript, c.summary]), 8),
    ];
    const count = (kind: Needle['kind']) => new Set(found.filter((n) => n.kind === kind).map((n) => n.value)).size;
    // The search is only as good as what it looks for and where: it must hold every kind of value
    // and the lines of every part of the run (HTTP, import, dial and report workers, script steps).
    expect(count('phone')).toBeGreaterThanOrEqual(generated.expected.people);
    expect(count('email')).toBeGreaterThanOrEqual(generated.expected.people - generated.expected.withoutHubSpotId);
    expect(count('token')).toBeGreaterThanOrEqual(6);
    expect(count('transcript')).toBeGreaterThan(0);
    const messages = new Set(output.map((l) => { try { return String(JSON.parse(l).message); } catch { return ''; } }));
    for (const m of ['hubspot app installed', 'import finished', 'campaign started', 'call placed', 'script step', 'call finalized', 'attempt finished']) expect(messages).toContain(m);

    const leaks = findLeaks(output, found);
    expect(leaks.map((l) => `${l.kind} from ${l.from} (${l.hint}) in line ${l.lineIndex}: ${l.excerpt}`)).toEqual([]);
  });
});
