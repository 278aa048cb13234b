import type { CallMessage, CallReport, ProviderCall, ProviderCallStatus } from '../voice-provider';
import { optOutRequestedIn } from '../opt-out-outputs';
import { outcomeForDisconnection } from './retell-outcomes';
import type { TRetellCall } from './retell-wire';

// Retell's call object → our ProviderCall / CallReport. The same object arrives in GET
// /v2/get-call, in list-calls items and inside every webhook, so one mapper serves all three.

const STATUS: Record<string, ProviderCallStatus> = {
  registered: 'queued',
  ongoing: 'in_progress',
  ended: 'ended',
  // Both are final: the call will never connect (the reason says why).
  not_connected: 'ended',
  error: 'ended',
};

export const mapRetellStatus = (status: string | null | undefined): ProviderCallStatus | null => (status ? (STATUS[status] ?? null) : null);

export function metadataOf(call: Pick<TRetellCall, 'metadata'> | null | undefined): Record<string, unknown> {
  const m = call?.metadata;
  return m && typeof m === 'object' && !Array.isArray(m) ? { ...(m as Record<string, unknown>) } : {};
}

export function attemptIdOf(metadata: Record<string, unknown>): string | null {
  const value = metadata.attemptId;
  return typeof value === 'string' && value.length > 0 ? value : null;
}

const toDate = (ms: number | null | undefined): Date | null => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms) : null);

/** The ended reason of a call that has ended; a final status without one is reported as such. */
export function endedReasonOf(call: TRetellCall): string | null {
  if (call.disconnection_reason) return call.disconnection_reason;
  if (call.call_status === 'error') return 'error_unknown';
  return null;
}

export function toCallReport(call: TRetellCall): CallReport {
  const metadata = metadataOf(call);
  const endedReason = endedReasonOf(call) ?? 'error_unknown';
  const startedAt = toDate(call.start_timestamp);
  const endedAt = toDate(call.end_timestamp);
  const analysis = call.call_analysis ?? null;
  const custom = analysis?.custom_analysis_data;
  const structuredOutputs = custom && typeof custom === 'object' && !Array.isArray(custom) ? { ...(custom as Record<string, unknown>) } : {};
  const combined = call.call_cost?.combined_cost;
  return {
    providerCallId: call.call_id,
    attemptId: attemptIdOf(metadata),
    metadata,
    endedReason,
    outcome: outcomeForDisconnection(endedReason),
    startedAt,
    endedAt,
    durationSec: typeof call.duration_ms === 'number' ? call.duration_ms / 1000 : startedAt && endedAt ? (endedAt.getTime() - startedAt.getTime()) / 1000 : null,
    // Retell states combined_cost in cents; our CallReport is in USD.
    cost: typeof combined === 'number' ? combined / 100 : null,
    transcript: call.transcript ?? null,
    summary: analysis?.call_summary ?? null,
    messages: (call.transcript_with_tool_calls ?? call.transcript_object ?? []).map(toCallMessage),
    structuredOutputs,
    successEvaluation: typeof analysis?.call_successful === 'boolean' ? String(analysis.call_successful) : null,
    optOutRequested: optOutRequestedIn(structuredOutputs),
    recordingUrl: call.recording_url ?? null,
    stereoRecordingUrl: call.recording_multi_channel_url ?? null,
  };
}

export function toProviderCall(call: TRetellCall): ProviderCall {
  const metadata = metadataOf(call);
  const status = mapRetellStatus(call.call_status);
  return {
    providerCallId: call.call_id,
    attemptId: attemptIdOf(metadata),
    metadata,
    status,
    createdAt: toDate(call.start_timestamp),
    endedReason: endedReasonOf(call),
    report: status === 'ended' ? toCallReport(call) : null,
  };
}

const ROLES: Record<string, CallMessage['role']> = {
  agent: 'assistant',
  user: 'user',
  tool_call_invocation: 'tool_call',
  tool_call_result: 'tool_result',
};

function toCallMessage(raw: unknown): CallMessage {
  const u = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const role = ROLES[String(u.role)] ?? 'other';
  const words = Array.isArray(u.words) ? (u.words as Array<{ start?: unknown }>) : [];
  const start = words[0]?.start;
  const message: CallMessage = { role, text: typeof u.content === 'string' ? u.content : null, secondsFromStart: typeof start === 'number' ? start : null };
  if (role === 'tool_call' || role === 'tool_result') {
    message.tool = { name: typeof u.name === 'string' ? u.name : undefined, callId: typeof u.tool_call_id === 'string' ? u.tool_call_id : undefined };
    if (role === 'tool_result') message.tool.result = u.content;
  }
  return message;
}
