import crypto from 'node:crypto';
import request from 'supertest';
import { createDialingHarness, placedCalls, zoneAtLocalHour, type DialFake, type DialingHarness, type HarnessOptions, type VoiceProviderName } from '../support/dialing-harness';
import { TEST_REDIS_URL } from '../support/test-redis';
import { createPortalWithKey } from '../support/factories';
import { startWorkers, type WorkerHost } from '../../worker/src/worker-host';
import type { FakeOutcome } from '../../fakes/vapi/fake-options';

// Dial-time rules, retries and campaign control through the real queue (issue 5, "Done when"),
// for each provider: BullMQ workers in this process (the scheduler sweep plans, dial jobs dial),
// the provider's fake over HTTP posting its end-of-call webhooks to ours (Vapi's
// end-of-call-report; Retell's signed call_ended / call_analyzed), which end each attempt. Each
// test runs its own campaign to the end and checks what the fake was asked, what Postgres says,
// and that nothing was dialed twice (each fake's ledger counts calls per attempt id).

/** What differs between the providers here: their fakes' knobs, their wire reasons, their refusal forms. */
interface ProviderCase {
  fake: HarnessOptions['fake'];
  reasons: { no_answer: string; voicemail: string };
  refusalCounters: string[];
  defaultRefusal: string;
}
const PROVIDERS: Record<VoiceProviderName, ProviderCase> = {
  vapi: {
    fake: { durations: { queuedSec: [0, 0.1], ringSec: [1, 2], talkSec: [50, 60], voicemailSec: [20, 20], reportDelaySec: [0.2, 0.5] } },
    reasons: { no_answer: 'customer-did-not-answer', voicemail: 'voicemail' },
    // Vapi refuses over its concurrency limit three ways (design.md §6); 'http-400' is its default.
    refusalCounters: ['refusedHttp400', 'refusedBlocked', 'refusedEndedReason'],
    defaultRefusal: 'http-400',
  },
  retell: {
    fake: { durations: { ringSec: [1, 2], talkSec: [50, 60], voicemailSec: [20, 20], analysisDelaySec: [0.2, 0.5] } },
    reasons: { no_answer: 'dial_no_answer', voicemail: 'voicemail_reached' },
    // Retell two: a 429 naming the concurrency limit, or a call ended at once with concurrency_limit_reached.
    refusalCounters: ['refusedHttp429', 'refusedEndedReason'],
    defaultRefusal: 'http-429',
  },
};

const outcomesByPhone = new Map<string, FakeOutcome[]>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

jest.setTimeout(90_000);

describe.each(['vapi', 'retell'] as const)('dialing through the queue: rules, retries, control (%s)', (provider) => {
  const spec = PROVIDERS[provider];
  let h: DialingHarness<DialFake>;
  let host: WorkerHost;
  /** Both fakes take a refusal form; their names differ, so the value comes from PROVIDERS. */
  const setRefusal = (refusal: string) => (h.fake as unknown as { configure(patch: { refusal: string }): void }).configure({ refusal });

  beforeAll(async () => {
    h = await createDialingHarness({
      provider,
      fake: {
        ...spec.fake,
        concurrencyLimit: 10,
        // Each number's outcomes in order; answered once its list runs out.
        scriptFor: (call: { number: string }) => outcomesByPhone.get(call.number)?.shift() ?? 'answered',
      },
      // The worker host registers the reconciler's schedule with this period.
      policy: { reconcileEveryMs: 1000 },
    });
    host = startWorkers(h.ctx.deps, { redisUrl: TEST_REDIS_URL, prefix: h.ctx.redisPrefix });
  });
  afterEach(async () => {
    // On a failure, what the webhook side made of the reports (an unapplied report shows here).
    const events = await db().providerEvent.groupBy({ by: ['type', 'error'], where: { processedAt: null }, _count: { _all: true } });
    if (events.length) console.warn('unprocessed provider events', JSON.stringify(events));
  });
  afterAll(async () => {
    await host.close();
    await h.close();
  });

  const db = () => h.ctx.deps.db;
  const start = (campaignId: string, auth = h.auth) => request(h.ctx.app).post(`/api/v1/campaigns/${campaignId}/start`).set(auth);
  const control = (campaignId: string, action: 'pause' | 'resume' | 'cancel') => request(h.ctx.app).post(`/api/v1/campaigns/${campaignId}/${action}`).set(h.auth).send({});
  const contactsOf = async (campaignId: string) =>
    db().campaignContact.findMany({ where: { campaignId }, include: { contact: true, calls: { orderBy: { createdAt: 'asc' } } }, orderBy: { contact: { phone: 'asc' } } });
  const callsToNumber = (phone: string) => placedCalls(h.fake).filter((c) => c.number === phone).length;
  const callsOfCampaign = (campaignId: string) => placedCalls(h.fake).filter((c) => c.campaignId === campaignId);
  async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
    const end = Date.now() + ms;
    let v = await read();
    while (!ok(v)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${summarize(v)}`);
      await sleep(100);
      v = await read();
    }
    return v;
  }
  // A short account of what was seen (contact rows are long): states and outcomes only.
  const summarize = (v: unknown): string =>
    Array.isArray(v) && v.every((r) => r && typeof r === 'object' && 'state' in r)
      ? v.map((r) => `${r.state}/${r.attempts}/${r.lastOutcome ?? '-'}${r.nextAttemptAt ? `@${Math.round((new Date(r.nextAttemptAt).getTime() - Date.now()) / 1000)}s` : ''}${Array.isArray(r.calls) ? `[${r.calls.map((c: { status: string; outcome: string | null; endedReason: string | null; placedAt: Date | null }) => `${c.status}:${c.outcome}:${c.endedReason}${c.placedAt ? ':placed' : ''}`).join(',')}]` : ''}`).join(' ')
      : JSON.stringify(v, (k, x) => (k === 'contact' || k === 'calls' ? undefined : x)).slice(0, 1500);
  type Row = Awaited<ReturnType<typeof contactsOf>>[number];
  const states = async (campaignId: string) => (await contactsOf(campaignId)).map((c) => c.state);
  const allFinal = (s: string[]) => s.length > 0 && s.every((x) => ['done', 'skipped', 'failed', 'cancelled'].includes(x));

  it('checks DNC at dial time: a number listed after its dial job was queued is never called', async () => {
    const { tag } = await h.seedContacts(3);
    const campaignId = await h.createCampaign({ tag, maxConcurrent: 5 });
    // The dial queue is held: the sweep plans the contacts and queues their dial jobs, nothing dials.
    const dial = h.ctx.deps.queues.get('dial');
    await dial.pause();
    let listed: Row | undefined;
    try {
      await start(campaignId).expect(200);
      await until('three queued dial jobs', async () => ({ s: await states(campaignId), jobs: await dial.getJobCountByTypes('wait') }), (v) => v.s.every((x) => x === 'queued') && v.jobs === 3);
      listed = (await contactsOf(campaignId))[1]!;
      await db().dncEntry.create({ data: { portalId: h.portalId, phone: listed.contact.phone, reason: 'asked after enqueue', source: 'test' } });
    } finally {
      await dial.resume();
    }
    await until('every contact final', () => states(campaignId), allFinal);
    const after = await contactsOf(campaignId);
    expect(after.map((c) => [c.state, c.skipReason])).toEqual([['done', null], ['skipped', 'dnc'], ['done', null]]);
    expect(after[1]!.calls).toMatchObject([{ dncCheckResult: 'listed', placedAt: null, outcome: 'skipped_dnc' }]);
    expect(callsToNumber(listed!.contact.phone)).toBe(0);
    expect(callsToNumber(after[0]!.contact.phone)).toBe(1);
  });

  it('enforces window, consent and frequency caps at dial time: rescheduled or skipped, never called', async () => {
    const { tag, ids } = await h.seedContacts(4, (i) => [{}, { timeZone: zoneAtLocalHour(3) }, { consentType: 'none' as const }, {}][i]!);
    // The fourth contact was already called three times today (another campaign): the daily cap.
    const capped = await db().contact.findUniqueOrThrow({ where: { id: ids[3]! } });
    const earliest = new Date(Date.now() - 3 * 3600_000);
    await db().call.createMany({
      data: [0, 1, 2].map((i) => ({ portalId: h.portalId, contactId: capped.id, toPhone: capped.phone, idempotencyKey: crypto.randomUUID(), status: 'ended' as const, outcome: 'no_answer', placedAt: new Date(earliest.getTime() + i * 3600_000) })),
    });
    const campaignId = await h.createCampaign({ tag, maxConcurrent: 5 });
    const startedAt = Date.now();
    await start(campaignId).expect(200);

    const rows = await until(
      'each contact decided',
      () => contactsOf(campaignId),
      (cs) => cs.every((c) => c.state === 'done' || c.state === 'skipped' || (c.state === 'retry_wait' && c.nextAttemptAt !== null)),
    );
    const byId = new Map(rows.map((c) => [c.contactId, c]));
    const [normal, night, noConsent, overCap] = ids.map((id) => byId.get(id)!) as [Row, Row, Row, Row];
    expect(normal.state).toBe('done');
    // Outside the window (03:00 local): back to waiting until the next opening, 08:00 local, not dropped.
    expect(night).toMatchObject({ state: 'retry_wait', attempts: 0 });
    const opening = night.nextAttemptAt!;
    expect(opening.getTime()).toBeGreaterThan(startedAt);
    expect(opening.getTime() - startedAt).toBeLessThan(6 * 3600_000);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: night.contact.timeZone!, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(opening)).toBe('08:00');
    expect(noConsent).toMatchObject({ state: 'skipped', skipReason: 'no_consent' });
    // Over the daily cap: waits until the oldest of the three calls is a day old.
    expect(overCap).toMatchObject({ state: 'retry_wait', attempts: 0 });
    expect(Math.abs(overCap.nextAttemptAt!.getTime() - (earliest.getTime() + 86_400_000))).toBeLessThan(5_000);
    for (const c of [night, noConsent, overCap]) expect(callsToNumber(c.contact.phone)).toBe(0);
    // A second look much later changes nothing: they are rescheduled, not re-dialed in a loop.
    await sleep(1000);
    expect((await contactsOf(campaignId)).filter((c) => c.state === 'retry_wait')).toHaveLength(2);
    expect(callsToNumber(night.contact.phone) + callsToNumber(overCap.contact.phone)).toBe(0);
    await control(campaignId, 'cancel').expect(200);
  });

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
    const [noAnswer, busy, voicemail] = phones.map((p) => byPhone.get(p)!) as [Row, Row, Row];
    for (const [c, minutes, outcome] of [[noAnswer, 2, 'no_answer'], [busy, 5, 'busy']] as const) {
      expect(c).toMatchObject({ state: 'retry_wait', attempts: 1, lastOutcome: outcome });
      // The next attempt waits the policy's delay from when the attempt ended.
      const endedAt = c.calls[0]!.endedAt ?? c.updatedAt;
      expect(Math.abs(c.nextAttemptAt!.getTime() - endedAt.getTime() - minutes * 60_000)).toBeLessThan(10_000);
    }
    expect(voicemail).toMatchObject({ state: 'done', attempts: 1, lastOutcome: 'voicemail' });
    // The provider's own reasons are what the calls record.
    expect(noAnswer.calls[0]).toMatchObject({ provider, endedReason: spec.reasons.no_answer, outcome: 'no_answer' });
    expect(voicemail.calls[0]).toMatchObject({ provider, endedReason: spec.reasons.voicemail, outcome: 'voicemail' });
    // Nothing is redialed before its time.
    await sleep(1000);
    expect(callsToNumber(phones[0]!) + callsToNumber(phones[1]!)).toBe(2);

    // The delay passes (moved forward rather than waited out): the sweep plans and dials them again.
    await db().campaignContact.updateMany({ where: { campaignId, state: 'retry_wait' }, data: { nextAttemptAt: new Date() } });
    const final = await until('second attempts ended', () => contactsOf(campaignId), (cs) => allFinal(cs.map((c) => c.state)));
    const end = new Map(final.map((c) => [c.contact.phone, c]));
    expect(end.get(phones[0]!)).toMatchObject({ state: 'done', attempts: 2, lastOutcome: 'completed' });
    expect(end.get(phones[1]!)).toMatchObject({ state: 'failed', attempts: 2, lastOutcome: 'busy' });
    expect(end.get(phones[0]!)!.calls.map((c) => c.outcome)).toEqual(['no_answer', 'completed']);
    expect(end.get(phones[0]!)!.calls.map((c) => c.attemptNumber)).toEqual([1, 2]);
    expect(phones.map(callsToNumber)).toEqual([2, 2, 1]);
    expect(h.fake.state.duplicates()).toEqual([]);
  });

  it('pause stops new dials while live calls finish; resume carries on to the end', async () => {
    const { tag } = await h.seedContacts(12);
    const campaignId = await h.createCampaign({ tag, maxConcurrent: 3 });
    const mine = () => callsOfCampaign(campaignId);
    await start(campaignId).expect(200);
    await until('calls live', () => contactsOf(campaignId), (cs) => cs.filter((c) => c.state === 'in_call').length >= 2);
    await control(campaignId, 'pause').expect(200);
    // Dial jobs already past their checks may still place their call; after that, nothing.
    await sleep(500);
    const placedAtPause = mine().length;
    const settled = await until('live calls finished', () => contactsOf(campaignId), (cs) => cs.every((c) => c.state !== 'in_call' && c.state !== 'dialing'), 20_000);
    await sleep(1500);
    expect(mine().length).toBe(placedAtPause);
    expect(placedAtPause).toBeLessThan(12);
    expect(settled.filter((c) => c.state === 'done')).toHaveLength(placedAtPause);
    // The rest wait (none failed or dropped), and the campaign says it is paused.
    expect(settled.filter((c) => c.state !== 'done').every((c) => ['pending', 'queued', 'retry_wait'].includes(c.state))).toBe(true);
    expect((await db().campaign.findUniqueOrThrow({ where: { id: campaignId } })).state).toBe('paused');

    await control(campaignId, 'resume').expect(200);
    await until('every contact final', () => states(campaignId), allFinal, 60_000);
    expect(await states(campaignId)).toEqual(Array(12).fill('done'));
    expect(mine()).toHaveLength(12);
    expect((await db().campaign.findUniqueOrThrow({ where: { id: campaignId } })).state).toBe('completed');
  });

  it('cancel cancels what was not dialed; calls already live finish', async () => {
    const { tag } = await h.seedContacts(12);
    const campaignId = await h.createCampaign({ tag, maxConcurrent: 2 });
    const mine = () => callsOfCampaign(campaignId);
    await start(campaignId).expect(200);
    await until('calls live', () => contactsOf(campaignId), (cs) => cs.filter((c) => c.state === 'in_call').length >= 1);
    await control(campaignId, 'cancel').expect(200);
    await sleep(500);
    const placed = mine().length;
    const final = await until('every contact final', () => contactsOf(campaignId), (cs) => allFinal(cs.map((c) => c.state)), 20_000);
    await sleep(1500);
    expect(mine().length).toBe(placed);
    const count = (s: string) => final.filter((c) => c.state === s).length;
    expect(count('done')).toBe(placed);
    expect(count('cancelled')).toBe(12 - placed);
    expect(final.filter((c) => c.state === 'cancelled').every((c) => c.skipReason === 'campaign_ended' && c.attempts === 0)).toBe(true);
    expect((await db().campaign.findUniqueOrThrow({ where: { id: campaignId } })).state).toBe('cancelled');
  });

  describe('another portal', () => {
    async function portalWith(data: { providerCredentialsEnc?: string; callerIds?: string[] }) {
      const { portal, auth } = await createPortalWithKey(db());
      await db().portal.update({ where: { id: portal.id }, data: { voiceProvider: provider, maxConcurrentCalls: 10, callsPerMinute: 60, ...data } });
      const script = await db().script.create({ data: { portalId: portal.id, name: 'S', draft: {} } });
      const v = await db().scriptVersion.findUniqueOrThrow({ where: { id: h.versionId } });
      const version = await db().scriptVersion.create({ data: { portalId: portal.id, scriptId: script.id, version: 1, graph: v.graph as object, checksum: 'x' } });
      async function campaign(c: { contacts: number; maxConcurrent?: number; callsPerMinute?: number; callerId?: string }) {
        const tag = `p-${crypto.randomUUID()}`;
        await db().contact.createMany({
          data: Array.from({ length: c.contacts }, () => ({ portalId: portal.id, phone: `+1212${crypto.randomInt(1_000_000, 9_999_999)}`, company: tag, consentType: 'express' as const, timeZone: zoneAtLocalHour(14) })),
          skipDuplicates: true,
        });
        const seg = await db().segment.create({ data: { portalId: portal.id, name: tag, rule: { '==': [{ var: 'company' }, tag] } } });
        const row = await db().campaign.create({
          data: { portalId: portal.id, name: tag, segmentId: seg.id, maxConcurrent: c.maxConcurrent ?? 2, callsPerMinute: c.callsPerMinute ?? 30, callerId: c.callerId ?? null, windowStart: '00:00', windowEnd: '23:59', daysOfWeek: [1, 2, 3, 4, 5, 6, 7], minConsent: 'express' },
        });
        await db().campaignVariant.create({ data: { portalId: portal.id, campaignId: row.id, scriptVersionId: version.id, label: 'A' } });
        return row.id;
      }
      return { portal, auth, campaign };
    }

    it('pauses the campaign with a readable reason when the provider rejects the key; no contact fails', async () => {
      const badKey = `not-a-real-${provider}-key`;
      const p = await portalWith({ providerCredentialsEnc: h.ctx.deps.cipher.encrypt(JSON.stringify({ apiKey: badKey })) });
      const campaignId = await p.campaign({ contacts: 4 });
      const before = { ...h.fake.state.counters };
      await start(campaignId, p.auth).expect(200);
      const campaign = await until('campaign paused', () => db().campaign.findUniqueOrThrow({ where: { id: campaignId } }), (c) => c.state === 'paused');
      expect(campaign.stateReason).toMatch(/\w+ \w+ \w+/);
      expect(campaign.stateReason).not.toContain(badKey);
      expect(h.fake.state.counters.unauthorized).toBeGreaterThan(before.unauthorized);
      expect(h.fake.state.counters.created).toBe(before.created);
      await sleep(1000);
      const cs = await contactsOf(campaignId);
      expect(cs.every((c) => ['pending', 'queued', 'retry_wait'].includes(c.state) && c.attempts === 0)).toBe(true);
      const progress = await request(h.ctx.app).get(`/api/v1/campaigns/${campaignId}/progress`).set(p.auth).expect(200);
      expect(progress.body).toMatchObject({ state: 'paused', stateReason: campaign.stateReason });
      expect(progress.body.byState.failed ?? 0).toBe(0);
    });

    it('refuses to start with no contacts, a caller id the account does not own, or pacing above the account (400, nothing written)', async () => {
      const p = await portalWith({ callerIds: ['+12125550100'] });
      const cases: Array<[string, Parameters<typeof p.campaign>[0]]> = [
        ['CAMPAIGN_EMPTY', { contacts: 0 }],
        ['CAMPAIGN_CALLER_ID_NOT_OWNED', { contacts: 2, callerId: '+19995550123' }],
        ['CAMPAIGN_PACING_ABOVE_LIMIT', { contacts: 2, maxConcurrent: 11 }],
        ['CAMPAIGN_PACING_ABOVE_LIMIT', { contacts: 2, callsPerMinute: 61 }],
      ];
      for (const [code, c] of cases) {
        const campaignId = await p.campaign(c);
        const res = await start(campaignId, p.auth).expect(400);
        expect(res.body.error.code).toBe(code);
        expect(res.body.error.message).toMatch(/\w+ \w+ \w+.*\./);
        expect((await db().campaign.findUniqueOrThrow({ where: { id: campaignId } })).state).toBe('draft');
        expect(await db().campaignContact.count({ where: { campaignId } })).toBe(0);
      }
      // The owned number starts.
      await start(await p.campaign({ contacts: 1, callerId: '+12125550100' }), p.auth).expect(200);
    });
  });

  // Last: while the planner bug it exposes is open (see the report), a campaign it leaves stuck
  // makes every later sweep fail, which would starve the other tests' campaigns.
  it('does not count concurrency refusals (every form the provider has) as attempts', async () => {
    h.fake.configure({ concurrencyLimit: 2 });
    setRefusal('rotate');
    try {
      const { tag } = await h.seedContacts(12);
      const campaignId = await h.createCampaign({ tag, maxConcurrent: 5, maxAttempts: 1 });
      const before = { ...h.fake.state.counters };
      await start(campaignId).expect(200);
      const final = await until('every contact final', () => contactsOf(campaignId), (cs) => allFinal(cs.map((c) => c.state)), 60_000);
      const c = h.fake.state.counters as unknown as Record<string, number>;
      const was = before as unknown as Record<string, number>;
      // Every form of refusal happened…
      expect(Object.fromEntries(spec.refusalCounters.map((k) => [k, c[k]! - was[k]! > 0]))).toEqual(Object.fromEntries(spec.refusalCounters.map((k) => [k, true])));
      // …and yet with maxAttempts 1 every contact was reached, on its one counted attempt.
      expect(final.map((x) => [x.state, x.attempts])).toEqual(Array(12).fill(['done', 1]));
      expect(final.map((x) => callsToNumber(x.contact.phone))).toEqual(Array(12).fill(1));
      expect(h.fake.state.duplicates()).toEqual([]);
    } finally {
      h.fake.configure({ concurrencyLimit: 10 });
      setRefusal(spec.defaultRefusal);
    }
  });
});
