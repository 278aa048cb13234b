import crypto from 'node:crypto';
import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { placedCalls, zoneAtLocalHour, type DialFake, type VoiceProviderName } from '../support/dialing-harness';
import { findFreePort } from '../../backend/src/platform/free-port';
import { listen } from '../../backend/src/http-server';
import { startVapiFake } from '../../fakes/vapi/vapi-fake';
import type { VapiFakeOptions } from '../../fakes/vapi/fake-options';
import { startRetellFake } from '../../fakes/retell/retell-fake';
import type { RetellFakeOptions } from '../../fakes/retell/fake-options';
import type { DialingPolicy } from '../../backend/src/domain/dialing/dialing-policy';
import { starterGraph } from '../../backend/src/domain/scripts/script-starter';
import { QUEUE_NAMES } from '../../backend/src/queues/catalog';

// The dialing stack for runs against a Redis of the run's own (the chaos run restarts it): the
// app listening on a real port (the provider's fake posts webhooks to it and its end-of-call
// ingestion releases leases), the Vapi or Retell fake, a fresh database, and a portal on that
// provider with a published script. Workers are not started here: the caller runs them in
// child processes.
export const CHAOS_VAPI_KEY = 'chaos-vapi-key';
export const CHAOS_WEBHOOK_SECRET = 'chaos-webhook-secret-0123';
export const CHAOS_RETELL_KEY = 'chaos-retell-key';
const CHAOS_RETELL_AGENT = 'agent_chaos_dialer';
const CHAOS_RETELL_FROM = '+14155550199';

/** Fake options both fakes take alike (the chaos run sets nothing provider-specific). */
export type ChaosFakeOptions = Pick<VapiFakeOptions & RetellFakeOptions, 'timeScale' | 'concurrencyLimit' | 'seed'> & {
  outcomeMix: Partial<Record<'answered' | 'no_answer' | 'busy' | 'voicemail', number>>;
};

export interface ChaosStack {
  ctx: TestContext;
  provider: VoiceProviderName;
  fake: DialFake;
  /** Provider ids of every call the fake placed (refusals left out). */
  placedCallIds(): string[];
  baseUrl: string;
  portalId: string;
  auth: Record<string, string>;
  seedContacts(n: number): Promise<{ tag: string }>;
  createCampaign(c: { tag: string; maxConcurrent: number; callsPerMinute: number; maxAttempts: number; retryPolicy: unknown }): Promise<string>;
  start(campaignId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startChaosStack(o: {
  provider: VoiceProviderName;
  redisUrl: string;
  fake: ChaosFakeOptions;
  policy: Partial<DialingPolicy>;
  portal: { maxConcurrentCalls: number; callsPerMinute: number };
}): Promise<ChaosStack> {
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Vapi posts to the server URL our dialer puts on each call; Retell to the agent's webhook and
  // function URLs, which the fake is given here (on Retell they are set on the agent).
  const fake: DialFake =
    o.provider === 'retell'
      ? await startRetellFake({ apiKeys: [CHAOS_RETELL_KEY], webhook: { url: `${baseUrl}/webhooks/retell`, functionUrl: `${baseUrl}/webhooks/retell/functions/next_step` }, ...o.fake })
      : await startVapiFake({ apiKeys: [CHAOS_VAPI_KEY], webhook: { auth: { type: 'secret', secret: CHAOS_WEBHOOK_SECRET } }, ...o.fake });
  const providerEnv: Record<string, string> =
    o.provider === 'retell'
      ? { RETELL_API_KEY: CHAOS_RETELL_KEY, RETELL_BASE_URL: fake.url, RETELL_AGENT_ID: CHAOS_RETELL_AGENT, RETELL_FROM_NUMBER: CHAOS_RETELL_FROM }
      : { VAPI_API_KEY: CHAOS_VAPI_KEY, VAPI_BASE_URL: fake.url, VAPI_WEBHOOK_SECRET: CHAOS_WEBHOOK_SECRET };
  const ctx = await createTestContext({ REDIS_URL: o.redisUrl, ...providerEnv, PUBLIC_BASE_URL: baseUrl, LOG_LEVEL: 'error' });
  ctx.deps.dialingPolicy = o.policy;
  // The run kills this Redis on purpose: connection errors are expected, not worth a stack trace each.
  ctx.deps.redis.on('error', () => undefined);
  for (const q of QUEUE_NAMES) ctx.deps.queues.get(q).on('error', () => undefined);
  const server = await listen(ctx.app, port, '127.0.0.1');
  const { db } = ctx.deps;
  const { portal, auth } = await createPortalWithKey(db);
  await db.portal.update({ where: { id: portal.id }, data: { ...o.portal, voiceProvider: o.provider } });
  const script = await db.script.create({ data: { portalId: portal.id, name: 'Chaos', draft: starterGraph('Acme Solar') as object } });
  const version = await db.scriptVersion.create({ data: { portalId: portal.id, scriptId: script.id, version: 1, graph: starterGraph('Acme Solar') as object, checksum: 'chaos' } });
  let seq = 0;

  return {
    ctx,
    provider: o.provider,
    fake,
    placedCallIds: () => placedCalls(fake).map((c) => c.providerCallId),
    baseUrl,
    portalId: portal.id,
    auth,
    async seedContacts(n) {
      const tag = `chaos-${crypto.randomUUID()}`;
      // About 14:00 in the contact's zone: inside every calling window whatever the hour here.
      const timeZone = zoneAtLocalHour(14);
      const rows = Array.from({ length: n }, () => {
        seq += 1;
        return { portalId: portal.id, phone: `+1212${String(3000000 + seq).padStart(7, '0')}`, firstName: `Chaos${seq}`, company: tag, consentType: 'express' as const, timeZone };
      });
      for (let i = 0; i < rows.length; i += 1000) await db.contact.createMany({ data: rows.slice(i, i + 1000) });
      return { tag };
    },
    async createCampaign(c) {
      const segment = await db.segment.create({ data: { portalId: portal.id, name: c.tag, rule: { '==': [{ var: 'company' }, c.tag] } } });
      const campaign = await db.campaign.create({
        data: {
          portalId: portal.id,
          name: 'Chaos campaign',
          segmentId: segment.id,
          maxConcurrent: c.maxConcurrent,
          callsPerMinute: c.callsPerMinute,
          maxAttempts: c.maxAttempts,
          retryPolicy: c.retryPolicy as object,
          windowStart: '00:00',
          windowEnd: '23:59',
          daysOfWeek: [1, 2, 3, 4, 5, 6, 7],
          minConsent: 'express',
        },
      });
      await db.campaignVariant.create({ data: { portalId: portal.id, campaignId: campaign.id, scriptVersionId: version.id, label: 'A' } });
      return campaign.id;
    },
    async start(campaignId) {
      const res = await request(ctx.app).post(`/api/v1/campaigns/${campaignId}/start`).set(auth);
      if (res.status !== 200) throw new Error(`campaign start answered ${res.status}: ${JSON.stringify(res.body)}`);
    },
    async close() {
      await server.close().catch(() => undefined);
      await fake.close().catch(() => undefined);
      await ctx.close().catch(() => undefined);
    },
  };
}
