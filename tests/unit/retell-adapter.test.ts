import fs from 'node:fs';
import path from 'node:path';
import { sign, verify } from 'retell-sdk';
import { RETELL_SIGNATURE_HEADER, signRetellPayload, verifyRetellWebhook } from '../../backend/src/providers/voice/retell/retell-webhook-auth';
import { DISCONNECTION_OUTCOMES, classifyDisconnection } from '../../backend/src/providers/voice/retell/retell-outcomes';
import { parseRetellEvent } from '../../backend/src/providers/voice/retell/retell-event.mapper';
import { toCreatePhoneCall, toDynamicVariables } from '../../backend/src/providers/voice/retell/retell.provider';
import type { CallPlan } from '../../backend/src/providers/voice/voice-provider';

// The Retell adapter's pure parts: signature check against the SDK's own sign/verify, the
// disconnection-reason table against the SDK's enum, event mapping and the create body.

const KEY = 'key_retell_unit_test_0123456789';
const body = Buffer.from(JSON.stringify({ event: 'call_ended', call: { call_id: 'c1', metadata: { attemptId: 'a1' } } }));

describe('x-retell-signature', () => {
  it('accepts what the SDK signs, and the SDK accepts what we sign', async () => {
    const header = await sign(body.toString('utf8'), KEY);
    expect(verifyRetellWebhook(body, { [RETELL_SIGNATURE_HEADER]: header }, { apiKey: KEY })).toEqual({ ok: true, method: 'hmac' });
    expect(await verify(body.toString('utf8'), KEY, signRetellPayload(KEY, body))).toBe(true);
  });

  it('refuses a changed body, another key, a stale timestamp, a missing or malformed header, and no key configured', async () => {
    const header = await sign(body.toString('utf8'), KEY);
    const changed = Buffer.from(body.toString('utf8').replace('c1', 'c2'));
    expect(verifyRetellWebhook(changed, { 'x-retell-signature': header }, { apiKey: KEY })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyRetellWebhook(body, { 'x-retell-signature': header }, { apiKey: `${KEY}x` })).toEqual({ ok: false, reason: 'mismatch' });
    const old = signRetellPayload(KEY, body, Date.now() - 6 * 60_000);
    expect(verifyRetellWebhook(body, { 'x-retell-signature': old }, { apiKey: KEY })).toEqual({ ok: false, reason: 'stale_timestamp' });
    // The SDK agrees that a 6-minute-old signature is no good.
    expect(await verify(body.toString('utf8'), KEY, old)).toBe(false);
    expect(verifyRetellWebhook(body, {}, { apiKey: KEY })).toEqual({ ok: false, reason: 'missing' });
    expect(verifyRetellWebhook(body, { 'x-retell-signature': 'sha256=abc' }, { apiKey: KEY })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyRetellWebhook(body, { 'x-retell-signature': header }, { apiKey: undefined })).toEqual({ ok: false, reason: 'not_configured' });
  });
});

describe('disconnection_reason → outcome', () => {
  // Every reason retell-sdk 5.66.1 declares, read from its type definitions.
  const dts = fs.readFileSync(path.join(__dirname, '../../node_modules/retell-sdk/resources/call.d.ts'), 'utf8');
  const union = /disconnection_reason\?: ([^;]+);/.exec(dts)![1]!;
  const sdkReasons = [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);

  it('classifies every reason the SDK knows exactly', () => {
    expect(sdkReasons.length).toBeGreaterThan(30);
    const unclassified = sdkReasons.filter((r) => classifyDisconnection(r).matched !== 'exact');
    expect(unclassified).toEqual([]);
  });

  it('names no reason the SDK does not know, and each at most once', () => {
    const ours = Object.values(DISCONNECTION_OUTCOMES).flat();
    expect(ours.filter((r) => !sdkReasons.includes(r))).toEqual([]);
    expect(new Set(ours).size).toBe(ours.length);
  });

  it('maps the dialer-relevant reasons', () => {
    expect(classifyDisconnection('dial_no_answer').outcome).toBe('no_answer');
    expect(classifyDisconnection('dial_busy').outcome).toBe('busy');
    expect(classifyDisconnection('voicemail_reached').outcome).toBe('voicemail');
    expect(classifyDisconnection('concurrency_limit_reached').outcome).toBe('capacity');
    expect(classifyDisconnection('no_valid_payment').outcome).toBe('account_blocked');
    expect(classifyDisconnection('user_hangup').outcome).toBe('completed');
    expect(classifyDisconnection('something_new')).toEqual({ outcome: 'failed_transient', matched: 'fallback' });
  });
});

describe('Retell events', () => {
  const call = {
    call_id: 'call_1',
    call_status: 'ended',
    metadata: { attemptId: 'att-1', portalId: 'p1' },
    start_timestamp: 1_700_000_000_000,
    end_timestamp: 1_700_000_042_500,
    duration_ms: 42_500,
    disconnection_reason: 'user_hangup',
    call_cost: { combined_cost: 12.5 },
    transcript: 'Agent: hi\nUser: stop calling',
    call_analysis: { call_summary: 'Asked to stop.', call_successful: false, custom_analysis_data: { opt_out: 'yes' } },
  };

  it('call_started → status in_progress, call_ended → status ended with the reason, call_analyzed → the report', () => {
    const started = parseRetellEvent({ event: 'call_started', call: { ...call, call_status: 'ongoing', disconnection_reason: undefined } });
    expect(started).toMatchObject({ ok: true, event: { kind: 'status', status: 'in_progress', attemptId: 'att-1', providerCallId: 'call_1', dedupeKey: 'call_started:call_1' } });
    const ended = parseRetellEvent({ event: 'call_ended', call });
    expect(ended).toMatchObject({ ok: true, event: { kind: 'status', status: 'ended', endedReason: 'user_hangup', dedupeKey: 'call_ended:call_1' } });
    const analyzed = parseRetellEvent({ event: 'call_analyzed', call });
    expect(analyzed.ok && analyzed.event.kind === 'ended' && analyzed.event.report).toMatchObject({
      providerCallId: 'call_1',
      attemptId: 'att-1',
      outcome: 'completed',
      durationSec: 42.5,
      cost: 0.125, // cents → USD
      summary: 'Asked to stop.',
      optOutRequested: true,
    });
  });

  it('a no-answer call reports its dial reason; an unknown event is kept as unknown; a non-webhook body is refused', () => {
    const na = parseRetellEvent({ event: 'call_analyzed', call: { call_id: 'c2', call_status: 'not_connected', disconnection_reason: 'dial_no_answer' } });
    expect(na.ok && na.event.kind === 'ended' && na.event.report.outcome).toBe('no_answer');
    const other = parseRetellEvent({ event: 'transcript_updated', call: { call_id: 'c2' } });
    expect(other).toMatchObject({ ok: true, event: { kind: 'unknown', type: 'transcript_updated' } });
    expect(parseRetellEvent({ message: { type: 'status-update' } })).toMatchObject({ ok: false });
  });
});

describe('create-phone-call body', () => {
  const plan: CallPlan = {
    attemptId: 'att-9',
    agent: { kind: 'saved', assistantId: 'agent_1' },
    callerId: '+14155550100',
    customer: { number: '+12125550123' },
    overrides: { dynamicVariables: { script_version: 3, flag: true, contact_first_name: 'Ann', skip: null, nested: { a: 1 } }, metadata: { scriptVersionId: 'v1', attemptId: 'spoofed' } },
    metadata: { portalId: 'p1', campaignId: 'c1' },
  };

  it('sends the attempt id in metadata (ours wins), the agent, and string-only dynamic variables', () => {
    expect(toCreatePhoneCall(plan)).toEqual({
      from_number: '+14155550100',
      to_number: '+12125550123',
      override_agent_id: 'agent_1',
      metadata: { scriptVersionId: 'v1', portalId: 'p1', campaignId: 'c1', attemptId: 'att-9' },
      retell_llm_dynamic_variables: { script_version: '3', flag: 'true', contact_first_name: 'Ann', nested: '{"a":1}' },
    });
    expect(Object.values(toDynamicVariables({ a: 1, b: false, c: 'x' })).every((v) => typeof v === 'string')).toBe(true);
  });
});
