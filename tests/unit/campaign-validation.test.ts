import type { Db } from '../../backend/src/platform/prisma';
import { portalCallingDefaults, meetsConsent } from '../../backend/src/domain/campaigns/campaign-defaults';
import {
  DEFAULT_RETRY_POLICY,
  assertCampaignValid,
  defaultSettings,
  mergeSettings,
  readRetryPolicy,
  variantsFrom,
} from '../../backend/src/domain/campaigns/campaign-validation';
import { ZCampaignCreate } from '../../backend/src/domain/campaigns/campaign.schemas';

const portal = {
  defaultTimeZone: 'America/New_York',
  defaultWindowStart: '09:00',
  defaultWindowEnd: '20:00',
  settings: {},
  maxConcurrentCalls: 10,
  callsPerMinute: 60,
  callerIds: ['+14155550100'],
};
const d = portalCallingDefaults(portal);
// No segment and no variants: the checks never reach the database.
const noDb = {} as Db;
const NOW = new Date('2025-01-15T15:00:00Z');
const settle = (input: object) => mergeSettings(defaultSettings(d), ZCampaignCreate.parse({ name: 'x', scriptVersionId: '6f1c1e4e-4a8b-4c43-9b1d-0c6f7f2b9a10', ...input }));
const check = (input: object) => assertCampaignValid(noDb, 'p', settle(input), undefined, d, NOW);

describe('campaign defaults', () => {
  it('come from the portal, with express consent and weekdays unless its settings say otherwise', () => {
    expect(d).toMatchObject({ minConsent: 'express', window: { start: '09:00', end: '20:00', daysOfWeek: [1, 2, 3, 4, 5] } });
    const custom = portalCallingDefaults({ ...portal, settings: { minConsent: 'written', defaultDaysOfWeek: [1, 3] } });
    expect(custom).toMatchObject({ minConsent: 'written', window: { daysOfWeek: [1, 3] } });
    expect(portalCallingDefaults({ ...portal, settings: { minConsent: 'sort of' } }).minConsent).toBe('express');
    const s = defaultSettings(d);
    expect(s).toMatchObject({ maxConcurrent: 5, callsPerMinute: 30, maxAttempts: 3, retryPolicy: DEFAULT_RETRY_POLICY });
    expect(defaultSettings(portalCallingDefaults({ ...portal, maxConcurrentCalls: 2 })).maxConcurrent).toBe(2);
  });

  it('ranks consent none < express < written', () => {
    expect(meetsConsent('written', 'express')).toBe(true);
    expect(meetsConsent('express', 'express')).toBe(true);
    expect(meetsConsent('none', 'express')).toBe(false);
    expect(meetsConsent('express', 'written')).toBe(false);
    expect(meetsConsent('none', 'none')).toBe(true);
  });
});

describe('campaign settings', () => {
  it('overlay input on the base, outcome by outcome for retries', () => {
    const s = settle({ retryPolicy: { busy: { retry: false, delayMinutes: 5 } }, callingWindow: { end: '18:00' } });
    expect(s.retryPolicy).toEqual({ ...DEFAULT_RETRY_POLICY, busy: { retry: false, delayMinutes: 5 } });
    expect([s.windowStart, s.windowEnd]).toEqual(['09:00', '18:00']);
  });

  it('read stored retry policies back over the defaults', () => {
    expect(readRetryPolicy(null)).toEqual(DEFAULT_RETRY_POLICY);
    expect(readRetryPolicy({ voicemail: { retry: false, delayMinutes: 10 }, busy: { retry: 'yes' } }).voicemail).toEqual({ retry: false, delayMinutes: 10 });
    expect(readRetryPolicy({ busy: { retry: 'yes' } }).busy).toEqual(DEFAULT_RETRY_POLICY.busy);
  });

  it('label variants and accept the single-version shorthand', () => {
    const id = '6f1c1e4e-4a8b-4c43-9b1d-0c6f7f2b9a10';
    expect(variantsFrom({ name: 'x', scriptVersionId: id })).toEqual([{ scriptVersionId: id, weight: 1, label: 'A' }]);
    const two = ZCampaignCreate.parse({ name: 'x', variants: [{ scriptVersionId: id }, { scriptVersionId: id.replace('a10', 'a11'), weight: 3, label: 'Bold' }] });
    expect(variantsFrom(two)?.map((v) => [v.label, v.weight])).toEqual([['A', 1], ['Bold', 3]]);
  });
});

describe('campaign validation sentences', () => {
  it('passes good settings', async () => {
    await expect(check({ callerId: '+14155550100', pacing: { maxConcurrent: 10, callsPerMinute: 60 } })).resolves.toBeUndefined();
  });

  it.each([
    [{ pacing: { maxConcurrent: 11 } }, 'CAMPAIGN_PACING_ABOVE_LIMIT', "maxConcurrent 11 is above this portal's provider account limit of 10 live calls."],
    [{ pacing: { callsPerMinute: 61 } }, 'CAMPAIGN_PACING_ABOVE_LIMIT', "callsPerMinute 61 is above this portal's provider account limit of 60 calls per minute."],
    [{ callingWindow: { start: '07:00' } }, 'CAMPAIGN_WINDOW_INVALID', 'The window cannot start before 08:00'],
    [{ callingWindow: { end: '22:00' } }, 'CAMPAIGN_WINDOW_INVALID', 'The window cannot end after 21:00'],
    [{ callerId: '4155550100' }, 'CAMPAIGN_CALLER_ID_INVALID', 'is not a phone number in E.164 form'],
    [{ callerId: '+14155550199' }, 'CAMPAIGN_CALLER_ID_NOT_OWNED', "is not one of this portal's caller ids (+14155550100)"],
    [{ schedule: { startAt: '2025-02-01T00:00:00Z', endAt: '2025-01-31T00:00:00Z' } }, 'CAMPAIGN_SCHEDULE_INVALID', 'before it starts'],
    [{ schedule: { endAt: '2025-01-01T00:00:00Z' } }, 'CAMPAIGN_SCHEDULE_INVALID', 'has already passed'],
  ])('refuses %j with %s', async (input, code, sentence) => {
    await expect(check(input)).rejects.toMatchObject({ code, status: 400, message: expect.stringContaining(sentence) });
  });

  it('lists every problem, the first deciding the code', async () => {
    const err = await check({ pacing: { maxConcurrent: 50, callsPerMinute: 500 }, callingWindow: { start: '06:00' } }).catch((e) => e);
    expect(err.code).toBe('CAMPAIGN_WINDOW_INVALID');
    expect(err.details.problems.map((p: { path: string }) => p.path)).toEqual(['callingWindow.start', 'pacing.maxConcurrent', 'pacing.callsPerMinute']);
  });

  it('accepts any E.164 caller id when the portal has none on file', async () => {
    const open = portalCallingDefaults({ ...portal, callerIds: [] });
    await expect(assertCampaignValid(noDb, 'p', { ...settle({}), callerId: '+14155550199' }, undefined, open, NOW)).resolves.toBeUndefined();
  });

  it('shapes: max attempts 1–10, one way to give scripts', () => {
    expect(ZCampaignCreate.safeParse({ name: 'x', scriptVersionId: '6f1c1e4e-4a8b-4c43-9b1d-0c6f7f2b9a10', maxAttempts: 11 }).success).toBe(false);
    expect(ZCampaignCreate.safeParse({ name: 'x', scriptVersionId: '6f1c1e4e-4a8b-4c43-9b1d-0c6f7f2b9a10', maxAttempts: 0 }).success).toBe(false);
    expect(ZCampaignCreate.safeParse({ name: 'x' }).success).toBe(false);
    expect(ZCampaignCreate.safeParse({ name: 'x', variants: [] }).success).toBe(false);
  });
});
