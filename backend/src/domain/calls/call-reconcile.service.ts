import type { CallReport, ProviderCall } from '../../providers/voice/voice-provider';
import { logger } from '../../platform/logger';
import { finalizeCall } from './call-finalize.service';
import { finishStuckAttempts, requeueForgottenOutbox, retryStoredReports } from './call-reconcile-sweeps';
import type { ResultsDeps } from './results-deps';

// The reconciler (design.md §4.1, §6: Vapi does not retry webhooks). Every run, bounded:
//  1. stored reports that could not be applied are applied again;
//  2. calls placed but with no final outcome after they must have ended (placedAt + the longest
//     call + margin), calls whose status said "ended" but whose report never followed, and
//     attempts whose live-call lease expired, are asked about at the provider (GET call) and
//     closed through the same finalisation as a webhook report; a call the provider does not
//     know is closed as failed_transient;
//  3. attempts whose call is final but whose contact is still "in a call" are finished;
//  4. outbox rows nobody queued (a crash between commit and enqueue) are queued.

/** How long after a status "ended" the end-of-call report may still be on its way (post-processing). */
export const REPORT_GRACE_MS = 2 * 60_000;
const BATCH = 100;

export interface ReconcileSummary {
  asked: number;
  closed: number;
  notFound: number;
  stillLive: number;
  errors: number;
  reportsRetried: number;
  attemptsFinished: number;
  outboxRequeued: number;
}

export async function reconcileCalls(deps: ResultsDeps): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { asked: 0, closed: 0, notFound: 0, stillLive: 0, errors: 0, reportsRetried: 0, attemptsFinished: 0, outboxRequeued: 0 };
  // Reports we already hold go first: asking the provider about those calls would be wasted.
  summary.reportsRetried = await retryStoredReports(deps);
  for (const callId of await overdueCallIds(deps)) await reconcileOne(deps, callId, summary);
  summary.attemptsFinished = await finishStuckAttempts(deps);
  summary.outboxRequeued = await requeueForgottenOutbox(deps);
  if (summary.asked || summary.reportsRetried || summary.attemptsFinished || summary.outboxRequeued) logger.info('reconciled', { ...summary });
  return summary;
}

async function overdueCallIds(deps: ResultsDeps): Promise<string[]> {
  const now = deps.now().getTime();
  const { maxCallDurationMs, leaseMarginMs } = deps.dialing.policy;
  const overdue = await deps.db.call.findMany({
    where: {
      outcome: null,
      OR: [
        { placedAt: { lt: new Date(now - maxCallDurationMs - leaseMarginMs) } },
        { status: 'ended', placedAt: { not: null }, lastEventAt: { lt: new Date(now - REPORT_GRACE_MS) } },
      ],
    },
    select: { id: true },
    orderBy: { placedAt: 'asc' },
    take: BATCH,
  });
  const ids = new Set(overdue.map((c) => c.id));
  // Leases that expired before a report released them (LiveCallLeases moves them aside).
  for (const key of await deps.dialing.leases.allKeys()) {
    if (ids.size >= BATCH * 2) break;
    for (const id of await deps.dialing.leases.takeExpired(key, BATCH)) ids.add(id);
  }
  return [...ids];
}

async function reconcileOne(deps: ResultsDeps, callId: string, summary: ReconcileSummary): Promise<void> {
  const call = await deps.db.call.findUnique({ where: { id: callId }, include: { portal: true } });
  if (!call || call.outcome !== null || !call.placedAt) return;
  summary.asked += 1;
  let remote: ProviderCall | null;
  if (!call.providerCallId) {
    remote = null;
  } else {
    // Asked on the provider that placed the call, whatever the portal uses now.
    const lookup = deps.voice.forPortal({ ...call.portal, voiceProvider: call.provider });
    if (!lookup.ok) {
      summary.errors += 1;
      logger.warn('cannot reconcile: the portal has no usable voice account', { callId, reason: lookup.reason });
      return;
    }
    try {
      remote = await lookup.voice.provider.getCall(call.providerCallId);
    } catch (err) {
      summary.errors += 1;
      logger.warn('provider unavailable while reconciling; next run retries', { callId, err: (err as Error).message });
      return;
    }
  }
  if (remote && remote.status !== 'ended') {
    summary.stillLive += 1;
    if (remote.status) await advanceStatus(deps, call.id, remote.status);
    return;
  }
  const report = remote?.report ?? (remote ? reportFromEnded(remote) : notFoundReport(call.providerCallId ?? '', call.id));
  if (!remote) summary.notFound += 1;
  const result = await finalizeCall(deps, { callId: call.id, report, source: 'reconciler' });
  if (result.kind === 'finalized') summary.closed += 1;
}

async function advanceStatus(deps: ResultsDeps, callId: string, status: string) {
  await deps.db.$executeRaw`UPDATE "Call" SET "status" = ${status}::"CallStatus", "updatedAt" = now() WHERE "id" = ${callId}::uuid AND "status" < ${status}::"CallStatus"`;
}

const emptyReport = (providerCallId: string, attemptId: string, endedReason: string, outcome: CallReport['outcome']): CallReport => ({
  providerCallId,
  attemptId,
  metadata: {},
  endedReason,
  outcome,
  startedAt: null,
  endedAt: null,
  durationSec: null,
  cost: null,
  transcript: null,
  summary: null,
  messages: [],
  structuredOutputs: {},
  successEvaluation: null,
  optOutRequested: false,
  recordingUrl: null,
  stereoRecordingUrl: null,
});

/** The provider has no such call (or we never learnt its id): the attempt failed on the way, retry per policy. */
export const notFoundReport = (providerCallId: string, attemptId: string) => emptyReport(providerCallId, attemptId, 'reconciler-call-not-found', 'failed_transient');

function reportFromEnded(remote: ProviderCall): CallReport {
  return emptyReport(remote.providerCallId, remote.attemptId ?? '', remote.endedReason ?? 'unknown', 'failed_transient');
}
