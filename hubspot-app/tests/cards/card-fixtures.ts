import type { CardData } from '../../app/cards/lib/card-types';

export const RECORD = { hubspotContactId: '614', phone: '+1 (212) 555-0143', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test', legalBasis: 'Freely given consent from contact' };

export function cardData(overrides: Partial<CardData> = {}): CardData {
  return {
    contact: { id: 'c0ffee00-0000-4000-8000-000000000001', phone: '+12125550143' },
    phone: { e164: '+12125550143', callable: true, problem: null },
    dnc: { listed: false, reason: null, source: null, since: null },
    consent: { type: 'express', source: 'hubspot:hs_legal_basis', at: '2026-11-01T10:00:00.000Z' },
    calls: [
      { id: 'call-2', status: 'ended', outcome: 'completed', disposition: 'booked', placedAt: '2026-11-20T15:04:00.000Z', durationSec: 125, summary: 'Booked a roof survey for Tuesday.', optedOut: false, campaignName: 'Spring solar' },
      { id: 'call-1', status: 'ended', outcome: 'no_answer', disposition: null, placedAt: '2026-11-19T15:00:00.000Z', durationSec: null, summary: null, optedOut: false, campaignName: 'Spring solar' },
    ],
    enrollments: [{ campaignId: 'camp-1', campaignName: 'Spring solar', state: 'done', lastOutcome: 'completed', skipReasonText: null }],
    campaigns: [
      { id: 'camp-2', name: 'Winter follow-up', state: 'running' },
      { id: 'camp-3', name: 'Renewals', state: 'draft' },
    ],
    scripts: [
      { scriptVersionId: 'ver-7', label: 'Solar qualifier (v7)' },
      { scriptVersionId: 'ver-2', label: 'Renewal reminder (v2)' },
    ],
    ...overrides,
  };
}
