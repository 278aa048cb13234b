import request from 'supertest';
import { createDialingHarness, type DialFake, type DialingHarness } from '../support/dialing-harness';
import { TEST_REDIS_URL } from '../support/test-redis';
import { startWorkers, type WorkerHost } from '../../worker/src/worker-host';
import type { RetellFake } from '../../fakes/retell/retell-fake';
import type { RetellFakeOutcome } from '../../fakes/retell/fake-options';

// The queue's retry and capacity rules with Retell as the provider (the Vapi versions are in
// dialing-queue-rules.test.ts): BullMQ workers in this process, the Retell fake over HTTP
// posting signed call_ended / call_analyzed to our webhook, which ends each attempt.

const outcomesByPhone = new Map<string, RetellFakeOutcome[]>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
jest.setTimeout(90_000);

describe('dialing through the queue on Retell', () => {
  let h: DialingHarness<DialFake>;
  let host: WorkerHost;
  const fake = () => h.fake as unknown as RetellFake;

  beforeAll(async () => {
    h = await createDialingHarness({
      provider: 'retell',
      fake: {
        concurrencyLimit: 10,
        durations: { ringSec: [1, 2], talkSec: [50, 60], voicemailSec: [20, 20], analysisDelaySec: [0.2, 0.5] },
        scriptFor: (call) => outcomesByPhone.get(call.number)?.shift() ?? 'answered',
      },
      policy: { reconcileEveryMs: 1000 },
    });
    host = startWorkers(h.ctx.deps, { redisUrl: TEST_REDIS_URL, prefix: h.ctx.redisPrefix });
  });
  afterAll(async () => {
    await host.close();
    await h.close();
  });

  const db = () => h.ctx.deps.db;
  const start = (campaignId: string) => request(h.ctx.app).post(`/api/v1/campaigns/${campaignId}/start`).set(h.auth);
  const contactsOf = (campaignId: string) =>
    db().campaignContact.findMany({ where: { campaignId }, include: { contact: true, calls: { orderBy: { createdAt: 'asc' } } }, orderBy: { contact: { phone: 'asc' } } });
  const callsToNumber = (phone: string) => [...fake().state.calls.values()].filter((c) => c.request.to_number === phone && c.outcome !== 'refused').length;
  const allFinal = (s: string[]) => s.length > 0 && s.every((x) => ['done', 'skipped', 'failed', 'cancelled'].includes(x));
  async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
    const end = Date.now() + ms;
    let v = await read();
    while (!ok(v)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v, (k, x) => (k === 'contact' || k === 'calls' ? undefined : typeof x === 'bigint' ? String(x) : x)).slice(0, 1500)}`);
      await sleep(100);
      v = await read();
    }
    return v;
  }

  it('retries per outcome with the policy delay: no answer then answered, busy twice, voicemail once', async () => {
    const { tag, ids } = await h.seedContacts(3);
    const phones = await Promise.all(ids.map(async (id) => (await db().contact.findUniqueOrThrow({ where: { id } })).phone));
    outcomesByPhone.set(phones[0]!, ['no_answer', 'answered']);
    outcomesByPhone.set(phones[1]!, ['busy', 'busy']);
    outcomesByPhone.set(phones[2]!, ['voicemail']);
    const retryPolicy = { no_answer: { retry: true, delayMinutes: 2 }, busy: { retry: true, delayMinutes: 5 }, voicemail: { retry: false, delayMinutes: 1 }, failed: { retry: false, delayMinutes: 1 } };
    const campaignId = await h.createCampaign({ tag, maxConcurrent: 5, maxAttempts: 2, retryPolicy });
    await start(campaignId).expect(200);

    const first = await until('first attempts ended', () => contactsOf(campaignId), (cs) => cs.every((c) => c.state === 'retry_wait' || c.state === 'done'));
    const byPhone = new Map(first.map((c) => [c.contact.phone, c]));
    const [noAnswer, busy, voicemail] = phones.map((p) => byPhone.get(p)!);
    for (const [c, minutes, outcome] of [[noAnswer!, 2, 'no_answer'], [busy!, 5, 'busy']] as const) {
      expect(c).toMatchObject({ state: 'retry_wait', attempts: 1, lastOutcome: outcome });
      const endedAt = c.calls[0]!.endedAt ?? c.updatedAt;
      expect(Math.abs(c.nextAttemptAt!.getTime() - endedAt.getTime() - minutes * 60_000)).toBeLessThan(10_000);
    }
    expect(voicemail).toMatchObject({ state: 'done', attempts: 1, lastOutcome: 'voicemail' });
    // The Retell reasons are what the calls record.
    expect(noAnswer!.calls[0]).toMatchObject({ provider: 'retell', endedReason: 'dial_no_answer', outcome: 'no_answer' });
    expect(voicemail!.calls[0]).toMatchObject({ endedReason: 'voicemail_reached', outcome: 'voicemail' });

    await db().campaignContact.updateMany({ where: { campaignId, state: 'retry_wait' }, data: { nextAttemptAt: new Date() } });
    const final = await until('second attempts ended', () => contactsOf(campaignId), (cs) => allFinal(cs.map((c) => c.state)));
    const end = new Map(final.map((c) => [c.contact.phone, c]));
    expect(end.get(phones[0]!)).toMatchObject({ state: 'done', attempts: 2, lastOutcome: 'completed' });
    expect(end.get(phones[1]!)).toMatchObject({ state: 'failed', attempts: 2, lastOutcome: 'busy' });
    expect(end.get(phones[0]!)!.calls.map((c) => c.outcome)).toEqual(['no_answer', 'completed']);
    expect(phones.map(callsToNumber)).toEqual([2, 2, 1]);
    expect(fake().state.duplicates()).toEqual([]);
  });

  it('does not count concurrency refusals (both Retell forms) as attempts', async () => {
    h.fake.configure({ concurrencyLimit: 2 });
    fake().configure({ refusal: 'rotate' });
    try {
      const { tag } = await h.seedContacts(10);
      const campaignId = await h.createCampaign({ tag, maxConcurrent: 5, maxAttempts: 1 });
      const before = { ...fake().state.counters };
      await start(campaignId).expect(200);
      const final = await until('every contact final', () => contactsOf(campaignId), (cs) => allFinal(cs.map((c) => c.state)), 60_000);
      const c = fake().state.counters;
      expect(c.refusedHttp429 - before.refusedHttp429).toBeGreaterThan(0);
      expect(c.refusedEndedReason - before.refusedEndedReason).toBeGreaterThan(0);
      // With maxAttempts 1 every contact was still reached, on its one counted attempt.
      expect(final.map((x) => [x.state, x.attempts])).toEqual(Array(10).fill(['done', 1]));
      expect(final.map((x) => callsToNumber(x.contact.phone))).toEqual(Array(10).fill(1));
      expect(fake().state.duplicates()).toEqual([]);
    } finally {
      h.fake.configure({ concurrencyLimit: 10 });
      fake().configure({ refusal: 'http-429' });
    }
  });
});
