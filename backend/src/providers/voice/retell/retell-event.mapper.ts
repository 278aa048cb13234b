import { sha256Hex } from '../../../platform/crypto';
import type { ParseEventResult, VoiceEvent } from '../voice-provider';
import { attemptIdOf, endedReasonOf, mapRetellStatus, metadataOf, toCallReport } from './retell.mapper';
import { ZRetellCall, ZRetellWebhook, type TRetellCall } from './retell-wire';

// Retell webhook {event, call} → our VoiceEvent. Retell sends no event id; each of the three call
// events happens once per call, so the call id and the event name identify it (a retry of the
// same event is the same key). How the events line up with Vapi's:
//  - call_started  → status (in_progress, or whatever call_status says);
//  - call_ended    → status "ended" with the disconnection reason: the call is over, but the
//                    analysis (summary, opt-out fields) is still being computed;
//  - call_analyzed → the final report. If it never comes, the reconciler asks GET /v2/get-call
//                    after its grace period, exactly as for a Vapi report that never arrived.
// Any other event (transcript_updated, transfer_*, chat_*…) is stored and ignored.

export const RETELL_EVENTS = ['call_started', 'call_ended', 'call_analyzed'] as const;

export function parseRetellEvent(json: unknown): ParseEventResult {
  const envelope = ZRetellWebhook.safeParse(json);
  if (!envelope.success) return { ok: false, issue: 'expected {"event":"…","call":{…}} (a Retell webhook)' };
  const type = envelope.data.event;
  const parsedCall = ZRetellCall.safeParse(envelope.data.call);
  const call: TRetellCall | null = parsedCall.success ? parsedCall.data : null;
  const metadata = metadataOf(call);
  const base = {
    type,
    providerCallId: call?.call_id ?? null,
    attemptId: attemptIdOf(metadata),
    metadata,
    occurredAt: occurredAtOf(type, call),
  };
  const unknown = (): VoiceEvent => ({ ...base, kind: 'unknown', dedupeKey: `${type}:hash:${sha256Hex(JSON.stringify(json)).slice(0, 32)}` });
  if (!call) return { ok: true, event: unknown() };
  const key = `${type}:${call.call_id}`;

  switch (type) {
    case 'call_started': {
      const status = mapRetellStatus(call.call_status) ?? 'in_progress';
      return { ok: true, event: { ...base, kind: 'status', status: status === 'queued' ? 'in_progress' : status, endedReason: null, dedupeKey: key } };
    }
    case 'call_ended':
      return { ok: true, event: { ...base, kind: 'status', status: 'ended', endedReason: endedReasonOf(call), dedupeKey: key } };
    case 'call_analyzed':
      return { ok: true, event: { ...base, kind: 'ended', report: toCallReport(call), dedupeKey: key } };
    default:
      return { ok: true, event: unknown() };
  }
}

/** True for the events this adapter applies; the webhook route says "ignored" for the rest. */
export const isAppliedRetellEvent = (type: string): boolean => (RETELL_EVENTS as readonly string[]).includes(type);

function occurredAtOf(type: string, call: TRetellCall | null): Date | null {
  const ms = type === 'call_started' ? call?.start_timestamp : call?.end_timestamp;
  return typeof ms === 'number' ? new Date(ms) : null;
}
