import { startPrivateRedis, type PrivateRedis } from '../support/redis-server';
import { WorkerPool, childEnvFor } from '../support/worker-process';
import { seededRandom } from '../../fakes/vapi/fake-timers';
import { LiveCallLeases } from '../../backend/src/domain/dialing/live-call-leases';
import { campaignProgress } from '../../backend/src/domain/dialing/campaign-progress.service';
import type { DialingPolicy } from '../../backend/src/domain/dialing/dialing-policy';
import { createVoiceRouter } from '../../backend/src/providers/voice/voice-router';
import type { VoiceProviderName } from '../support/dialing-harness';
import { startChaosStack, type ChaosStack } from './chaos-stack';

// One chaos run (issue 5, "Done when"): a campaign dialed by worker CHILD processes that are
// SIGKILLed at random moments and replaced, while the run's private Redis (AOF on) is killed and
// started again on the same port and directory. At the end every contact must be final, the
// provider's fake (Vapi or Retell, each with its never-twice ledger) must have seen no attempt
// dialed twice, no live-call lease may be left, and the fake's peak of simultaneous live calls
// must stay within the cap.
export interface ChaosOptions {
  provider: VoiceProviderName;
  contacts: number;
  workers: number;
  kills: number;
  redisRestarts: number;
  /** Live-call cap of the campaign and of the account (the fake's own limit is set well above it). */
  cap: number;
  /** Retry no answer / busy once after the policy's delay (1 minute, the smallest a campaign allows). */
  retries: boolean;
  seed: number;
  timeoutMs: number;
  fsync: 'always' | 'everysec';
  /** Recovery grace: longer than the provider request timeout (10 s) so an in-flight create has settled. */
  dialGraceMs: number;
  log?: (line: string) => void;
}

export interface ChaosResult {
  provider: VoiceProviderName;
  contacts: number;
  kills: number;
  redisRestarts: number;
  duplicates: string[];
  /** Contacts not in a final state when the run ended. */
  lost: number;
  leakedLeases: number;
  /** Leases that expired before a report released them (handed to the reconciler), left at the end. */
  expiredLeasesLeft: number;
  maxLive: number;
  /** Our own lease sets' peak sizes, sampled while running. */
  maxAccountLeases: number;
  maxCampaignLeases: number;
  cap: number;
  /** Calls the fake placed that no Call row records (providerCallId) at the end. */
  unrecorded: number;
  byState: Record<string, number>;
  elapsedMs: number;
  fake: Record<string, number>;
}

export const DEFAULT_CHAOS: ChaosOptions = {
  provider: 'vapi',
  contacts: 1000,
  workers: 3,
  kills: 10,
  redisRestarts: 1,
  cap: 10,
  retries: true,
  seed: 7,
  timeoutMs: 15 * 60_000,
  fsync: 'always',
  dialGraceMs: 12_000,
};

export function chaosPolicy(o: Pick<ChaosOptions, 'dialGraceMs'>): Partial<DialingPolicy> {
  return {
    // Simulated calls last about a second (timeScale 0.01); a lease outlives any of them.
    maxCallDurationMs: 20_000,
    leaseMarginMs: 5_000,
    dialGraceMs: o.dialGraceMs,
    // Same machine, same clock: the recovery search needs no ten-minute margin (see the report).
    clockSkewMs: 5_000,
    capacityRetryMs: 250,
    tickEveryMs: 250,
    planPageSize: 200,
    reconcileEveryMs: 2_000,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(input: Partial<ChaosOptions> = {}): Promise<ChaosResult> {
  const o: ChaosOptions = { ...DEFAULT_CHAOS, ...input };
  const log = o.log ?? (() => undefined);
  const rand = seededRandom(o.seed);
  const started = Date.now();
  let redis: PrivateRedis | undefined;
  let stack: ChaosStack | undefined;
  let pool: WorkerPool | undefined;
  try {
    redis = await startPrivateRedis({ fsync: o.fsync });
    const policy = chaosPolicy(o);
    stack = await startChaosStack({
      provider: o.provider,
      redisUrl: redis.url,
      policy,
      // The fake allows three times our cap, so a cap we break shows up as maxLive, not as refusals.
      // The outcome mix is spelled out (both fakes' own default, 6:2:1:1): the dialing harness
      // otherwise has every call answered.
      fake: { timeScale: 0.01, concurrencyLimit: o.cap * 3, seed: o.seed, outcomeMix: { answered: 6, no_answer: 2, busy: 1, voicemail: 1 } },
      portal: { maxConcurrentCalls: o.cap, callsPerMinute: 100_000 },
    });
    const { ctx, fake } = stack;
    const { tag } = await stack.seedContacts(o.contacts);
    const retryPolicy = o.retries
      ? { no_answer: { retry: true, delayMinutes: 1 }, busy: { retry: true, delayMinutes: 1 }, voicemail: { retry: false, delayMinutes: 1 }, failed: { retry: false, delayMinutes: 1 } }
      : { no_answer: { retry: false, delayMinutes: 1 }, busy: { retry: false, delayMinutes: 1 }, voicemail: { retry: false, delayMinutes: 1 }, failed: { retry: false, delayMinutes: 1 } };
    const campaignId = await stack.createCampaign({ tag, maxConcurrent: o.cap, callsPerMinute: 100_000, maxAttempts: 2, retryPolicy });

    pool = new WorkerPool(childEnvFor(ctx.config, ctx.database.url), { prefix: ctx.redisPrefix, policy, dbPoolMax: 4 });
    await pool.start(o.workers);
    log(`workers up (${pool.alive().map((w) => w.pid).join(', ')}) after ${Date.now() - started} ms`);
    await stack.start(campaignId);

    // Random moments, tied to progress so they land while dialing is under way (never all in the tail).
    const killAt = Array.from({ length: o.kills }, () => 0.03 + rand() * 0.6).sort((a, b) => a - b);
    const restartAt = Array.from({ length: o.redisRestarts }, () => 0.2 + rand() * 0.4).sort((a, b) => a - b);
    const leases = new LiveCallLeases(ctx.deps.redis, ctx.redisPrefix);
    const accountKey = await (async () => {
      const portal = await ctx.deps.db.portal.findUniqueOrThrow({ where: { id: stack!.portalId } });
      const v = createVoiceRouter(ctx.deps).forPortal(portal);
      if (!v.ok) throw new Error(v.reason);
      return leases.accountKeyOf(v.voice.accountKey);
    })();
    const campaignKey = leases.campaignKeyOf(campaignId);
    let maxAccountLeases = 0;
    let maxCampaignLeases = 0;
    let redisRestarts = 0;
    let done = false;
    let lastLog = 0;
    let killing: Promise<void> = Promise.resolve();

    while (Date.now() - started < o.timeoutMs) {
      const p = await campaignProgress(ctx.deps.db, campaignId);
      const fraction = p.total ? p.final / p.total : 0;
      try {
        const [a, c] = await Promise.all([ctx.deps.redis.zcard(accountKey), ctx.deps.redis.zcard(campaignKey)]);
        maxAccountLeases = Math.max(maxAccountLeases, a);
        maxCampaignLeases = Math.max(maxCampaignLeases, c);
      } catch {
        // Redis is down right now (the restart); nothing to sample.
      }
      if (killAt.length && fraction >= killAt[0]!) {
        killAt.shift();
        const jitter = Math.floor(rand() * 400);
        const pick = rand();
        // One kill at a time (each picks its victim among the workers alive at that moment).
        killing = killing.then(async () => {
          await sleep(jitter);
          const pid = await pool!.killAndReplace(pick, false);
          log(`SIGKILL worker ${pid} at ${(fraction * 100).toFixed(0)}% (+${jitter} ms); kills=${pool!.kills}`);
        });
      }
      if (restartAt.length && fraction >= restartAt[0]!) {
        restartAt.shift();
        const downMs = 500 + Math.floor(rand() * 1500);
        log(`redis restart at ${(fraction * 100).toFixed(0)}%, down ${downMs} ms`);
        await redis.restart(downMs);
        redisRestarts += 1;
      }
      if (Date.now() - lastLog > 5_000) {
        lastLog = Date.now();
        log(`t=${((Date.now() - started) / 1000).toFixed(0)}s final ${p.final}/${p.total} ${JSON.stringify(p.byState)} live=${fake.state.liveCalls()} maxLive=${fake.state.maxLive}`);
      }
      if (p.total > 0 && p.final === p.total && killAt.length === 0 && restartAt.length === 0) {
        done = true;
        break;
      }
      await sleep(100);
    }
    await killing;
    if (!done) log('timed out before every contact was final');
    await fake.waitForIdle(30_000).catch(() => log('fake not idle after 30 s'));
    // Reports still in flight to our app when the last contact went final: give them a moment.
    await sleep(500);

    const p = await campaignProgress(ctx.deps.db, campaignId);
    let leaked = 0;
    let expiredLeft = 0;
    for (const key of await leases.allKeys()) {
      leaked += await ctx.deps.redis.zcard(key);
      expiredLeft += await ctx.deps.redis.scard(`${key}:expired`);
    }
    const recorded = new Set(
      (await ctx.deps.db.call.findMany({ where: { campaignId, providerCallId: { not: null } }, select: { providerCallId: true } })).map((c) => c.providerCallId!),
    );
    const placed = stack.placedCallIds();
    const result: ChaosResult = {
      provider: o.provider,
      contacts: p.total,
      kills: pool.kills,
      redisRestarts,
      duplicates: fake.state.duplicates(),
      lost: p.total - p.final,
      leakedLeases: leaked,
      expiredLeasesLeft: expiredLeft,
      maxLive: fake.state.maxLive,
      maxAccountLeases,
      maxCampaignLeases,
      cap: o.cap,
      unrecorded: placed.filter((id) => !recorded.has(id)).length,
      byState: p.byState,
      elapsedMs: Date.now() - started,
      fake: fake.state.stats(),
    };
    if (result.lost > 0) log(`not final: ${JSON.stringify(await describeStuck(stack, campaignId))}`);
    if (result.lost > 0 || result.duplicates.length > 0) log(`worker stderr:\n${pool.stderr().slice(-3000)}`);
    return result;
  } finally {
    await pool?.stopAll('SIGTERM').catch(() => undefined);
    await stack?.close().catch(() => undefined);
    await redis?.stop().catch(() => undefined);
  }
}

/** For a run that left contacts open: where each one's latest attempt is, in Postgres and in BullMQ. */
async function describeStuck(stack: ChaosStack, campaignId: string) {
  const { db, queues } = stack.ctx.deps;
  const open = await db.campaignContact.findMany({
    where: { campaignId, state: { notIn: ['done', 'skipped', 'failed', 'cancelled'] } },
    select: { id: true, state: true, attempts: true, calls: { orderBy: { createdAt: 'desc' }, take: 1, select: { id: true, status: true, providerCallId: true, dialStartedAt: true, outcome: true } } },
    take: 10,
  });
  return Promise.all(
    open.map(async (cc) => {
      const call = cc.calls[0];
      const job = call ? await queues.get('dial').getJob(call.id) : undefined;
      return {
        state: cc.state,
        attempts: cc.attempts,
        call: call ? { status: call.status, placed: Boolean(call.providerCallId), claimed: Boolean(call.dialStartedAt), outcome: call.outcome } : null,
        job: job ? { state: await job.getState(), failedReason: job.failedReason?.slice(0, 160) } : call ? 'none' : null,
      };
    }),
  );
}

/**
 * The one line the issue asks for, for one provider's runs: results summed (kills, duplicates,
 * lost, leases) or maxed (live).
 */
export function chaosLine(results: ChaosResult[]): string {
  const providers = [...new Set(results.map((r) => r.provider))];
  if (providers.length !== 1) throw new Error(`one CHAOS line per provider, got ${providers.join(', ') || 'no runs'}`);
  const sum = (f: (r: ChaosResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const max = (f: (r: ChaosResult) => number) => results.reduce((n, r) => Math.max(n, f(r)), 0);
  return (
    `CHAOS provider=${providers[0]} runs=${results.length} contacts=${sum((r) => r.contacts)} kills=${sum((r) => r.kills)} duplicates=${sum((r) => r.duplicates.length)} ` +
    `lost=${sum((r) => r.lost)} leaked_leases=${sum((r) => r.leakedLeases)} max_live=${max((r) => r.maxLive)} cap=${max((r) => r.cap)}`
  );
}
