import crypto from 'node:crypto';
import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createContact, createPortalWithKey } from '../support/factories';
import statusUpdate from '../fixtures/vapi/vapi-status-update.in-progress.finzie.json';
import { solarGraph } from '../fixtures/scripts/script-samples';
import { answerScriptToolCalls } from '../../backend/src/domain/scripts/script-step.service';
import { ScriptVersionCache } from '../../backend/src/domain/scripts/script-version.cache';
import { CallStepCache } from '../../backend/src/domain/scripts/call-step.cache';
import type { CallRow } from '../../backend/src/domain/scripts/script-step.service';
import { pooledSqlRunner, prismaRunner, type SqlRunner } from '../../backend/src/platform/sql-runner';

// The in-call half of the script engine: Vapi `tool-calls` messages (research/vapi.md §3.7)
// answered from a published graph over real HTTP and Postgres, each step recorded on the Call.

const SECRET = 'vapi-webhook-secret-for-tests';
let ctx: TestContext;
let portalId: string;
let contactId: string;
let versionId: string;
let seq = 0;

beforeAll(async () => {
  ctx = await createTestContext({ VAPI_WEBHOOK_SECRET: SECRET });
  const p = await createPortalWithKey(ctx.deps.db);
  portalId = p.portal.id;
  contactId = (await createContact(ctx.deps.db, portalId, { firstName: 'Jane' })).id;
  const script = await request(ctx.app).post('/api/v1/scripts').set(p.auth).send({ name: 'Solar', graph: solarGraph() }).expect(201);
  versionId = (await request(ctx.app).post(`/api/v1/scripts/${script.body.id}/publish`).set(p.auth).send({}).expect(201)).body.version.id;
});
afterAll(async () => ctx.close());

async function createCall(overrides: { portalId?: string; contactId?: string; scriptVersionId?: string | null } = {}) {
  seq += 1;
  return ctx.deps.db.call.create({
    data: {
      portalId: overrides.portalId ?? portalId,
      contactId: overrides.contactId ?? contactId,
      idempotencyKey: `test:${seq}:${crypto.randomUUID()}`,
      toPhone: '+12025550100',
      providerCallId: `vapi-call-${seq}-${crypto.randomUUID()}`,
      attemptNumber: 1,
      status: 'in_progress',
      scriptVersionId: overrides.scriptVersionId === undefined ? versionId : overrides.scriptVersionId,
    },
  });
}

/** The §3.7 docs shape, with our attempt id where Vapi echoes assistantOverrides.metadata. */
function toolCalls(call: { id?: string; providerCallId?: string | null }, calls: Array<{ id: string; args: Record<string, unknown>; name?: string }>) {
  return {
    message: {
      type: 'tool-calls',
      timestamp: Date.now(),
      call: { id: call.providerCallId ?? 'unknown-call', ...(call.id ? { assistantOverrides: { metadata: { attemptId: call.id } } } : {}) },
      toolWithToolCallList: calls.map((c) => ({ name: c.name ?? 'next_step', toolCall: { id: c.id, parameters: c.args } })),
      toolCallList: calls.map((c) => ({ id: c.id, name: c.name ?? 'next_step', parameters: c.args })),
    },
  };
}

const post = (body: unknown, headers: Record<string, string> = { 'X-Vapi-Secret': SECRET }) => request(ctx.app).post('/webhooks/vapi').set(headers).send(body as object);

describe('POST /webhooks/vapi tool-calls', () => {
  it('answers each step from the published graph and records it on the call', async () => {
    const call = await createCall();
    const r1 = await post(toolCalls(call, [{ id: 'tc-1', args: { answer: 'yes' } }]));
    expect(r1.status).toBe(200);
    expect(r1.body).toEqual({ results: [{ toolCallId: 'tc-1', name: 'next_step', result: expect.stringContaining('Roughly how much is your monthly electricity bill') }] });

    let row = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: call.id } });
    expect(row.answers).toEqual({ ownsHome: true });
    expect(row.scriptPath).toEqual([
      expect.objectContaining({ toolCallId: 'tc-1', node: 'ask_owner', opening: ['greet', 'vip_check', 'ask_owner'], answer: { name: 'ownsHome', value: true }, visited: ['owner_branch', 'ask_bill'], stop: 'ask_bill' }),
    ]);

    // Found by Vapi's call id alone this time (no metadata).
    const r2 = await post(toolCalls({ providerCallId: call.providerCallId }, [{ id: 'tc-2', args: { answer: '250' } }]));
    expect(r2.body.results[0].result).toContain('morning or an afternoon');
    const r3 = await post(toolCalls(call, [{ id: 'tc-3', args: { answer: 'Afternoon' } }]));
    expect(r3.body.results[0].result).toMatch(/connect you with an advisor now\." Then transfer the call to \+14155550123/);

    row = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: call.id } });
    expect(row.answers).toEqual({ ownsHome: true, monthlyBill: 250, slot: 'afternoon' });
    expect((row.scriptPath as Array<{ stop: string }>).map((s) => s.stop)).toEqual(['ask_bill', 'ask_slot', 'handoff']);
    expect(row.isOptOut).toBe(false);

    // Each message is kept as received, once, against the call (stored with the step it recorded).
    const stored = await ctx.deps.db.providerEvent.findMany({ where: { callId: call.id }, orderBy: { id: 'asc' } });
    expect(stored.map((e) => [e.type, e.portalId, e.processedAt !== null])).toEqual([
      ['tool-calls', row.portalId, true],
      ['tool-calls', row.portalId, true],
      ['tool-calls', row.portalId, true],
    ]);
    expect(stored.map((e) => (e.payload as { message: { toolCallList: Array<{ id: string }> } }).message.toolCallList[0]!.id)).toEqual(['tc-1', 'tc-2', 'tc-3']);
  });

  it('does not advance twice for a repeated tool call id, nor on an answer of the wrong type', async () => {
    const call = await createCall();
    const first = await post(toolCalls(call, [{ id: 'dup', args: { answer: true } }]));
    const again = await post(toolCalls(call, [{ id: 'dup', args: { answer: true } }]));
    expect(again.body.results[0].result).toContain('Roughly how much');
    expect(first.body.results[0].result).toContain('Roughly how much');
    const bad = await post(toolCalls(call, [{ id: 'bad', args: { answer: 'quite a lot' } }]));
    expect(bad.body.results[0].result).toMatch(/^That answer could not be used \(expected a number\)/);
    const row = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: call.id } });
    expect((row.scriptPath as Array<Record<string, unknown>>).map((s) => [s.toolCallId, s.stop, s.invalid ?? null])).toEqual([
      ['dup', 'ask_bill', null],
      ['bad', 'ask_bill', 'expected a number'],
    ]);
    expect(row.answers).toEqual({ ownsHome: true });
    // Messages are kept as received, once each: the first 'dup' and 'bad' with the steps they
    // recorded; the repeat of 'dup' is no second record. A message that records no step (here a
    // tool we do not offer) is stored right after it is answered.
    const other = await post(toolCalls(call, [{ id: 'other-tool', name: 'book_meeting', args: {} }]));
    expect(other.body.results[0].result).toMatch(/^Unknown tool "book_meeting"/);
    const idsStored = async () =>
      (await ctx.deps.db.providerEvent.findMany({ where: { callId: call.id } })).map((e) => (e.payload as { message: { toolCallList: Array<{ id: string }> } }).message.toolCallList[0]!.id).sort();
    for (let i = 0; i < 100 && (await idsStored()).length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await idsStored()).toEqual(['bad', 'dup', 'other-tool']);
  });

  it('never applies an answer to a question the call moved past while it was being handled', async () => {
    const call = await createCall();
    const db = ctx.deps.db;
    // Another step lands between our read and our write (a second tool call for the same call).
    let raced = false;
    const plain = prismaRunner(db);
    const racing: SqlRunner = {
      async query<R>(text: string, params: unknown[], name?: string): Promise<R[]> {
        if (name === 'hac_step_record' && !raced) {
          raced = true;
          const other = [{ at: new Date().toISOString(), toolCallId: 'other', node: 'ask_owner', answer: { name: 'ownsHome', value: true }, visited: ['owner_branch', 'ask_bill'], stop: 'ask_bill' }];
          await db.$executeRaw`UPDATE "Call" SET "scriptPath" = "scriptPath" || ${JSON.stringify(other)}::jsonb, "answers" = '{"ownsHome": true}'::jsonb WHERE "id" = ${call.id}::uuid`;
        }
        return plain.query<R>(text, params, name);
      },
    };
    const {
      results: [result],
    } = await answerScriptToolCalls(
      { db, sql: racing, versions: new ScriptVersionCache() },
      // "1" reads as yes to the home question and as 1 to the bill question: it must not become a bill.
      { attemptId: call.id, toolCalls: [{ id: 'late', name: 'next_step', arguments: { answer: '1' } }] },
    );
    expect(raced).toBe(true);
    expect(result!.result).toContain('Roughly how much');
    const row = await db.call.findUniqueOrThrow({ where: { id: call.id } });
    expect(row.scriptPath).toEqual([expect.objectContaining({ toolCallId: 'other' })]);
    expect(row.answers).toEqual({ ownsHome: true });
  });

  it('keeps each call’s state between steps, and a copy made stale by another instance never loses an answer', async () => {
    const call = await createCall();
    const db = ctx.deps.db;
    // Two web instances, each with its own copies; the calls' tool calls alternate between them
    // (one stepping through Prisma, the other through a plain pg pool with named statements).
    const a = { db, versions: new ScriptVersionCache(), calls: new CallStepCache<CallRow>() };
    const b = { db, sql: pooledSqlRunner(ctx.database.url), versions: new ScriptVersionCache(), calls: new CallStepCache<CallRow>() };
    const step = (deps: typeof a, id: string, answer: unknown) => answerScriptToolCalls(deps, { attemptId: call.id, providerCallId: call.providerCallId, toolCalls: [{ id, name: 'next_step', arguments: { answer } }] }).then((a) => a.results);

    expect((await step(a, 'one', 'yes'))[0]!.result).toContain('Roughly how much');
    expect(a.calls.size).toBe(1);
    expect((await step(b, 'two', 200))[0]!.result).toMatch(/morning or an afternoon/);
    // a's copy still has one step; its UPDATE misses, the call is read again and the answer applied.
    await step(a, 'three', 'morning');
    const row = await db.call.findUniqueOrThrow({ where: { id: call.id } });
    expect((row.scriptPath as Array<{ toolCallId: string }>).map((r) => r.toolCallId)).toEqual(['one', 'two', 'three']);
    expect(row.answers).toEqual({ ownsHome: true, monthlyBill: 200, slot: 'morning' });
    // a's copy now holds the state it wrote (the next step would need the UPDATE only).
    expect((a.calls.get({ attemptId: call.id, provider: 'vapi' })!.scriptPath as unknown[]).length).toBe(3);
  });

  it('records an opt-out on the call and leads to the opt_out node', async () => {
    const call = await createCall();
    const res = await post(toolCalls(call, [{ id: 'stop', args: { optOut: true } }]));
    expect(res.body.results[0].result).toMatch(/removing your number.*endCall/);
    const row = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: call.id } });
    expect(row.isOptOut).toBe(true);
    expect(row.scriptPath).toEqual([expect.objectContaining({ optOut: true, stop: 'opt_out' })]);
  });

  it("answers every tool call in a message, and tells the assistant to wrap up on a call it cannot attribute", async () => {
    const call = await createCall();
    const both = await post(toolCalls(call, [{ id: 'a', args: { answer: 'no' } }, { id: 'b', name: 'sendEmail', args: {} }]));
    expect(both.body.results).toEqual([
      { toolCallId: 'a', name: 'next_step', result: expect.stringContaining("owner's sign-off") },
      { toolCallId: 'b', name: 'sendEmail', result: expect.stringContaining('Unknown tool') },
    ]);
    const unknown = await post(toolCalls({ id: crypto.randomUUID(), providerCallId: 'nobody' }, [{ id: 'x', args: { answer: 'yes' } }]));
    expect(unknown.body.results[0].result).toMatch(/No script is available/);
  });

  it("never serves another portal's graph", async () => {
    const stranger = await createPortalWithKey(ctx.deps.db);
    const theirContact = await createContact(ctx.deps.db, stranger.portal.id);
    const call = await createCall({ portalId: stranger.portal.id, contactId: theirContact.id, scriptVersionId: versionId });
    const res = await post(toolCalls(call, [{ id: 'x', args: { answer: 'yes' } }]));
    expect(res.body.results[0].result).toMatch(/No script is available/);
    expect((await ctx.deps.db.call.findUniqueOrThrow({ where: { id: call.id } })).scriptPath).toEqual([]);
  });

  it('acknowledges other message types with { received: true }', async () => {
    const res = await post(statusUpdate);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true });
  });
});

describe('POST /webhooks/vapi authentication', () => {
  const sign = (ts: string, raw: string) => crypto.createHmac('sha256', SECRET).update(`${ts}.${raw}`).digest('hex');

  it('refuses a missing or wrong secret with 401 and changes nothing', async () => {
    const call = await createCall();
    const body = toolCalls(call, [{ id: 'tc', args: { answer: 'yes' } }]);
    const before = await ctx.deps.db.call.findUniqueOrThrow({ where: { id: call.id } });
    const events = await ctx.deps.db.providerEvent.count();
    for (const [headers, code] of [
      [{}, 'VAPI_WEBHOOK_MISSING'],
      [{ 'X-Vapi-Secret': 'wrong-secret-value' }, 'VAPI_WEBHOOK_MISMATCH'],
      [{ Authorization: `Bearer ${SECRET}x` }, 'VAPI_WEBHOOK_MISMATCH'],
      [{ 'x-signature': sign('1', JSON.stringify(body)), 'x-timestamp': '1' }, 'VAPI_WEBHOOK_STALE_TIMESTAMP'],
    ] as const) {
      const res = await post(body, headers as Record<string, string>);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe(code);
    }
    expect(await ctx.deps.db.call.findUniqueOrThrow({ where: { id: call.id } })).toEqual(before);
    expect(await ctx.deps.db.providerEvent.count()).toBe(events);
  });

  it('accepts an HMAC of {timestamp}.{rawBody} and a Bearer credential', async () => {
    const call = await createCall();
    const raw = JSON.stringify(toolCalls(call, [{ id: 'h1', args: { answer: 'yes' } }]));
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await request(ctx.app).post('/webhooks/vapi').set({ 'content-type': 'application/json', 'x-signature': sign(ts, raw), 'x-timestamp': ts }).send(raw);
    expect(res.status).toBe(200);
    expect(res.body.results[0].toolCallId).toBe('h1');
    const tampered = await request(ctx.app).post('/webhooks/vapi').set({ 'content-type': 'application/json', 'x-signature': sign(ts, raw), 'x-timestamp': ts }).send(raw.replace('"yes"', '"no"'));
    expect(tampered.status).toBe(401);
    const bearer = await post(toolCalls(call, [{ id: 'h2', args: { answer: 100 } }]), { Authorization: `Bearer ${SECRET}` });
    expect(bearer.status).toBe(200);
  });
});
