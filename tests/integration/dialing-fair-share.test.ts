import request from 'supertest';
import { createDialingHarness, type DialFake, type DialingHarness } from '../support/dialing-harness';
import { sweepCampaigns } from '../../backend/src/domain/dialing/dialing-sweep.service';

// Campaigns dialing on one provider account share its capacity. The sweep lets each keep only its
// share of the account's capacity waiting in the dial queue, so a big campaign's backlog cannot
// crowd a small one out of the slots the account frees; a campaign alone on its account is bound
// by its own pacing only.

describe.each(['vapi', 'retell'] as const)('fair shares of a provider account (%s)', (provider) => {
  let h: DialingHarness<DialFake>;
  beforeAll(async () => {
    // One account with room for 6 live calls: each campaign keeps at most 2 × 6 / (campaigns) waiting.
    h = await createDialingHarness({ provider, portal: { maxConcurrentCalls: 6 } });
  });
  afterAll(async () => h.close());

  const queued = (campaignId: string) => h.ctx.deps.db.campaignContact.count({ where: { campaignId, state: 'queued' } });

  it('splits the account between the campaigns that share it, and gives it back to one left alone', async () => {
    const big = await h.seedContacts(30);
    const small = await h.seedContacts(30);
    const a = await h.createCampaign({ tag: big.tag, maxConcurrent: 6 });
    const b = await h.createCampaign({ tag: small.tag, maxConcurrent: 6 });
    for (const id of [a, b]) await request(h.ctx.app).post(`/api/v1/campaigns/${id}/start`).set(h.auth).expect(200);

    const first = await sweepCampaigns(h.dialing());
    // Alone, each would queue 2 × maxConcurrent = 12; sharing the account, 2 × 6 / 2 = 6 each.
    expect([await queued(a), await queued(b)]).toEqual([6, 6]);
    expect([...first.planned, ...first.orphaned]).toHaveLength(12);

    await request(h.ctx.app).post(`/api/v1/campaigns/${b}/cancel`).set(h.auth).expect(200);
    await sweepCampaigns(h.dialing());
    expect(await queued(a)).toBe(12);
  });
});
