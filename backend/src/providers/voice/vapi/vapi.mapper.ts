import type { CallMessage, CallReport, ProviderCall, ProviderCallStatus } from '../voice-provider';
import { outcomeForEndedReason } from './vapi-outcomes';
import { optOutRequestedIn } from '../opt-out-outputs';
import type { TEndOfCallReport, TVapiCall } from './vapi-wire';

// Vapi's call shapes → our CallReport / ProviderCall. An end-of-call report and a GET /call body
// carry the same facts in slightly different places, so both go through toCallReport; artifact.*
// wins over the legacy top-level copies (research/vapi.md §3.4).

const STATUS: Record<string, ProviderCallStatus> = {
  scheduled: 'queued',
  queued: 'queued',
  ringing: 'ringing',
  'in-progress': 'in_progress',
  forwarding: 'forwarding',
  ended: 'ended',
};

/** null for statuses we do not model ('not-found', 'deletion-failed', anything newer). */
export const mapVapiStatus = (status: string | null | undefined): ProviderCallStatus | null => (status ? (STATUS[status] ?? null) : null);

export function metadataOf(call: TVapiCall | null | undefined): Record<string, unknown> {
  return { ...(call?.assistantOverrides?.metadata ?? {}) };
}

export function attemptIdOf(metadata: Record<string, unknown>): string | null {
  const value = metadata.attemptId;
  return typeof value === 'string' && value.length > 0 ? value : null;
}

const toDate = (iso: string | null | undefined): Date | null => {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** The facts both an end-of-call report and an ended GET /call carry. */
type ReportSource = Pick<TEndOfCallReport, 'endedReason' | 'startedAt' | 'endedAt' | 'cost' | 'artifact' | 'analysis' | 'transcript' | 'summary' | 'recordingUrl' | 'stereoRecordingUrl' | 'messages'> &
  Partial<Pick<TEndOfCallReport, 'durationSeconds' | 'durationMs'>>;

export function toCallReport(providerCallId: string, metadata: Record<string, unknown>, src: ReportSource): CallReport {
  const endedReason = src.endedReason ?? 'unknown';
  const startedAt = toDate(src.startedAt);
  const endedAt = toDate(src.endedAt);
  const structuredOutputs = structuredOutputsOf(src);
  return {
    providerCallId,
    attemptId: attemptIdOf(metadata),
    metadata,
    endedReason,
    outcome: outcomeForEndedReason(endedReason),
    startedAt,
    endedAt,
    durationSec: durationOf(src, startedAt, endedAt),
    cost: src.cost ?? null,
    transcript: src.artifact?.transcript ?? src.transcript ?? null,
    summary: src.analysis?.summary ?? src.summary ?? null,
    messages: (src.artifact?.messages ?? src.messages ?? []).map(toCallMessage),
    structuredOutputs,
    successEvaluation: src.analysis?.successEvaluation ?? null,
    optOutRequested: optOutRequestedIn(structuredOutputs),
    recordingUrl: src.artifact?.recordingUrl ?? src.artifact?.recording?.mono?.combinedUrl ?? src.recordingUrl ?? null,
    stereoRecordingUrl: src.artifact?.stereoRecordingUrl ?? src.artifact?.recording?.stereoUrl ?? src.stereoRecordingUrl ?? null,
  };
}

export function toProviderCall(call: TVapiCall): ProviderCall {
  const metadata = metadataOf(call);
  const status = mapVapiStatus(call.status);
  return {
    providerCallId: call.id,
    attemptId: attemptIdOf(metadata),
    metadata,
    status,
    createdAt: toDate(call.createdAt),
    endedReason: call.endedReason ?? null,
    report: status === 'ended' ? toCallReport(call.id, metadata, call) : null,
  };
}

function durationOf(src: ReportSource, startedAt: Date | null, endedAt: Date | null): number | null {
  if (src.durationSeconds != null) return src.durationSeconds;
  if (src.durationMs != null) return src.durationMs / 1000;
  if (startedAt && endedAt) return Math.max(0, (endedAt.getTime() - startedAt.getTime()) / 1000);
  return null;
}

// artifact.structuredOutputs is { "<uuid>": { name, result } }; keyed by name it is usable by
// disposition rules. analysis.structuredData (the older analysisPlan) fills in underneath.
function structuredOutputsOf(src: ReportSource): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(src.analysis?.structuredData ?? {}) };
  for (const [id, entry] of Object.entries(src.artifact?.structuredOutputs ?? {})) {
    if (entry && typeof entry === 'object' && 'result' in entry) {
      const name = (entry as { name?: unknown }).name;
      out[typeof name === 'string' && name ? name : id] = (entry as { result: unknown }).result;
    } else {
      out[id] = entry;
    }
  }
  return out;
}


const ROLES: Record<string, CallMessage['role']> = {
  system: 'system',
  bot: 'assistant',
  assistant: 'assistant',
  user: 'user',
  tool_calls: 'tool_call',
  tool_call_result: 'tool_result',
};

function toCallMessage(raw: unknown): CallMessage {
  const m = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const role = ROLES[String(m.role)] ?? 'other';
  const text = typeof m.message === 'string' ? m.message : typeof m.content === 'string' ? m.content : null;
  const message: CallMessage = { role, text, secondsFromStart: typeof m.secondsFromStart === 'number' ? m.secondsFromStart : null };
  if (role === 'tool_call') {
    const first = Array.isArray(m.toolCalls) ? (m.toolCalls[0] as Record<string, any> | undefined) : undefined;
    message.tool = { name: first?.function?.name ?? first?.name, callId: first?.id };
  } else if (role === 'tool_result') {
    message.tool = { name: typeof m.name === 'string' ? m.name : undefined, callId: typeof m.toolCallId === 'string' ? m.toolCallId : undefined, result: m.result };
  }
  return message;
}
