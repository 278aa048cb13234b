import {
  CAMPAIGN_CONTACT_STATES,
  CAMPAIGN_CONTACT_TRANSITIONS,
  CAMPAIGN_STATES,
  CAMPAIGN_TRANSITIONS,
  FINAL_CONTACT_STATES,
  assertContactTransition,
  assertTransition,
  canContactTransition,
  canTransition,
  contactStatesBefore,
  type CampaignContactState,
  type CampaignState,
} from '../../backend/src/domain/campaigns/campaign-states';
import { CampaignContactState as DbContactState, CampaignState as DbCampaignState } from '../../backend/src/generated/prisma/enums';

const ALLOWED_CAMPAIGN: [CampaignState, CampaignState][] = [
  ['draft', 'scheduled'],
  ['draft', 'running'],
  ['scheduled', 'running'],
  ['scheduled', 'cancelled'],
  ['running', 'paused'],
  ['running', 'completed'],
  ['running', 'cancelled'],
  ['paused', 'running'],
  ['paused', 'completed'],
  ['paused', 'cancelled'],
];

describe('campaign states', () => {
  it('match the database enum', () => {
    expect([...CAMPAIGN_STATES].sort()).toEqual(Object.values(DbCampaignState).sort());
    expect([...CAMPAIGN_CONTACT_STATES].sort()).toEqual(Object.values(DbContactState).sort());
  });

  it.each(ALLOWED_CAMPAIGN)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it('allows nothing else (every pair checked)', () => {
    for (const from of CAMPAIGN_STATES) {
      for (const to of CAMPAIGN_STATES) {
        const expected = ALLOWED_CAMPAIGN.some(([f, t]) => f === from && t === to);
        expect({ from, to, allowed: canTransition(from, to) }).toEqual({ from, to, allowed: expected });
      }
    }
  });

  it.each([
    ['draft', 'paused'],
    ['draft', 'completed'],
    ['scheduled', 'paused'],
    ['running', 'draft'],
    ['running', 'scheduled'],
    ['completed', 'running'],
    ['cancelled', 'draft'],
    ['paused', 'paused'],
  ] as [CampaignState, CampaignState][])('refuses %s → %s with 409 and a sentence', (from, to) => {
    expect(() => assertTransition(from, to)).toThrow(expect.objectContaining({ code: 'CAMPAIGN_TRANSITION_INVALID', status: 409 }));
  });

  it('says where a campaign can go instead', () => {
    expect(() => assertTransition('draft', 'paused')).toThrow('A draft campaign cannot become paused; from draft it can become scheduled or running.');
    expect(() => assertTransition('completed', 'running')).toThrow('completed is final');
  });

  it('has final states with no way out', () => {
    expect(CAMPAIGN_TRANSITIONS.completed).toEqual([]);
    expect(CAMPAIGN_TRANSITIONS.cancelled).toEqual([]);
  });
});

const ALLOWED_CONTACT: [CampaignContactState, CampaignContactState][] = [
  ['pending', 'queued'],
  ['pending', 'skipped'],
  ['pending', 'cancelled'],
  ['queued', 'dialing'],
  ['queued', 'retry_wait'],
  ['queued', 'skipped'],
  ['queued', 'cancelled'],
  ['dialing', 'in_call'],
  ['dialing', 'queued'],
  ['dialing', 'retry_wait'],
  ['dialing', 'done'],
  ['dialing', 'failed'],
  ['dialing', 'skipped'],
  ['in_call', 'done'],
  ['in_call', 'retry_wait'],
  ['in_call', 'failed'],
  ['retry_wait', 'queued'],
  ['retry_wait', 'skipped'],
  ['retry_wait', 'cancelled'],
];

describe('campaign contact states', () => {
  it.each(ALLOWED_CONTACT)('allows %s → %s', (from, to) => {
    expect(canContactTransition(from, to)).toBe(true);
    expect(() => assertContactTransition(from, to)).not.toThrow();
  });

  it('allows nothing else (every pair checked)', () => {
    for (const from of CAMPAIGN_CONTACT_STATES) {
      for (const to of CAMPAIGN_CONTACT_STATES) {
        const expected = ALLOWED_CONTACT.some(([f, t]) => f === from && t === to);
        expect({ from, to, allowed: canContactTransition(from, to) }).toEqual({ from, to, allowed: expected });
      }
    }
  });

  it('never leaves a final state, and never cancels a call already placed', () => {
    for (const s of FINAL_CONTACT_STATES) expect(CAMPAIGN_CONTACT_TRANSITIONS[s]).toEqual([]);
    expect(canContactTransition('dialing', 'cancelled')).toBe(false);
    expect(canContactTransition('in_call', 'cancelled')).toBe(false);
    expect(() => assertContactTransition('done', 'queued')).toThrow(expect.objectContaining({ code: 'CAMPAIGN_CONTACT_TRANSITION_INVALID', status: 409 }));
  });

  it('lists the states a compare-and-set may start from', () => {
    expect(contactStatesBefore('queued').sort()).toEqual(['dialing', 'pending', 'retry_wait']);
    expect(contactStatesBefore('cancelled').sort()).toEqual(['pending', 'queued', 'retry_wait']);
    expect(contactStatesBefore('pending')).toEqual([]);
  });
});
