import { decideCallVerdict } from '../../backend/src/domain/calls/call-disposition';
import { buildCallEngagement, type EngagementCall } from '../../backend/src/domain/outbox/call-engagement';
import { planCallWritebacks } from '../../backend/src/domain/outbox/outbox-plan';
import { readResultsSettings, DEFAULT_CONVERSION_DISPOSITIONS } from '../../backend/src/domain/calls/results-settings';
import type { CallReport } from '../../backend/src/providers/voice/voice-provider';
import { ZScriptGraph } from '../../backend/src/domain/scripts/script.schema';
import { graphWith } from '../fixtures/scripts/script-samples';

const report = (over: Partial<CallReport> = {}): CallReport => ({
  providerCallId: 'p1',
  attemptId: 'a1',
  metadata: {},
  endedReason: 'customer-ended-call',
  outcome: 'completed',
  startedAt: null,
  endedAt: null,
  durationSec: 60,
  cost: 0.1,
  transcript: 'AI: hi\nUser: hello\n',
  summary: 'They want a quote.',
  messages: [],
  structuredOutputs: {},
  successEvaluation: null,
  optOutRequested: false,
  recordingUrl: null,
  stereoRecordingUrl: null,
  ...over,
});
const soFar = { isOptOut: false, answers: {}, scriptPath: [], attemptNumber: 1, localTimeAtDial: null };
const graph = ZScriptGraph.parse(
  graphWith([{ id: 'start', type: 'say', text: 'Hi.', next: 'won' }, { id: 'won', type: 'end', disposition: 'booked' }], {
    dispositionRules: [{ when: { '==': [{ var: 'disposition' }, 'booked'] }, outcome: 'qualified', shouldRetry: false, hubspotProperties: { hs_lead_status: 'OPEN' } }],
  }),
);

describe('the verdict on an ended call', () => {
  it('takes class names by default, without a script', () => {
    expect(decideCallVerdict({ graph: null, report: report({ outcome: 'no_answer', endedReason: 'customer-did-not-answer' }), call: soFar, contact: {} })).toMatchObject({
      disposition: 'no_answer',
      isOptOut: false,
      dispositionRetry: null,
      decidedBy: 'default:no_answer',
    });
  });

  it("lets the script's rule decide from the node the call reached, with its HubSpot properties and retry", () => {
    const path = [{ at: '2026-11-20T15:00:00Z', node: 'start', visited: ['won'], stop: 'won' }];
    expect(decideCallVerdict({ graph, report: report(), call: { ...soFar, scriptPath: path }, contact: {} })).toMatchObject({
      disposition: 'qualified',
      dispositionRetry: false,
      hubspotProperties: { hs_lead_status: 'OPEN' },
      decidedBy: 'rule:0',
    });
  });

  it('hears an opt-out from the report, the call row, or the script path, and it wins over every rule', () => {
    const path = [{ at: '2026-11-20T15:00:00Z', node: 'start', optOut: true, visited: ['won'], stop: 'won' }];
    for (const input of [
      { report: report({ optOutRequested: true }), call: soFar },
      { report: report(), call: { ...soFar, isOptOut: true } },
      { report: report(), call: { ...soFar, scriptPath: path } },
    ]) {
      expect(decideCallVerdict({ graph, ...input, contact: {} })).toMatchObject({ disposition: 'opted_out', isOptOut: true, decidedBy: 'builtin:opt_out' });
    }
  });
});

describe('the HubSpot engagement of a call', () => {
  const call: EngagementCall = {
    id: 'c1',
    outcome: 'completed',
    disposition: 'qualified',
    endedReason: 'customer-ended-call',
    isOptOut: false,
    placedAt: new Date('2026-11-20T15:00:00Z'),
    startedAt: new Date('2026-11-20T15:00:05Z'),
    createdAt: new Date('2026-11-20T14:59:00Z'),
    durationSec: 61.25,
    summary: 'Wants <b>solar</b> & a call back.',
    recordingUrl: 'https://rec.example.test/c1.wav',
    toPhone: '+12025550100',
    campaignName: 'Spring',
  };

  it('carries title, escaped summary, outcome, duration in ms, recording, our external id; never the transcript', () => {
    const e = buildCallEngagement(call, '901');
    expect(e).toMatchObject({ contactId: '901', externalId: 'hac-c1', status: 'COMPLETED', durationMs: 61250, recordingUrl: call.recordingUrl, timestamp: call.startedAt, title: 'AI call: Connected (Spring)' });
    expect(e.body).toContain('Wants &lt;b&gt;solar&lt;/b&gt; &amp; a call back.');
    expect(e.body).toContain('(qualified)');
  });

  it('maps outcomes to HubSpot call statuses and leaves out summaries of calls that did not connect', () => {
    const status = (outcome: string) => buildCallEngagement({ ...call, outcome }, '1');
    expect(['completed', 'no_answer', 'voicemail', 'busy', 'failed_transient', 'failed_permanent', 'cancelled'].map((o) => status(o).status)).toEqual([
      'COMPLETED',
      'NO_ANSWER',
      'NO_ANSWER',
      'BUSY',
      'FAILED',
      'FAILED',
      'CANCELED',
    ]);
    expect(status('voicemail').body).not.toContain('Summary');
  });
});

describe('which write-backs a call owes', () => {
  const base = { portalId: 'p', hubspotInstalled: true, settings: readResultsSettings({}), callId: 'c', outcome: 'completed' as const, hasHubSpotContact: true, hubspotProperties: {} };

  it('owes an engagement and the contact properties, plus a timeline event when configured', () => {
    expect(planCallWritebacks(base).map((r) => r.dedupeKey)).toEqual(['hubspot.call:c', 'hubspot.contact:c']);
    const withTimeline = planCallWritebacks({ ...base, settings: readResultsSettings({ hubspotTimelineEventTemplateId: 't1' }) });
    expect(withTimeline.map((r) => r.kind)).toEqual(['hubspot.call', 'hubspot.contact', 'hubspot.timeline']);
  });

  it('owes nothing without HubSpot, for our own refusals, or for an unmatched CSV contact unless matching is on', () => {
    expect(planCallWritebacks({ ...base, hubspotInstalled: false })).toEqual([]);
    expect(planCallWritebacks({ ...base, outcome: 'capacity' })).toEqual([]);
    expect(planCallWritebacks({ ...base, outcome: 'account_blocked' })).toEqual([]);
    expect(planCallWritebacks({ ...base, hasHubSpotContact: false })).toEqual([]);
    expect(planCallWritebacks({ ...base, hasHubSpotContact: false, settings: readResultsSettings({ hubspotMatchCsvContacts: true }) })).toHaveLength(2);
  });

  it('reads each setting on its own: one bad value does not hide the others', () => {
    expect(readResultsSettings({ hubspotMatchCsvContacts: 'yes', conversionDispositions: ['won'] })).toEqual({ hubspotMatchCsvContacts: false, conversionDispositions: ['won'] });
    expect(readResultsSettings(null).conversionDispositions).toEqual(DEFAULT_CONVERSION_DISPOSITIONS);
  });
});
