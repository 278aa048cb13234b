import request from 'supertest';
import { createDialingHarness, type DialingHarness } from '../support/dialing-harness';
import { dialAttempt } from '../../backend/src/domain/dialing/dial-attempt.service';
import { planDueAttempts } from '../../backend/src/domain/dialing/attempt-planner.service';
import { assignVariant } from '../../backend/src/domain/campaigns/campaign-variants';
import { starterGraph } from '../../backend/src/domain/scripts/script-starter';

// A/B variants end to end: a campaign pinning two published versions with weights 1:3 is
// started over the API; each contact's variant is the stable hash choice (fixed at snapshot, the
// same again when computed afresh), each call records that variant and its script version, and
// what reaches Vapi is the pinned version's own script — not the other variant's. (Per-variant
// analytics over finished calls: analytics-api.test.ts.)

describe('A/B script variants through the dial path', () => {
  let h: DialingHarness;
  beforeAll(async () => {
    h = await createDialingHarness({ fake: { concurrencyLimit: 1000, durations: { talkSec: [600, 600], ringSec: [1, 1] } }, portal: { maxConcurrentCalls: 100 } });
  });
  afterAll(() => h.close());

  it('assigns by weighted hash, records variant and version on every call, and sends each contact its own version', async () => {
    const db = h.ctx.deps.db;
    const { tag } = await h.seedContacts(60);
    const campaignId = await h.createCampaign({ tag, maxConcurrent: 100 });
    // The harness pinned version 1 ("Acme Solar") as A; add version 2 ("Beta Windows") as B at weight 3.
    const v1 = await db.scriptVersion.findUniqueOrThrow({ where: { id: h.versionId } });
    const v2 = await db.scriptVersion.create({ data: { portalId: h.portalId, scriptId: v1.scriptId, version: 2, graph: starterGraph('Beta Windows') as object, checksum: 'test-v2' } });
    await db.campaignVariant.updateMany({ where: { campaignId, label: 'A' }, data: { weight: 1 } });
    await db.campaignVariant.create({ data: { portalId: h.portalId, campaignId, scriptVersionId: v2.id, label: 'B', weight: 3 } });
    const variants = await db.campaignVariant.findMany({ where: { campaignId } });
    const versionOf = new Map(variants.map((v) => [v.id, v.scriptVersionId]));
    const labelOf = new Map(variants.map((v) => [v.id, v.label]));

    await request(h.ctx.app).post(`/api/v1/campaigns/${campaignId}/start`).set(h.auth).expect(200);
    const members = await db.campaignContact.findMany({ where: { campaignId } });
    expect(members).toHaveLength(60);
    for (const m of members) expect(m.variantId).toBe(assignVariant({ campaignId, contactId: m.contactId }, variants).id);
    // Both variants are used, roughly 1:3 (60 contacts: B between 30 and 56 is a safe band for a fair hash).
    const bCount = members.filter((m) => labelOf.get(m.variantId!) === 'B').length;
    expect(bCount).toBeGreaterThanOrEqual(30);
    expect(bCount).toBeLessThanOrEqual(56);

    const d = h.dialing();
    const ids = await planDueAttempts(d, campaignId);
    expect(ids).toHaveLength(60);
    for (const id of ids) expect(await dialAttempt(d, id)).toEqual({ kind: 'done', result: 'placed' });

    const calls = await db.call.findMany({ where: { campaignId }, include: { campaignContact: true } });
    expect(calls).toHaveLength(60);
    const sent = new Map([...h.fake.state.calls.values()].map((c) => [c.attemptId, JSON.stringify(c.request)]));
    for (const call of calls) {
      expect(call.variantId).toBe(call.campaignContact!.variantId);
      expect(call.scriptVersionId).toBe(versionOf.get(call.variantId!));
      const body = sent.get(call.id);
      expect(body).toBeDefined();
      const [own, other] = labelOf.get(call.variantId!) === 'B' ? ['Beta Windows', 'Acme Solar'] : ['Acme Solar', 'Beta Windows'];
      expect(body).toContain(own);
      expect(body).not.toContain(other);
    }

  });
});
