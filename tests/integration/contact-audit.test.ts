import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { createDialingHarness, type DialingHarness } from '../support/dialing-harness';
import { createPortalWithKey } from '../support/factories';
import { planDueAttempts } from '../../backend/src/domain/dialing/attempt-planner.service';
import { dialAttempt } from '../../backend/src/domain/dialing/dial-attempt.service';

// The audit trail per contact (issue 10): what the dialer checked for each attempt, when, and who
// started the campaign, read back as JSON pages and as CSV — after a real dial on the Vapi fake and
// a dial-time refusal (the number went on the do-not-call list after the attempt was planned).

describe('contact audit trail', () => {
  let h: DialingHarness;
  beforeAll(async () => {
    h = await createDialingHarness();
  });
  afterAll(async () => h.close());

  const api = () => request(h.ctx.app);

  it('records every check of every attempt, readable as JSON pages and as CSV, for this portal only', async () => {
    const db = h.ctx.deps.db;
    const { ids, tag } = await h.seedContacts(1);
    const contactId = ids[0]!;
    const first = await h.createCampaign({ tag, maxAttempts: 1 });
    // A name a spreadsheet would run as a formula.
    await db.campaign.update({ where: { id: first }, data: { name: '=HYPERLINK("http://x.test","spring")' } });
    await api().post(`/api/v1/campaigns/${first}/start`).set(h.auth).expect(200);
    const d = h.dialing();
    const [placedId] = await planDueAttempts(d, first);
    expect(await dialAttempt(d, placedId!)).toEqual({ kind: 'done', result: 'placed' });

    const second = await h.createCampaign({ tag, maxAttempts: 1 });
    await api().post(`/api/v1/campaigns/${second}/start`).set(h.auth).expect(200);
    const [skippedId] = await planDueAttempts(d, second);
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
    await db.dncEntry.create({ data: { portalId: h.portalId, phone: contact.phone, reason: 'asked', source: 'manual' } });
    expect(await dialAttempt(d, skippedId!)).toEqual({ kind: 'done', result: 'check_dnc' });

    const startedBy = (await db.campaign.findUniqueOrThrow({ where: { id: first } })).startedBy;
    expect(startedBy).toMatch(/^apikey:/);
    // Who started the campaign is frozen on each attempt when it is checked: a later change to the
    // campaign does not rewrite what the audit says about an attempt already made.
    expect((await db.call.findMany({ where: { id: { in: [placedId!, skippedId!] } }, select: { startedBy: true } })).map((c) => c.startedBy)).toEqual([startedBy, startedBy]);
    await db.campaign.update({ where: { id: first }, data: { startedBy: 'apikey:someone-else' } });

    const page1 = await api().get(`/api/v1/contacts/${contactId}/audit`).query({ limit: 1 }).set(h.auth).expect(200);
    expect(page1.body.items).toHaveLength(1);
    const page2 = await api().get(`/api/v1/contacts/${contactId}/audit`).query({ limit: 1, cursor: page1.body.nextCursor }).set(h.auth).expect(200);
    expect(page2.body.nextCursor).toBeNull();
    const byId = new Map([...page1.body.items, ...page2.body.items].map((e: { attemptId: string }) => [e.attemptId, e]));
    expect(new Set(byId.keys())).toEqual(new Set([placedId, skippedId]));

    expect(byId.get(placedId!)).toMatchObject({
      campaignId: first,
      startedBy,
      enrolledBy: null,
      consent: { type: 'express', required: 'express' },
      dncCheck: { result: 'clear', checkedAt: expect.any(String) },
      localTimeAtDial: expect.stringMatching(/T14:/),
      contactTimeZone: contact.timeZone,
      script: { versionId: h.versionId, name: 'Starter', version: 1 },
      variant: 'A',
      claimedAt: expect.any(String),
      providerCallId: expect.any(String),
    });
    expect(byId.get(skippedId!)).toMatchObject({ campaignId: second, dncCheck: { result: 'listed' }, outcome: 'skipped_dnc', claimedAt: null, providerCallId: null });

    const csv = await api().get(`/api/v1/contacts/${contactId}/audit.csv`).set(h.auth).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(csv.text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.attempt_id).sort()).toEqual([placedId, skippedId].sort());
    const placedRow = rows.find((r) => r.attempt_id === placedId)!;
    expect(placedRow).toMatchObject({ dnc_check: 'clear', consent_type: 'express', started_by: startedBy, script_version: '1', variant: 'A' });
    expect(placedRow.campaign_name).toBe(`'=HYPERLINK("http://x.test","spring")`);

    // Another portal's key sees no such contact.
    const other = await createPortalWithKey(db);
    await api().get(`/api/v1/contacts/${contactId}/audit`).set(other.auth).expect(404);
    await api().get(`/api/v1/contacts/${contactId}/audit.csv`).set(other.auth).expect(404);
    const bad = await api().get(`/api/v1/contacts/${contactId}/audit`).query({ limit: 0 }).set(h.auth).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });
});
