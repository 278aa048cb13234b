import crypto from 'node:crypto';
import request from 'supertest';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from '../support/test-redis';
import { webhookApply } from '../../worker/src/processors/webhook-apply.processor';
import { createDialingDeps } from '../../backend/src/dialing-deps.factory';
import type { Express } from 'express';
import type { Db } from '../../backend/src/platform/prisma';
import type { TestContext } from '../support/test-app';
import { createContact } from '../support/factories';
import { createResultsDeps } from '../../backend/src/results-deps.factory';
import type { ResultsDeps } from '../../backend/src/domain/calls/results-deps';
import type { VoiceRouter } from '../../backend/src/domain/dialing/dialing-port';

// Shared by the results suites (webhooks, reconciler, outbox, analytics): calls in the state the
// dialer leaves them in, and Vapi server messages in the wire format (research/vapi.md §3).

export const VAPI_SECRET = 'results-webhook-secret';
export const PLACED_AT = new Date('2026-11-20T15:00:00.000Z');

export interface SeededCall {
  callId: string;
  providerCallId: string;
  campaignId: string;
  campaignContactId: string;
  contactId: string;
  phone: string;
}

/** A running campaign with one contact whose attempt the provider accepted (call queued, contact in_call). */
export async function seedPlacedCall(
  db: Db,
  x: { portalId: string; campaignId?: string; contactId?: string; providerCallId?: string | null; status?: 'pending' | 'queued'; placedAt?: Date | null; scriptVersionId?: string | null; variantId?: string | null },
): Promise<SeededCall> {
  const campaignId = x.campaignId ?? (await db.campaign.create({ data: { portalId: x.portalId, name: `Campaign ${crypto.randomUUID().slice(0, 6)}`, state: 'running', maxAttempts: 3 } })).id;
  const contact = x.contactId ? await db.contact.findUniqueOrThrow({ where: { id: x.contactId } }) : await createContact(db, x.portalId, { phone: randomPhone() });
  const cc = await db.campaignContact.upsert({
    where: { campaignId_contactId: { campaignId, contactId: contact.id } },
    create: { portalId: x.portalId, campaignId, contactId: contact.id, state: 'in_call', attempts: 1, variantId: x.variantId ?? null },
    update: { state: 'in_call', attempts: { increment: 1 } },
  });
  const providerCallId = x.providerCallId === undefined ? `vapi-${crypto.randomUUID()}` : x.providerCallId;
  const call = await db.call.create({
    data: {
      portalId: x.portalId,
      campaignId,
      campaignContactId: cc.id,
      contactId: contact.id,
      attemptNumber: cc.attempts,
      idempotencyKey: `attempt:${crypto.randomUUID()}`,
      toPhone: contact.phone,
      providerAccount: 'vapi-test-account',
      providerCallId,
      status: x.status ?? (providerCallId ? 'queued' : 'pending'),
      dialStartedAt: PLACED_AT,
      placedAt: x.placedAt === undefined ? (providerCallId ? PLACED_AT : null) : x.placedAt,
      scriptVersionId: x.scriptVersionId ?? null,
      variantId: x.variantId ?? null,
    },
  });
  return { callId: call.id, providerCallId: providerCallId ?? `vapi-${crypto.randomUUID()}`, campaignId, campaignContactId: cc.id, contactId: contact.id, phone: contact.phone };
}

export const randomPhone = () => `+1202${String(crypto.randomInt(2000000, 9999999))}`;

const callSnapshot = (c: { callId: string; providerCallId: string }, portalId?: string) => ({
  id: c.providerCallId,
  type: 'outboundPhoneCall',
  status: 'queued',
  assistantOverrides: { metadata: { attemptId: c.callId, ...(portalId ? { portalId } : {}) } },
});

export function statusUpdate(c: { callId: string; providerCallId: string }, status: string, timestamp: number, extra: Record<string, unknown> = {}) {
  return { message: { type: 'status-update', timestamp, status, ...(status === 'ended' ? { endedReason: extra.endedReason ?? 'customer-ended-call' } : {}), ...extra, call: callSnapshot(c) } };
}

export interface ReportOptions {
  endedReason?: string;
  startedAt?: string;
  endedAt?: string;
  durationSeconds?: number;
  cost?: number;
  summary?: string;
  transcript?: string;
  structuredOutputs?: Record<string, { name: string; result: unknown }>;
  recordingUrl?: string;
  timestamp?: number;
}

export function endOfCallReport(c: { callId: string; providerCallId: string }, o: ReportOptions = {}) {
  const transcript = o.transcript ?? 'AI: Hello, this is Ada calling about your solar quote.\nUser: Sure, go ahead.\n';
  return {
    message: {
      type: 'end-of-call-report',
      timestamp: o.timestamp ?? Date.parse('2026-11-20T15:02:00.000Z'),
      endedReason: o.endedReason ?? 'customer-ended-call',
      startedAt: o.startedAt ?? '2026-11-20T15:00:10.000Z',
      endedAt: o.endedAt ?? '2026-11-20T15:01:25.500Z',
      cost: o.cost ?? 0.1234,
      durationSeconds: o.durationSeconds ?? 75.5,
      analysis: { summary: o.summary ?? 'The contact wants a quote next week.', successEvaluation: 'true' },
      artifact: {
        transcript,
        messages: [
          { role: 'bot', message: 'Hello, this is Ada calling about your solar quote.', secondsFromStart: 0.5 },
          { role: 'user', message: 'Sure, go ahead.', secondsFromStart: 3.2 },
        ],
        recordingUrl: o.recordingUrl ?? `https://storage.example.test/${c.providerCallId}.wav`,
        ...(o.structuredOutputs ? { structuredOutputs: o.structuredOutputs } : {}),
      },
      call: callSnapshot(c),
    },
  };
}

let settleApplies: (() => Promise<void>) | undefined;

/** Posts one server message; with an apply worker running, returns once the reports it queued are applied. */
export async function postVapi(app: Express, body: unknown, headers: Record<string, string> = { 'X-Vapi-Secret': VAPI_SECRET }) {
  const res = await request(app).post('/webhooks/vapi').set(headers).send(body as object);
  if (settleApplies) await settleApplies();
  return res;
}

/**
 * A real BullMQ worker for webhooks.apply (the end-of-call reports the endpoint queues), as the
 * worker process runs it. settle() waits until the queue is empty and nothing is running.
 */
export function startApplyWorker(ctx: TestContext) {
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const dialing = createDialingDeps(ctx.deps);
  const worker = new Worker(
    'webhooks',
    (job: Job, token?: string) => webhookApply(job.data, { deps: ctx.deps, job, token, rateLimit: async () => undefined, dialing: () => dialing } as never),
    { connection, prefix: ctx.deps.queues.prefix, concurrency: 4 },
  );
  const queue = ctx.deps.queues.get('webhooks');
  const settle = async (timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (!c.waiting && !c.active && !c.delayed && !c.prioritized) return;
      if (Date.now() > deadline) throw new Error(`webhooks.apply did not settle: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  settleApplies = settle;
  return {
    settle,
    async close() {
      settleApplies = undefined;
      await worker.close();
      connection.disconnect();
    },
  };
}

/** The results services over the test context, with an injectable voice router for the reconciler. */
export function resultsDepsFor(ctx: TestContext, voice?: VoiceRouter): ResultsDeps {
  return createResultsDeps(voice ? { ...ctx.deps, voice } : ctx.deps);
}
