import fs from 'node:fs';
import path from 'node:path';
import { parseVapiEvent, canonicalJson } from '../../backend/src/providers/voice/vapi/vapi-event.mapper';
import { toProviderCall } from '../../backend/src/providers/voice/vapi/vapi.mapper';
import { ZVapiCall } from '../../backend/src/providers/voice/vapi/vapi-wire';
import type { VoiceEvent } from '../../backend/src/providers/voice/voice-provider';

const fixture = (name: string): any => JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/vapi', name), 'utf8'));
const statusFixture = () => fixture('vapi-status-update.in-progress.finzie.json');
const webcallReport = () => fixture('vapi-end-of-call-report.webcall.finzie.json');
const voicemailReport = () => fixture('vapi-end-of-call-report.outbound-voicemail.SYNTHESIZED.json');
const getCallBody = () => fixture('vapi-get-call-outbound-voicemail.autolynx.json');

function parsed(json: unknown): VoiceEvent {
  const result = parseVapiEvent(json);
  if (!result.ok) throw new Error(`did not parse: ${result.issue}`);
  return result.event;
}

describe('Vapi event mapper: real fixtures', () => {
  it('status-update → status with its timestamp and a key from call id, status and timestamp', () => {
    const event = parsed(statusFixture());
    expect(event).toMatchObject({
      kind: 'status',
      type: 'status-update',
      status: 'in_progress',
      endedReason: null,
      providerCallId: '73daba4d-2bcc-4cca-8e49-3d7903467ade',
      attemptId: null,
      dedupeKey: 'status-update:73daba4d-2bcc-4cca-8e49-3d7903467ade:in-progress:1749546420647',
    });
    expect(event.occurredAt?.toISOString()).toBe(new Date(1749546420647).toISOString());
  });

  it('end-of-call-report (connected web call) → final facts, preferring artifact over legacy copies', () => {
    const event = parsed(webcallReport());
    if (event.kind !== 'ended') throw new Error(event.kind);
    const r = event.report;
    expect(r).toMatchObject({
      providerCallId: '73daba4d-2bcc-4cca-8e49-3d7903467ade',
      endedReason: 'customer-ended-call',
      outcome: 'completed',
      durationSec: 25.276,
      cost: 0.0394,
      successEvaluation: 'true',
      optOutRequested: false,
    });
    expect(r.startedAt?.toISOString()).toBe('2025-06-10T09:07:00.649Z');
    expect(r.endedAt?.toISOString()).toBe('2025-06-10T09:07:25.925Z');
    expect(r.transcript).toMatch(/^AI: Hello\?\nUser: Okay\./);
    expect(r.summary).toMatch(/internet issue/);
    expect(r.recordingUrl).toMatch(/-mono\.wav$/);
    expect(r.stereoRecordingUrl).toMatch(/-stereo\.wav$/);
    expect(r.messages.map((m) => m.role)).toEqual(['system', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(r.messages[2]).toMatchObject({ role: 'user', text: expect.any(String), secondsFromStart: expect.any(Number) });
    expect(event.dedupeKey).toBe('end-of-call-report:73daba4d-2bcc-4cca-8e49-3d7903467ade');
  });

  it('end-of-call-report (outbound voicemail) → voicemail, with our correlation metadata echoed back', () => {
    const event = parsed(voicemailReport());
    if (event.kind !== 'ended') throw new Error(event.kind);
    expect(event.report.outcome).toBe('voicemail');
    expect(event.report.metadata).toEqual({ tenantId: 'portal_123', campaignId: 'cmp_01', contactId: 'hs_987', attempt: 1, jobId: 'cmp_01:hs_987:1' });
    // The fixture predates our attemptId key; with it, the attempt is found.
    const withAttempt = voicemailReport();
    withAttempt.message.call.assistantOverrides.metadata.attemptId = 'att-1';
    expect(parsed(withAttempt)).toMatchObject({ attemptId: 'att-1', report: { attemptId: 'att-1' } });
  });

  it('GET /call/:id (ended voicemail) → ProviderCall with a report; duration from startedAt/endedAt', () => {
    const call = toProviderCall(ZVapiCall.parse(getCallBody()));
    expect(call).toMatchObject({ providerCallId: 'ea62d31a-7f92-4e02-a059-4d56d600bf51', status: 'ended', endedReason: 'voicemail' });
    expect(call.createdAt?.toISOString()).toBe('2025-06-17T18:09:13.351Z');
    expect(call.report?.outcome).toBe('voicemail');
    expect(call.report?.durationSec).toBeCloseTo(50.831, 3);
    expect(call.report?.cost).toBe(0.069);
    expect(call.report?.transcript).toMatch(/voice mail/);
  });

  it('a call still ringing has no report', () => {
    const body = { ...getCallBody(), status: 'ringing', endedReason: undefined };
    expect(toProviderCall(ZVapiCall.parse(body))).toMatchObject({ status: 'ringing', report: null });
  });
});

describe('Vapi event mapper: dedupe keys', () => {
  it('are stable across repeat deliveries and re-serialisation', () => {
    const a = parsed(statusFixture());
    const reordered = JSON.parse(canonicalJson(statusFixture())); // keys sorted: a different byte order
    expect(parsed(reordered).dedupeKey).toBe(a.dedupeKey);
    const unknownType = { message: { type: 'speech-update', status: 'started', role: 'assistant', call: { id: 'c1' }, timestamp: 5 } };
    const shuffled = { message: { timestamp: 5, call: { id: 'c1' }, role: 'assistant', status: 'started', type: 'speech-update' } };
    expect(parsed(unknownType).dedupeKey).toBe(parsed(shuffled).dedupeKey);
  });

  it('differ when status, timestamp or call differ', () => {
    const base = statusFixture();
    const keys = new Set<string>();
    for (const [status, ts, id] of [
      ['in-progress', 1, 'c1'],
      ['ringing', 1, 'c1'],
      ['in-progress', 2, 'c1'],
      ['in-progress', 1, 'c2'],
      ['ended', 1, 'c1'],
    ] as const) {
      const m = { ...base.message, status, timestamp: ts, call: { ...base.message.call, id } };
      keys.add(parsed({ message: m }).dedupeKey);
    }
    expect(keys.size).toBe(5);
  });

  it('fall back to a body hash when a status-update has no timestamp', () => {
    const m = { ...statusFixture().message };
    delete m.timestamp;
    const key = parsed({ message: m }).dedupeKey;
    expect(key).toMatch(/^status-update:hash:[0-9a-f]{64}$/);
    expect(parsed({ message: { ...m, status: 'ringing' } }).dedupeKey).not.toBe(key);
  });

  it('one end-of-call report per call, whatever its timestamp', () => {
    const again = webcallReport();
    again.message.timestamp += 5000;
    expect(parsed(again).dedupeKey).toBe(parsed(webcallReport()).dedupeKey);
  });

  it('kinds never collide with each other for the same call', () => {
    const call = { id: 'c9' };
    const keys = [
      parsed({ message: { type: 'status-update', status: 'ended', endedReason: 'customer-busy', call, timestamp: 1 } }),
      parsed({ message: { type: 'end-of-call-report', endedReason: 'customer-busy', call, timestamp: 1 } }),
      parsed({ message: { type: 'hang', call, timestamp: 1 } }),
      parsed({ message: { type: 'transcript', role: 'user', transcriptType: 'final', transcript: 'hi', call, timestamp: 1 } }),
      parsed({ message: { type: 'tool-calls', toolCallList: [{ id: 't1', name: 'next_step', parameters: {} }], call, timestamp: 1 } }),
    ].map((e) => e.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('Vapi event mapper: other kinds and bad input', () => {
  it('status ended carries its endedReason', () => {
    expect(parsed({ message: { type: 'status-update', status: 'ended', endedReason: 'customer-did-not-answer', call: { id: 'c1' }, timestamp: 9 } })).toMatchObject({
      kind: 'status',
      status: 'ended',
      endedReason: 'customer-did-not-answer',
    });
  });

  it('statuses we do not model are unknown, not errors', () => {
    expect(parsed({ message: { type: 'status-update', status: 'not-found', call: { id: 'c1' } } }).kind).toBe('unknown');
  });

  it('transcripts: role, final flag, text', () => {
    const e = parsed({ message: { type: 'transcript', role: 'assistant', transcriptType: 'partial', transcript: 'Hello', call: { id: 'c1' }, timestamp: 3 } });
    expect(e).toMatchObject({ kind: 'transcript', role: 'assistant', final: false, text: 'Hello' });
  });

  it('tool-calls in the docs spelling and in the SDK spelling', () => {
    const docs = parsed({
      message: { type: 'tool-calls', call: { id: 'c1' }, toolCallList: [{ id: 'abc123', name: 'sendEmail', parameters: { emailAddress: 'john@example.com' } }] },
    });
    expect(docs).toMatchObject({ kind: 'tool_calls', toolCalls: [{ id: 'abc123', name: 'sendEmail', arguments: { emailAddress: 'john@example.com' } }] });
    const sdk = parsed({
      message: { type: 'tool-calls', call: { id: 'c1' }, toolCallList: [{ id: 't2', type: 'function', function: { name: 'next_step', arguments: '{"answer":"yes"}' } }] },
    });
    expect(sdk).toMatchObject({ toolCalls: [{ id: 't2', name: 'next_step', arguments: { answer: 'yes' } }] });
    const nested = parsed({
      message: { type: 'tool-calls', call: { id: 'c1' }, toolWithToolCallList: [{ name: 'next_step', toolCall: { id: 't3', parameters: { a: 1 } } }] },
    });
    expect(nested).toMatchObject({ toolCalls: [{ id: 't3', name: 'next_step', arguments: { a: 1 } }] });
  });

  it('structured outputs are keyed by name, and an opt-out output is flagged', () => {
    const e = parsed({
      message: {
        type: 'end-of-call-report',
        endedReason: 'customer-ended-call',
        call: { id: 'c1', assistantOverrides: { metadata: { attemptId: 'a1' } } },
        analysis: { structuredData: { interested: false } },
        artifact: { structuredOutputs: { 'uuid-1': { name: 'optOut', result: true }, 'uuid-2': { name: 'callbackAt', result: null } } },
      },
    });
    if (e.kind !== 'ended') throw new Error(e.kind);
    expect(e.report.structuredOutputs).toEqual({ interested: false, optOut: true, callbackAt: null });
    expect(e.report.optOutRequested).toBe(true);
    expect(e.attemptId).toBe('a1');
  });

  it('unknown types parse as unknown (to be stored and ignored)', () => {
    expect(parsed({ message: { type: 'speech-update', call: { id: 'c1' } } })).toMatchObject({ kind: 'unknown', type: 'speech-update', providerCallId: 'c1' });
    expect(parsed({ message: { type: 'end-of-call-report' } }).kind).toBe('unknown'); // no call id: cannot be applied
  });

  it('rejects bodies that are not Vapi server messages', () => {
    for (const bad of [null, 'x', [], {}, { message: null }, { message: {} }, { message: { type: '' } }, { message: { type: 7 } }]) {
      expect(parseVapiEvent(bad).ok).toBe(false);
    }
  });

  it('a malformed leaf degrades to null instead of losing the event', () => {
    const e = parsed({ message: { type: 'end-of-call-report', endedReason: 'voicemail', cost: 'free', call: { id: 'c1' } } });
    expect(e).toMatchObject({ kind: 'ended', report: { cost: null, outcome: 'voicemail' } });
  });
});
