import request from 'supertest';
import { createDialingHarness, type DialFake, type DialingHarness } from '../support/dialing-harness';
import { dialAttempt } from '../../backend/src/domain/dialing/dial-attempt.service';
import { planDueAttempts } from '../../backend/src/domain/dialing/attempt-planner.service';

// The dial step against each provider's fake (Vapi, Retell) over real HTTP, driven directly (no queue) so each rule of
// design.md §4 can be checked in isolation with a fixed clock.
// Contacts sit in a zone where it is about 14:00 now (zoneAtLocalHour), so the real clock — the
// one the Vapi fake stamps calls with — is inside every window; the campaign allows every day.

describe.each(['vapi', 'retell'] as const)('dial path (%s)', (provider) => {
  let h: DialingHarness<DialFake>;
  beforeAll(async () => {
    h = await createDialingHarness({ provider, fake: { durations: { talkSec: [600, 600], ringSec: [1, 1] } } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.clock.now = new Date();
    h.fake.clearFaults();
  });

  async function startWith(n: number, opts: Omit<Parameters<DialingHarness['createCampaign']>[0], 'tag'> = {}, contacts?: Parameters<DialingHarness['seedContacts']>[1]) {
    const { tag } = await h.seedContacts(n, contacts);
    const campaignId = await h.createCampaign({ ...opts, tag });
    const portal = await h.ctx.deps.db.portal.findUniqueOrThrow({ where: { id: h.portalId } });
    // Start through the API: snapshot + running.
    await request(h.ctx.app).post(`/api/v1/campaigns/${campaignId}/start`).set(h.auth).expect(200);
    return { campaignId, portal };
  }

  it('claims before dialing, records the provider id, holds a lease, and never dials an attempt twice', async () => {
    const { campaignId } = await startWith(2);
    const d = h.dialing();
    const ids = await planDueAttempts(d, campaignId);
    expect(ids).toHaveLength(2);
    const [a, b] = await Promise.all([dialAttempt(d, ids[0]!), dialAttempt(d, ids[0]!)]);
    // One run claims and places; the other lost the claim, found it placed, or found it claimed
    // and still in flight — then it waits out the grace period before asking the provider (a
    // delay of the job, never a second call). Which one depends on when its read lands.
    const results = [a, b].map((s) => s.result);
    expect(results.filter((r) => r === 'placed')).toHaveLength(1);
    expect(results.filter((r) => r !== 'placed')).toEqual([expect.stringMatching(/^(claim_lost|already_placed|recovery_wait)$/)]);
    expect([a, b].filter((s) => s.kind === 'later').every((s) => s.result === 'recovery_wait')).toBe(true);
    const call = await h.ctx.deps.db.call.findUniqueOrThrow({ where: { id: ids[0]! }, include: { campaignContact: true } });
    expect(call.providerCallId).toBeTruthy();
    // The call records which provider placed it.
    expect(call.provider).toBe(provider);
    expect(call.dncCheckResult).toBe('clear');
    expect(call.localTimeAtDial).toMatch(/T1[345]:/);
    expect(call.campaignContact?.state).toBe('in_call');
    expect(call.campaignContact?.attempts).toBe(1);
    expect(h.fake.state.duplicates()).toEqual([]);
    const leases = await d.leases.live(d.leases.campaignKeyOf(campaignId));
    expect(leases).toEqual([ids[0]]);
    // A re-delivered job for the same attempt is a no-op.
    expect(await dialAttempt(d, ids[0]!)).toEqual({ kind: 'done', result: 'already_placed' });
  });

  it('checks DNC at dial time: a number added after the contact was queued is never dialed', async () => {
    const { campaignId } = await startWith(1);
    const d = h.dialing();
    const [id] = await planDueAttempts(d, campaignId);
    const call = await h.ctx.deps.db.call.findUniqueOrThrow({ where: { id: id! } });
    await h.ctx.deps.db.dncEntry.create({ data: { portalId: h.portalId, phone: call.toPhone, reason: 'asked', source: 'manual' } });
    const before = h.fake.state.stats();
    expect(await dialAttempt(d, id!)).toEqual({ kind: 'done', result: 'check_dnc' });
    const after = await h.ctx.deps.db.call.findUniqueOrThrow({ where: { id: id! }, include: { campaignContact: true } });
    expect(after.campaignContact).toMatchObject({ state: 'skipped', skipReason: 'dnc' });
    expect(after).toMatchObject({ dncCheckResult: 'listed', placedAt: null, outcome: 'skipped_dnc' });
    expect(h.fake.state.stats()).toEqual(before);
  });

  it('reschedules outside the calling window to the next opening instead of dropping', async () => {
    const { campaignId } = await startWith(1, { window: { start: '09:00', end: '17:00', daysOfWeek: [1, 2, 3, 4, 5] } }, () => ({ timeZone: 'America/New_York' }));
    h.clock.now = new Date('2026-11-24T23:30:00Z'); // 18:30 in New York
    const d = h.dialing();
    const [id] = await planDueAttempts(d, campaignId);
    expect(await dialAttempt(d, id!)).toEqual({ kind: 'done', result: 'check_outside_window' });
    const cc = await h.ctx.deps.db.campaignContact.findFirstOrThrow({ where: { campaignId } });
    expect(cc.state).toBe('retry_wait');
    expect(cc.attempts).toBe(0);
    expect(cc.nextAttemptAt?.toISOString()).toBe('2026-11-25T14:00:00.000Z'); // 09:00 New York next day
    expect(await h.ctx.deps.db.call.count({ where: { id: id! } })).toBe(0);
  });

  it('skips contacts without the consent the campaign needs', async () => {
    const { campaignId } = await startWith(1, {}, () => ({ consentType: 'none' }));
    const d = h.dialing();
    const [id] = await planDueAttempts(d, campaignId);
    expect(await dialAttempt(d, id!)).toEqual({ kind: 'done', result: 'check_no_consent' });
  });

  it('treats a concurrency refusal as capacity: requeued, not an attempt', async () => {
    const { campaignId } = await startWith(1);
    const d = h.dialing();
    const [id] = await planDueAttempts(d, campaignId);
    h.fake.configure({ concurrencyLimit: 0 });
    const step = await dialAttempt(d, id!);
    h.fake.configure({ concurrencyLimit: 10 });
    expect(step).toMatchObject({ kind: 'later', result: expect.stringMatching(/^capacity_/) });
    const cc = await h.ctx.deps.db.campaignContact.findFirstOrThrow({ where: { campaignId } });
    expect(cc).toMatchObject({ state: 'queued', attempts: 0 });
    expect(await d.leases.live(d.leases.campaignKeyOf(campaignId))).toEqual([]);
    expect(await dialAttempt(d, id!)).toEqual({ kind: 'done', result: 'placed' });
  });

  it('recovers an ambiguous create (timeout after the call was created) without a second call', async () => {
    const { campaignId } = await startWith(1);
    const d = h.dialing();
    const [id] = await planDueAttempts(d, campaignId);
    h.fake.setFaults([{ route: 'create', times: 1, fault: { kind: 'status', status: 503, afterCreate: true } } as never]);
    const first = await dialAttempt(d, id!);
    expect(first).toMatchObject({ kind: 'later', result: 'ambiguous' });
    let cc = await h.ctx.deps.db.campaignContact.findFirstOrThrow({ where: { campaignId } });
    expect(cc.state).toBe('dialing');
    // Before the grace period: wait — unless the fake's status webhook (which carries the attempt
    // id) already recorded the call, in which case there is nothing left to recover.
    const second = await dialAttempt(d, id!);
    expect([JSON.stringify({ kind: 'later', result: 'recovery_wait' }), JSON.stringify({ kind: 'done', result: 'already_placed' })])
      .toContain(JSON.stringify({ kind: second.kind, result: (second as { result: string }).result }));
    h.clock.now = new Date(h.clock.now.getTime() + 1000);
    // Either recovery finds the call by attempt id, or the fake's status webhook (which carries
    // the attempt id) recorded it first; both without a second call.
    expect(await dialAttempt(d, id!)).toEqual({ kind: 'done', result: expect.stringMatching(/^(recovered_placed|already_placed)$/) });
    cc = await h.ctx.deps.db.campaignContact.findFirstOrThrow({ where: { campaignId } });
    expect(cc).toMatchObject({ state: 'in_call', attempts: 1 });
    const ledger = h.fake.state.ledger.get(id!);
    expect(ledger?.created).toBe(1);
    expect(h.fake.state.duplicates()).toEqual([]);
  });

  it('re-dials a claimed attempt the provider never received, once the grace period has passed', async () => {
    // One attempt allowed: the re-dial is that same attempt, not a second one.
    const { campaignId } = await startWith(1, { maxAttempts: 1 });
    const d = h.dialing();
    const [id] = await planDueAttempts(d, campaignId);
    h.fake.setFaults([{ route: 'create', times: 1, fault: { kind: 'status', status: 503 } } as never]);
    expect(await dialAttempt(d, id!)).toMatchObject({ kind: 'later', result: 'ambiguous' });
    h.clock.now = new Date(h.clock.now.getTime() + 1000);
    expect(await dialAttempt(d, id!)).toEqual({ kind: 'done', result: 'placed' });
    expect(h.fake.state.ledger.get(id!)?.created).toBe(1);
    const cc = await h.ctx.deps.db.campaignContact.findFirstOrThrow({ where: { campaignId } });
    expect(cc).toMatchObject({ state: 'in_call', attempts: 1 });
  });

  it('honours a 429: no call, the account is held back for Retry-After', async () => {
    const { campaignId } = await startWith(1);
    const d = h.dialing();
    const [id] = await planDueAttempts(d, campaignId);
    h.fake.setFaults([{ route: 'create', times: 1, fault: { kind: 'status', status: 429, headers: { 'retry-after': '2' } } } as never]);
    const step = await dialAttempt(d, id!);
    expect(step).toMatchObject({ kind: 'later', result: 'provider_429' });
    expect((step as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(1000);
    const cc = await h.ctx.deps.db.campaignContact.findFirstOrThrow({ where: { campaignId } });
    expect(cc).toMatchObject({ state: 'queued', attempts: 0 });
  });
});
