import { sha256Hex } from '../../../platform/crypto';
import type { ParseEventResult, ToolCallRequest, VoiceEvent } from '../voice-provider';
import { attemptIdOf, mapVapiStatus, metadataOf, toCallReport } from './vapi.mapper';
import { ZEndOfCallReport, ZStatusUpdate, ZToolCalls, ZTranscript, ZVapiEnvelope } from './vapi-wire';

// Vapi server message → our VoiceEvent, with a dedupe key per event (design.md §6). Vapi sends no
// event id: a key is built from what identifies the event, else from a hash of the message
// (canonical JSON, so a re-serialised retry hashes the same).

export function parseVapiEvent(json: unknown): ParseEventResult {
  const envelope = ZVapiEnvelope.safeParse(json);
  if (!envelope.success) return { ok: false, issue: 'expected {"message":{"type":"…"}} (a Vapi server message)' };
  const message = envelope.data.message;
  const type = message.type;
  const call = message.call ?? null;
  const metadata = metadataOf(call);
  const base = {
    type,
    providerCallId: call?.id ?? null,
    attemptId: attemptIdOf(metadata),
    metadata,
    occurredAt: typeof message.timestamp === 'number' ? new Date(message.timestamp) : null,
  };
  const callId = base.providerCallId;
  const ts = message.timestamp;
  // Hash what was received, not the parsed copy (parsing may have nulled a malformed leaf).
  const hashKey = () => `${type}:hash:${bodyHash((json as { message: unknown }).message)}`;
  const unknown = (): VoiceEvent => ({ ...base, kind: 'unknown', dedupeKey: hashKey() });

  switch (type) {
    case 'status-update': {
      const m = ZStatusUpdate.parse(message);
      const status = mapVapiStatus(m.status);
      if (!status) return { ok: true, event: unknown() };
      const dedupeKey = callId && ts != null ? `status-update:${callId}:${m.status}:${ts}` : hashKey();
      return { ok: true, event: { ...base, kind: 'status', status, endedReason: m.endedReason ?? null, dedupeKey } };
    }
    case 'end-of-call-report': {
      const m = ZEndOfCallReport.parse(message);
      if (!callId || !m.endedReason) return { ok: true, event: unknown() };
      // One report per call: a second delivery is the same report, whatever its timestamp.
      return { ok: true, event: { ...base, kind: 'ended', report: toCallReport(callId, metadata, m), dedupeKey: `end-of-call-report:${callId}` } };
    }
    case 'transcript':
    case 'transcript[transcriptType="final"]': {
      const m = ZTranscript.parse(message);
      if (m.transcript == null) return { ok: true, event: unknown() };
      const role = m.role === 'assistant' ? 'assistant' : 'user';
      const final = m.transcriptType !== 'partial';
      const dedupeKey = callId && ts != null ? `transcript:${callId}:${ts}:${sha256Hex(`${role}|${final}|${m.transcript}`).slice(0, 16)}` : hashKey();
      return { ok: true, event: { ...base, kind: 'transcript', role, final, text: m.transcript, dedupeKey } };
    }
    case 'tool-calls': {
      const toolCalls = toolCallsOf(message);
      if (toolCalls.length === 0) return { ok: true, event: unknown() };
      const ids = toolCalls.map((t) => t.id).sort().join(',');
      return { ok: true, event: { ...base, kind: 'tool_calls', toolCalls, dedupeKey: callId ? `tool-calls:${callId}:${ids}` : hashKey() } };
    }
    case 'hang':
      return { ok: true, event: { ...base, kind: 'hang', dedupeKey: callId && ts != null ? `hang:${callId}:${ts}` : hashKey() } };
    default:
      return { ok: true, event: unknown() };
  }
}

function toolCallsOf(message: unknown): ToolCallRequest[] {
  const m = ZToolCalls.parse(message);
  const items = m.toolCallList?.length ? m.toolCallList : (m.toolWithToolCallList ?? []).map((t) => ({ ...t.toolCall, name: t.toolCall?.name ?? t.name ?? t.function?.name }));
  const out: ToolCallRequest[] = [];
  for (const item of items) {
    const name = item?.name ?? item?.function?.name;
    if (!item?.id || !name) continue;
    out.push({ id: item.id, name, arguments: argumentsOf(item.parameters ?? item.function?.arguments) });
  }
  return out;
}

// The SDK types arguments as a JSON string; the docs and real payloads send an object.
function argumentsOf(raw: unknown): Record<string, unknown> {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw === 'string' && raw.trim()) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      return { _raw: raw };
    }
  }
  return {};
}

export function bodyHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** JSON with object keys sorted, so equal content hashes equal however it was serialised. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
