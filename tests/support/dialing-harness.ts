import crypto from 'node:crypto';
import { createTestContext, type TestContext } from './test-app';
import { createPortalWithKey } from './factories';
import { findFreePort } from '../../backend/src/platform/free-port';
import { listen } from '../../backend/src/http-server';
import { startVapiFake, type VapiFake } from '../../fakes/vapi/vapi-fake';
import type { VapiFakeOptions } from '../../fakes/vapi/fake-options';
import { startRetellFake, type RetellFake } from '../../fakes/retell/retell-fake';
import type { RetellFakeOptions } from '../../fakes/retell/fake-options';
import { createDialingDeps } from '../../backend/src/dialing-deps.factory';
import type { DialingDeps } from '../../backend/src/domain/dialing/dialing-deps';
import type { DialingPolicy } from '../../backend/src/domain/dialing/dialing-policy';
import { starterGraph } from '../../backend/src/domain/scripts/script-starter';

// The whole dialing stack on real Postgres and Redis: our app listening on a real port (the
// Vapi fake posts webhooks and tool calls to it), the Vapi fake as the provider, and a portal
// with a published script, contacts and a segment ready to campaign on.
export const VAPI_KEY = 'test-vapi-key';
export const WEBHOOK_SECRET = 'vapi-webhook-secret-for-tests';
export const RETELL_KEY = 'test-retell-key';
export const RETELL_AGENT = 'agent_test_dialer';
export const RETELL_FROM = '+14155550100';

export type VoiceProviderName = 'vapi' | 'retell';
/** What the dialing tests use of either fake: the same ledger, counters, faults and knobs. */
export type DialFake = Pick<VapiFake & RetellFake, 'url' | 'port' | 'setFaults' | 'addFault' | 'clearFaults' | 'waitForIdle' | 'close'> & {
  state: VapiFake['state'] | RetellFake['state'];
  configure(patch: { concurrencyLimit?: number; rateLimit?: { max: number; windowMs: number; scope?: 'create' | 'all' } | null; timeScale?: number }): void;
};

/** One call a fake placed (not refused for capacity), in terms both fakes can answer. */
export interface PlacedCall {
  providerCallId: string;
  number: string;
  apiKey: string;
  attemptId: string | null;
  campaignId: string | undefined;
  /** Wall-clock ms when the fake accepted the create. */
  createdAtMs: number;
}

/** The calls either fake placed (refusals left out), read from its own state. */
export function placedCalls(fake: Pick<DialFake, 'state'>): PlacedCall[] {
  const out: PlacedCall[] = [];
  for (const c of fake.state.calls.values()) {
    if (c.outcome === 'refused') continue;
    if ('wire' in c) {
      out.push({ providerCallId: c.wire.call_id, number: c.request.to_number, apiKey: c.apiKey, attemptId: c.attemptId, campaignId: c.request.metadata?.campaignId, createdAtMs: c.createdAt });
    } else {
      out.push({ providerCallId: c.id, number: c.request.customer?.number, apiKey: c.apiKey, attemptId: c.attemptId, campaignId: c.request.assistantOverrides?.metadata?.campaignId, createdAtMs: Date.parse(c.createdAt) });
    }
  }
  return out;
}

/**
 * A fixed-offset zone where it is about `hour` o'clock right now, so tests can use the real clock
 * (the Vapi fake stamps calls with it) and still be inside the calling window at any time of day.
 */
export function zoneAtLocalHour(hour: number, now = new Date()): string {
  let offset = hour - now.getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  // POSIX-style names: Etc/GMT-5 is UTC+5.
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

export interface DialingHarness<F extends DialFake | null = VapiFake> {
  ctx: TestContext;
  provider: VoiceProviderName;
  fake: F;
  baseUrl: string;
  portalId: string;
  auth: Record<string, string>;
  versionId: string;
  clock: { now: Date };
  dialing(policy?: Partial<DialingPolicy>): DialingDeps;
  /** Contacts tagged (company = tag) so a campaign can select exactly them. */
  seedContacts(n: number, overrides?: (i: number) => Partial<{ phone: string; consentType: 'none' | 'express' | 'written'; timeZone: string }>): Promise<{ ids: string[]; tag: string }>;
  createCampaign(opts: {
    tag: string; maxConcurrent?: number; callsPerMinute?: number; maxAttempts?: number; retryPolicy?: unknown; window?: { start: string; end: string; daysOfWeek: number[] } }): Promise<string>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  provider?: VoiceProviderName;
  fake?: VapiFakeOptions | RetellFakeOptions;
  portal?: { maxConcurrentCalls?: number; callsPerMinute?: number };
  policy?: Partial<DialingPolicy>;
  /**
   * A Vapi fake the caller runs elsewhere (its own process, as the real Vapi is remote): the app
   * is pointed at it, and starting, reading and stopping it are the caller's; `fake` is null.
   */
  vapiFakeUrl?: string;
}

/** The options the harness starts the Vapi fake with, for a caller that runs it itself (vapiFakeUrl). */
export function vapiFakeOptions(overrides?: VapiFakeOptions): VapiFakeOptions {
  // Every call answered unless a test asks for another mix (the fakes' own defaults mix outcomes).
  return { apiKeys: [VAPI_KEY], timeScale: 0.01, outcomeMix: { answered: 1 }, webhook: { auth: { type: 'secret', secret: WEBHOOK_SECRET } }, ...overrides };
}

/** Vapi unless `provider` says otherwise; a provider-parameterised test gets the fakes' common surface. */
export function createDialingHarness(opts: HarnessOptions & { provider?: 'vapi'; vapiFakeUrl: string }): Promise<DialingHarness<null>>;
export function createDialingHarness(opts?: HarnessOptions & { provider?: 'vapi'; vapiFakeUrl?: undefined }): Promise<DialingHarness<VapiFake>>;
export function createDialingHarness(opts: HarnessOptions & { provider: VoiceProviderName; vapiFakeUrl?: undefined }): Promise<DialingHarness<DialFake>>;
export async function createDialingHarness(opts: HarnessOptions = {}): Promise<DialingHarness<DialFake | null>> {
  const provider = opts.provider ?? 'vapi';
  if (opts.vapiFakeUrl && provider !== 'vapi') throw new Error('vapiFakeUrl is for the Vapi provider');
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Every call answered unless a test asks for another mix (the fakes' own defaults mix outcomes).
  const fake: DialFake | null =
    opts.vapiFakeUrl
      ? null
      : provider === 'retell'
      ? await startRetellFake({
          apiKeys: [RETELL_KEY],
          timeScale: 0.01,
          outcomeMix: { answered: 1 },
          webhook: { url: `${baseUrl}/webhooks/retell`, functionUrl: `${baseUrl}/webhooks/retell/functions/next_step` },
          ...(opts.fake as RetellFakeOptions),
        })
      : await startVapiFake(vapiFakeOptions(opts.fake as VapiFakeOptions));
  const fakeUrl = opts.vapiFakeUrl ?? fake!.url;
  const ctx = await createTestContext(
    provider === 'retell'
      ? { RETELL_API_KEY: RETELL_KEY, RETELL_BASE_URL: fakeUrl, RETELL_AGENT_ID: RETELL_AGENT, RETELL_FROM_NUMBER: RETELL_FROM, PUBLIC_BASE_URL: baseUrl }
      : { VAPI_API_KEY: VAPI_KEY, VAPI_BASE_URL: fakeUrl, VAPI_WEBHOOK_SECRET: WEBHOOK_SECRET, PUBLIC_BASE_URL: baseUrl },
  );
  ctx.deps.dialingPolicy = { dialGraceMs: 200, capacityRetryMs: 50, tickEveryMs: 100, ...opts.policy };
  const server = await listen(ctx.app, port, '127.0.0.1');
  const { portal, auth } = await createPortalWithKey(ctx.deps.db);
  await ctx.deps.db.portal.update({ where: { id: portal.id }, data: { voiceProvider: provider, maxConcurrentCalls: opts.portal?.maxConcurrentCalls ?? 10, callsPerMinute: opts.portal?.callsPerMinute ?? 600 } });
  const script = await ctx.deps.db.script.create({ data: { portalId: portal.id, name: 'Starter', draft: starterGraph('Acme Solar') as object } });
  const version = await ctx.deps.db.scriptVersion.create({ data: { portalId: portal.id, scriptId: script.id, version: 1, graph: starterGraph('Acme Solar') as object, checksum: 'test' } });
  const clock = { now: new Date() };
  let seq = 0;
  return {
    ctx,
    provider,
    fake,
    baseUrl,
    portalId: portal.id,
    auth,
    versionId: version.id,
    clock,
    dialing: (policy) => createDialingDeps(ctx.deps, { policy, now: () => clock.now }),
    async seedContacts(n, overrides) {
      const tag = `batch-${crypto.randomUUID()}`;
      const rows = Array.from({ length: n }, (_, i) => {
        const o = overrides?.(i) ?? {};
        seq += 1;
        return {
          id: crypto.randomUUID(),
          portalId: portal.id,
          // 212 (New York) numbers; the suffix keeps them unique per harness.
          phone: o.phone ?? `+1212${String(2000000 + seq).padStart(7, '0')}`,
          firstName: `Contact${seq}`,
          company: tag,
          consentType: o.consentType ?? 'express',
          timeZone: o.timeZone ?? zoneAtLocalHour(14),
        };
      });
      await ctx.deps.db.contact.createMany({ data: rows });
      return { ids: rows.map((r) => r.id), tag };
    },
    async createCampaign(c) {
      const segment = await ctx.deps.db.segment.create({ data: { portalId: portal.id, name: c.tag, rule: { '==': [{ var: 'company' }, c.tag] } } });
      const campaign = await ctx.deps.db.campaign.create({
        data: {
          portalId: portal.id,
          name: 'Test campaign',
          segmentId: segment.id,
          maxConcurrent: c.maxConcurrent ?? 5,
          callsPerMinute: c.callsPerMinute ?? 600,
          maxAttempts: c.maxAttempts ?? 3,
          retryPolicy: (c.retryPolicy ?? {}) as object,
          windowStart: c.window?.start ?? '00:00',
          windowEnd: c.window?.end ?? '23:59',
          daysOfWeek: c.window?.daysOfWeek ?? [1, 2, 3, 4, 5, 6, 7],
          minConsent: 'express',
        },
      });
      await ctx.deps.db.campaignVariant.create({ data: { portalId: portal.id, campaignId: campaign.id, scriptVersionId: version.id, label: 'A' } });
      return campaign.id;
    },
    async close() {
      await server.close();
      await fake?.close();
      await ctx.close();
    },
  };
}
