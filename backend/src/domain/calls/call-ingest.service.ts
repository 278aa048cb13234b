import type { ParseEventResult, VoiceEvent } from '../../providers/voice/voice-provider';
import { parseVapiEvent } from '../../providers/voice/vapi/vapi-event.mapper';
import { parseRetellEvent } from '../../providers/voice/retell/retell-event.mapper';
import { logger } from '../../platform/logger';
import { markEvent, storeAndApplyEvent, storeEvent, type StoredEventInput } from './call-event-store';
import { finalizeCall } from './call-finalize.service';
import type { ResultsDeps } from './results-deps';

// A verified, parsed provider webhook → stored once → applied. Status updates, transcripts, hangs
// and unknown types are one statement each (store + monotonic apply), in the request. An
// end-of-call report is stored, then handed to the webhooks.apply queue and finalised there:
// finalising is a dozen round trips (call row, rollups, opt-out, outbox, the dialer told), and
// doing it in the request cut the endpoint to well under the bare-insert baseline
// (bench/webhook-ingest.ts). A report the queue never applies stays unprocessed, and the
// reconciler applies it.

export interface IngestResult {
  duplicate: boolean;
  callId: string | null;
  /** What happened to an end-of-call report; absent for other kinds. */
  finalized?: 'finalized' | 'already_final' | 'unknown_call' | 'failed' | 'queued';
}

export function storedInputOf(provider: string, event: VoiceEvent, payloadJson: string): StoredEventInput {
  return {
    provider,
    dedupeKey: event.dedupeKey,
    type: event.type.slice(0, 100),
    providerCallId: event.providerCallId,
    attemptId: event.attemptId,
    metadataPortalId: event.metadata.portalId,
    payloadJson,
    occurredAt: event.occurredAt,
  };
}

export async function ingestVoiceEvent(deps: ResultsDeps, input: { provider: string; event: VoiceEvent; payloadJson: string }): Promise<IngestResult> {
  const { event } = input;
  const stored = storedInputOf(input.provider, event, input.payloadJson);
  switch (event.kind) {
    case 'status': {
      const r = await storeAndApplyEvent(deps.sql, stored, event.status, event.endedReason);
      return { duplicate: !r.inserted, callId: r.callId };
    }
    case 'ended': {
      const r = await storeEvent(deps.sql, stored, false);
      if (!r.inserted) return { duplicate: true, callId: r.callId };
      if (deps.enqueueReport) {
        await deps.enqueueReport(r.eventId!).catch((err) => logger.warn('could not queue a report; the reconciler will apply it', { callId: r.callId, err: (err as Error).message }));
        return { duplicate: false, callId: r.callId, finalized: 'queued' };
      }
      return { duplicate: false, callId: r.callId, finalized: await applyStoredReport(deps, r.eventId!, r.callId, event.report) };
    }
    case 'tool_calls': {
      // Answered (and recorded on the call) by the script engine; kept here as the raw record.
      // Committed like the step it records (script-step.service.ts): without waiting for the WAL
      // flush, so the in-call path's next step never queues behind this record's fsync.
      const r = await storeEvent(deps.sql, stored, true, { asyncCommit: true });
      return { duplicate: !r.inserted, callId: r.callId };
    }
    default: {
      // transcript, hang, unknown: stored; they prove the call exists but change no facts (the
      // report carries the whole transcript).
      const r = await storeAndApplyEvent(deps.sql, stored, null);
      return { duplicate: !r.inserted, callId: r.callId };
    }
  }
}

const PARSERS: Record<string, (json: unknown) => ParseEventResult> = { vapi: parseVapiEvent, retell: parseRetellEvent };

/** Applies a stored end-of-call report by its ProviderEvent id (the webhooks.apply job, the reconciler). */
export async function applyStoredReportEvent(deps: ResultsDeps, eventId: bigint): Promise<IngestResult['finalized']> {
  const e = await deps.db.providerEvent.findUnique({ where: { id: eventId } });
  if (!e || e.processedAt) return 'already_final';
  const parsed = PARSERS[e.provider]?.(e.payload);
  if (!parsed?.ok || parsed.event.kind !== 'ended') {
    await markEvent(deps.db, e.id, { done: true, error: 'stored report no longer parses' });
    return 'unknown_call';
  }
  return applyStoredReport(deps, e.id, e.callId, parsed.event.report);
}

/** Finalises from a stored report event and marks the event; used by ingestion and by the reconciler's retry. */
export async function applyStoredReport(
  deps: ResultsDeps,
  eventId: bigint,
  callId: string | null,
  report: Extract<VoiceEvent, { kind: 'ended' }>['report'],
): Promise<IngestResult['finalized']> {
  if (!callId) {
    await markEvent(deps.db, eventId, { done: true, error: 'no call matches this report' });
    logger.warn('end-of-call report for an unknown call', { providerCallId: report.providerCallId });
    return 'unknown_call';
  }
  try {
    const result = await finalizeCall(deps, { callId, report, source: 'webhook' });
    await markEvent(deps.db, eventId, { done: true });
    return result.kind;
  } catch (err) {
    logger.error('could not apply an end-of-call report; the reconciler will retry', { callId, err: (err as Error).message });
    await markEvent(deps.db, eventId, { done: false, error: (err as Error).message }).catch(() => undefined);
    return 'failed';
  }
}
