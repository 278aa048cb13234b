import type { VoiceEvent } from '../../providers/voice/voice-provider';
import { logger } from '../../platform/logger';
import { markEvent, storeAndApplyEvent, storeEvent, type StoredEventInput } from './call-event-store';
import { finalizeCall } from './call-finalize.service';
import type { ResultsDeps } from './results-deps';

// A verified, parsed provider webhook → stored once → applied. Status updates, transcripts, hangs
// and unknown types are one statement each (store + monotonic apply). An end-of-call report is
// stored first, then finalised in the same request (measured in bench/webhook-ingest.ts: one
// report per call is cheap next to the call's other events); if finalising fails the stored
// report stays unprocessed and the reconciler applies it again.

export interface IngestResult {
  duplicate: boolean;
  callId: string | null;
  /** What happened to an end-of-call report; absent for other kinds. */
  finalized?: 'finalized' | 'already_final' | 'unknown_call' | 'failed';
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
      const r = await storeAndApplyEvent(deps.db, stored, event.status, event.endedReason);
      return { duplicate: !r.inserted, callId: r.callId };
    }
    case 'ended': {
      const r = await storeEvent(deps.db, stored, false);
      if (!r.inserted) return { duplicate: true, callId: r.callId };
      return { duplicate: false, callId: r.callId, finalized: await applyStoredReport(deps, r.eventId!, r.callId, event.report) };
    }
    case 'tool_calls': {
      // Answered (and recorded on the call) by the script engine; kept here as the raw record.
      const r = await storeEvent(deps.db, stored, true);
      return { duplicate: !r.inserted, callId: r.callId };
    }
    default: {
      // transcript, hang, unknown: stored; they prove the call exists but change no facts (the
      // report carries the whole transcript).
      const r = await storeAndApplyEvent(deps.db, stored, null);
      return { duplicate: !r.inserted, callId: r.callId };
    }
  }
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
