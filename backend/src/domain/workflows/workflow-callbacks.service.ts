import type { Db } from '../../platform/prisma';
import { Prisma } from '../../platform/prisma';
import { logger } from '../../platform/logger';
import type { HubSpotGateway } from '../../hubspot/gateway.types';
import { FINAL_CONTACT_STATES } from '../campaigns/campaign-states';
import { expiredOutputs, failedOutputs, outputsForCampaignContact } from './workflow-outputs';
import { BLOCK_EXPIRY_MS, CALLBACK_STATUS, GIVE_UP_BEFORE_EXPIRY_MS, ZCallbackPayload, type OutputFields } from './workflow-action.schemas';

// Finishing blocked "Call with AI" executions. A sweep (run every few seconds by a queue job)
// looks at blocked callbacks whose campaign contact reached a final state and completes each one
// once through HubSpot's callbacks API with the call's outputs. Near HubSpot's expiry, a contact
// not yet dialed is taken out of the campaign (if the workflow put it there) and the workflow is
// told "expired"; past the expiry HubSpot has moved on, so the row is only marked.
//
// Exactly once: a row is claimed (blocked → completing) before HubSpot is called, completed
// after a 2xx, handed back on a retryable error (429, 5xx, network) and failed on any other 4xx.
// A process that dies between claim and answer leaves a stale claim, reclaimed after
// STALE_CLAIM_MS; that (rare) path may send a second completion, which HubSpot refuses.

export interface WorkflowCallbackDeps {
  db: Db;
  gateway: Pick<HubSpotGateway, 'completeWorkflowCallback'>;
  now(): Date;
}

const STALE_CLAIM_MS = 5 * 60 * 1000;
const LIVE_STATES = ['dialing', 'in_call'];

interface Candidate {
  id: string;
  portalId: string;
  callbackId: string;
  createdAt: Date;
  payload: unknown;
  ccId: string | null;
  ccState: string | null;
}

export interface SweepResult {
  completed: number;
  expired: number;
  failed: number;
  retryLater: number;
}

export async function sweepWorkflowCallbacks(deps: WorkflowCallbackDeps, opts: { limit?: number } = {}): Promise<SweepResult> {
  const now = deps.now();
  await deps.db.workflowCallback.updateMany({
    where: { status: CALLBACK_STATUS.completing, completedAt: { lt: new Date(now.getTime() - STALE_CLAIM_MS) } },
    data: { status: CALLBACK_STATUS.blocked, completedAt: null },
  });
  const giveUpBefore = new Date(now.getTime() - (BLOCK_EXPIRY_MS - GIVE_UP_BEFORE_EXPIRY_MS));
  const rows = await deps.db.$queryRaw<Candidate[]>(Prisma.sql`
    SELECT wc.id, wc."portalId", wc."callbackId", wc."createdAt", wc.payload, cc.id AS "ccId", cc.state::text AS "ccState"
      FROM "WorkflowCallback" wc
      LEFT JOIN "CampaignContact" cc ON cc."campaignId" = wc."campaignId" AND cc."contactId" = wc."contactId"
     WHERE wc.status = ${CALLBACK_STATUS.blocked}
       AND (cc.id IS NULL OR cc.state::text IN (${Prisma.join([...FINAL_CONTACT_STATES])}) OR wc."createdAt" < ${giveUpBefore})
     ORDER BY wc."createdAt"
     LIMIT ${opts.limit ?? 200}`);
  const result: SweepResult = { completed: 0, expired: 0, failed: 0, retryLater: 0 };
  for (const row of rows) {
    const r = await settle(deps, row, now);
    result[r] += 1;
  }
  if (rows.length) logger.info('workflow callbacks swept', { ...result });
  return result;
}

/** For a caller that knows a call just ended (the results path): settles that contact's callbacks now. */
export async function completeWorkflowCallbacksForCall(deps: WorkflowCallbackDeps, callId: string): Promise<SweepResult> {
  const result: SweepResult = { completed: 0, expired: 0, failed: 0, retryLater: 0 };
  const call = await deps.db.call.findUnique({ where: { id: callId }, select: { campaignId: true, contactId: true } });
  if (!call?.campaignId) return result;
  const rows = await deps.db.$queryRaw<Candidate[]>(Prisma.sql`
    SELECT wc.id, wc."portalId", wc."callbackId", wc."createdAt", wc.payload, cc.id AS "ccId", cc.state::text AS "ccState"
      FROM "WorkflowCallback" wc
      JOIN "CampaignContact" cc ON cc."campaignId" = wc."campaignId" AND cc."contactId" = wc."contactId"
     WHERE wc.status = ${CALLBACK_STATUS.blocked} AND wc."campaignId" = ${call.campaignId}::uuid AND wc."contactId" = ${call.contactId}::uuid
       AND cc.state::text IN (${Prisma.join([...FINAL_CONTACT_STATES])})`);
  const now = deps.now();
  for (const row of rows) result[await settle(deps, row, now)] += 1;
  return result;
}

type Settled = keyof SweepResult;

async function settle(deps: WorkflowCallbackDeps, row: Candidate, now: Date): Promise<Settled> {
  const age = now.getTime() - row.createdAt.getTime();
  const isFinal = row.ccState !== null && (FINAL_CONTACT_STATES as readonly string[]).includes(row.ccState);
  if (!isFinal && age >= BLOCK_EXPIRY_MS) {
    // HubSpot has already timed the action out; a completion now would be refused.
    await deps.db.workflowCallback.updateMany({ where: { id: row.id, status: CALLBACK_STATUS.blocked }, data: { status: CALLBACK_STATUS.expired, completedAt: now } });
    return 'expired';
  }
  let outputs: OutputFields;
  if (isFinal) {
    outputs = await outputsForCampaignContact(deps.db, row.ccId!);
  } else if (row.ccId === null) {
    outputs = failedOutputs('campaign_not_found'); // the campaign (and its contacts) was deleted
  } else if (LIVE_STATES.includes(row.ccState ?? '')) {
    return 'retryLater'; // on the phone right now: wait for the outcome, up to HubSpot's expiry
  } else {
    if (!(await withdrawUndialed(deps.db, row))) return 'retryLater';
    outputs = expiredOutputs();
  }
  return complete(deps, row, outputs, now);
}

/** Takes a not-yet-dialed contact out of the campaign when the workflow put it there; false if it started dialing meanwhile. */
async function withdrawUndialed(db: Db, row: Candidate): Promise<boolean> {
  const payload = ZCallbackPayload.safeParse(row.payload);
  if (!payload.success || !payload.data.enrolledByWorkflow) return true;
  return db.$transaction(async (tx) => {
    const { count } = await tx.campaignContact.updateMany({
      where: { id: row.ccId!, state: { in: ['pending', 'queued', 'retry_wait'] } },
      data: { state: 'cancelled', skipReason: 'workflow_expired', nextAttemptAt: null },
    });
    if (count === 0) {
      const now = await tx.campaignContact.findUnique({ where: { id: row.ccId! }, select: { state: true } });
      return !now || (FINAL_CONTACT_STATES as readonly string[]).includes(now.state);
    }
    // A planned attempt that never reached the provider goes too (as cancelCampaign does).
    await tx.call.deleteMany({ where: { campaignContactId: row.ccId!, status: 'pending', dialStartedAt: null, placedAt: null } });
    return true;
  });
}

async function complete(deps: WorkflowCallbackDeps, row: Candidate, outputs: OutputFields, now: Date): Promise<Settled> {
  const { db } = deps;
  const claimed = await db.workflowCallback.updateMany({ where: { id: row.id, status: CALLBACK_STATUS.blocked }, data: { status: CALLBACK_STATUS.completing, completedAt: now } });
  if (claimed.count !== 1) return 'retryLater';
  const payload = ZCallbackPayload.safeParse(row.payload);
  const base = payload.success ? payload.data : {};
  try {
    await deps.gateway.completeWorkflowCallback(row.portalId, row.callbackId, outputs);
  } catch (err) {
    const retryable = isRetryable(err);
    await db.workflowCallback.update({
      where: { id: row.id },
      data: retryable
        ? { status: CALLBACK_STATUS.blocked, completedAt: null }
        : { status: CALLBACK_STATUS.failed, payload: { ...base, outputFields: outputs, error: String((err as Error).message).slice(0, 500) } as Prisma.InputJsonValue },
    });
    logger.warn('workflow callback not completed', { callbackId: row.callbackId, retryable, err: (err as Error).message });
    return retryable ? 'retryLater' : 'failed';
  }
  await db.workflowCallback.update({
    where: { id: row.id },
    data: { status: CALLBACK_STATUS.completed, completedAt: new Date(), payload: { ...base, outputFields: outputs } as Prisma.InputJsonValue },
  });
  logger.info('workflow callback completed', { callbackId: row.callbackId, outcome: outputs.outcome });
  return outputs.outcome === 'expired' ? 'expired' : 'completed';
}

// HubSpotApiError.isRetryable / HubSpotRateLimitedError (hubspot/errors.ts) read by shape, so the
// domain does not import the adapter's classes; anything without a verdict (network) is retried.
function isRetryable(err: unknown): boolean {
  const e = err as { isRetryable?: boolean; retryAfterMs?: number; status?: number; code?: string };
  if (typeof e?.retryAfterMs === 'number') return true;
  if (typeof e?.isRetryable === 'boolean') return e.isRetryable;
  if (e?.code === 'HUBSPOT_NOT_INSTALLED' || e?.code === 'HUBSPOT_REINSTALL_REQUIRED') return false;
  return true;
}
