import type { CallReport } from '../../providers/voice/voice-provider';
import { logger } from '../../platform/logger';
import { Prisma } from '../../platform/prisma';
import { finishAttempt } from '../dialing/attempt-finish.service';
import { getPublishedVersion } from '../scripts/script-version.service';
import { addCallToRollups } from '../analytics/call-rollup';
import { recordCallOptOut } from '../compliance/opt-out.service';
import { planCallWritebacks } from '../outbox/outbox-plan';
import { decideCallVerdict } from './call-disposition';
import { readResultsSettings } from './results-settings';
import { ERASED } from '../privacy/contact-erasure.service';
import type { ResultsDeps } from './results-deps';

// The one place a call gets its final facts (from an end-of-call report, or from the reconciler
// asking the provider). In one transaction: the call row (a compare-and-set on `outcome IS NULL`,
// so whoever comes second changes nothing), the analytics rollups, the opt-out's consequences and
// the HubSpot outbox rows. After the commit the dialer is told (finishAttempt: lease released,
// contact moved on by the retry policy) exactly once, by the caller that won the compare-and-set.

// Finalisations of calls ending together queue on the same rollup rows; under load they may wait
// for a connection and for those rows longer than Prisma's defaults (2 s / 5 s) allow.
const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 };

export type FinalizeResult =
  | { kind: 'finalized'; callId: string; outcome: string; disposition: string; isOptOut: boolean; outboxIds: string[] }
  | { kind: 'already_final'; callId: string }
  | { kind: 'unknown_call' };

export async function finalizeCall(deps: ResultsDeps, input: { callId: string; report: CallReport; source: 'webhook' | 'reconciler' }): Promise<FinalizeResult> {
  const { db } = deps;
  const { report } = input;
  const call = await db.call.findUnique({
    where: { id: input.callId },
    include: {
      contact: { select: { id: true, firstName: true, lastName: true, email: true, company: true, timeZone: true, properties: true, hubspotContactId: true, source: true } },
      portal: { select: { id: true, settings: true, accessTokenEnc: true, refreshTokenEnc: true } },
    },
  });
  if (!call) return { kind: 'unknown_call' };
  if (call.outcome !== null) return { kind: 'already_final', callId: call.id };

  const graph = call.scriptVersionId ? await getPublishedVersion(db, call.portalId, call.scriptVersionId).then((v) => v.graph).catch(() => null) : null;
  const verdict = decideCallVerdict({ graph, report, call, contact: call.contact });
  const now = deps.now();
  const placedAt = call.placedAt ?? report.startedAt ?? call.dialStartedAt ?? now;
  const settings = readResultsSettings(call.portal.settings);
  // A contact erased while the call was live: keep the call's figures, none of its content.
  const erased = call.contact.source === ERASED;
  const planned = planCallWritebacks({
    portalId: call.portalId,
    hubspotInstalled: !erased && Boolean(call.portal.accessTokenEnc || call.portal.refreshTokenEnc),
    settings,
    callId: call.id,
    outcome: report.outcome,
    hasHubSpotContact: Boolean(call.contact.hubspotContactId),
    hubspotProperties: verdict.hubspotProperties,
  });

  const outboxIds = await db.$transaction(async (tx) => {
    const { count } = await tx.call.updateMany({
      where: { id: call.id, outcome: null },
      data: {
        status: 'ended',
        outcome: report.outcome,
        endedReason: report.endedReason.slice(0, 200),
        disposition: verdict.disposition,
        isOptOut: verdict.isOptOut,
        providerCallId: call.providerCallId ?? report.providerCallId,
        placedAt,
        startedAt: report.startedAt ?? call.startedAt,
        endedAt: report.endedAt ?? call.endedAt ?? now,
        durationSec: report.durationSec,
        cost: report.cost,
        transcript: erased ? null : report.transcript,
        // A model-written summary of a call nobody answered is invented (research/vapi.md §3.4).
        summary: report.outcome === 'completed' && !erased ? report.summary : null,
        messages: erased ? Prisma.DbNull : (report.messages as object[]),
        structuredOutputs: erased ? Prisma.DbNull : (report.structuredOutputs as object),
        recordingUrl: erased ? null : report.recordingUrl,
        lastEventAt: now,
      },
    });
    if (count !== 1) return null;
    // (An erased contact's number is gone, and erasure already cancelled its waiting attempts.)
    if (verdict.isOptOut && !erased) {
      await recordCallOptOut(tx, { portalId: call.portalId, contactId: call.contactId, phone: call.toPhone, callId: call.id, campaignContactId: call.campaignContactId });
    }
    const ids: string[] = [];
    for (const row of planned) {
      const created = await tx.outbox.upsert({
        where: { portalId_dedupeKey: { portalId: row.portalId, dedupeKey: row.dedupeKey } },
        create: { ...row, payload: row.payload },
        update: {},
        select: { id: true },
      });
      ids.push(created.id);
    }
    // Last, so the shared rollup rows stay locked only for the commit.
    await addCallToRollups(tx, {
      portalId: call.portalId,
      campaignId: call.campaignId,
      variantId: call.variantId,
      placedAt,
      outcome: report.outcome,
      endedReason: report.endedReason,
      disposition: verdict.disposition,
      isOptOut: verdict.isOptOut,
      durationSec: report.durationSec,
      cost: report.cost,
    });
    return ids;
  }, TX_OPTIONS);
  if (outboxIds === null) return { kind: 'already_final', callId: call.id };

  logger.info('call finalized', { callId: call.id, campaignId: call.campaignId, outcome: report.outcome, disposition: verdict.disposition, source: input.source });
  await tellDialer(deps, call.id, report, verdict);
  if (outboxIds.length && deps.kickOutbox) {
    await deps.kickOutbox(outboxIds).catch((err) => logger.warn('could not queue HubSpot write-backs; the sweep will', { callId: call.id, err: (err as Error).message }));
  }
  return { kind: 'finalized', callId: call.id, outcome: report.outcome, disposition: verdict.disposition, isOptOut: verdict.isOptOut, outboxIds };
}

// Failure here leaves the call final but its contact still in a call; the reconciler's sweep
// (reconcileStuckAttempts) notices that state and finishes the attempt.
async function tellDialer(deps: ResultsDeps, callId: string, report: CallReport, verdict: { isOptOut: boolean; dispositionRetry: boolean | null }) {
  try {
    await finishAttempt(deps.dialing, { callId, outcome: report.outcome, optedOut: verdict.isOptOut, dispositionRetry: verdict.dispositionRetry });
  } catch (err) {
    logger.error('finishAttempt failed after finalising a call', { callId, err: (err as Error).message });
  }
}
