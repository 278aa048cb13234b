import type { Db } from '../../platform/prisma';
import { Prisma } from '../../platform/prisma';
import { logger } from '../../platform/logger';
import { findPortalByHubId } from '../portals/portal.service';
import { resolveHubSpotContact } from './hubspot-contact';
import { enrollContact } from './campaign-enrollment.service';
import type { PlanLimits } from '../settings/plan-limits';
import { failedOutputs, outputsForCampaignContact, skippedOutputs } from './workflow-outputs';
import {
  blockResponse, CALLBACK_STATUS, ZCallbackPayload, type OutputFields, type TCallbackPayload, type TEnrollRequest, type WorkflowActionResponse,
} from './workflow-action.schemas';

// "Call with AI" (POST /hubspot/workflow-actions/enroll): the contact joins the chosen campaign
// and the action answers BLOCK; the callback is completed later, once the call's final outcome is
// known (workflow-callbacks.service.ts). Whatever is decided now without dialing (no number,
// do-not-call, no consent, no such campaign) is answered at once, synchronously, with the outputs
// (HubSpot's documented alternative to BLOCK), so there is no callback to race. HubSpot may send
// the same execution again: the callbackId is unique, and a repeat gets the first answer back.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

export async function handleWorkflowEnrollment(db: Db, request: TEnrollRequest, planDefaults: PlanLimits): Promise<WorkflowActionResponse> {
  const seen = await db.workflowCallback.findUnique({ where: { callbackId: request.callbackId } });
  if (seen) return answerFromRow(seen);

  const portal = await findPortalByHubId(db, request.origin.portalId);
  // No portal row to hang a record on: answer and keep nothing.
  if (!portal) return { outputFields: failedOutputs('app_not_installed') };

  const props = request.object.properties ?? {};
  const campaignId = str(request.inputFields.campaignId)?.trim() ?? '';
  const base = { portalId: portal.id, callbackId: request.callbackId };
  const payload: TCallbackPayload = {
    hubspotObjectId: request.object.objectId,
    ...(request.context?.workflowId !== undefined ? { workflowId: String(request.context.workflowId) } : {}),
  };
  if (!UUID.test(campaignId)) return record(db, { ...base, campaignId: null, contactId: null }, payload, failedOutputs('campaign_not_found'));

  const resolved = await resolveHubSpotContact(db, portal.id, {
    hubspotContactId: request.object.objectId,
    phones: [str(request.inputFields.phone), str(props.phone), str(props.mobilephone)],
    firstName: str(props.firstname),
    lastName: str(props.lastname),
    email: str(props.email),
    hubspotProperties: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v === null ? null : String(v)])),
    source: 'hubspot_workflow',
  });
  const campaignExists = await db.campaign.count({ where: { id: campaignId, portalId: portal.id } });
  const campaignRef = campaignExists ? campaignId : null;
  if (!resolved.ok) return record(db, { ...base, campaignId: campaignRef, contactId: null }, payload, skippedOutputs(resolved.reason));

  const contactId = resolved.contact.id;
  const enrolled = await enrollContact(db, { portalId: portal.id, campaignId, contact: resolved.contact, planDefaults });
  switch (enrolled.kind) {
    case 'refused':
      return record(db, { ...base, campaignId: campaignRef, contactId }, payload, failedOutputs(enrolled.reason));
    case 'skipped':
      return record(db, { ...base, campaignId, contactId }, { ...payload, campaignContactId: enrolled.campaignContactId, enrolledByWorkflow: enrolled.created }, skippedOutputs(enrolled.reason));
    case 'already_final':
      return record(db, { ...base, campaignId, contactId }, { ...payload, campaignContactId: enrolled.campaignContactId, enrolledByWorkflow: false }, await outputsForCampaignContact(db, enrolled.campaignContactId));
    case 'enrolled':
      return record(db, { ...base, campaignId, contactId }, { ...payload, campaignContactId: enrolled.campaignContactId, enrolledByWorkflow: enrolled.created }, null);
  }
}

interface CallbackKeys {
  portalId: string;
  callbackId: string;
  campaignId: string | null;
  contactId: string | null;
}

/** Writes the execution (blocked, or completed with `outputs`) and answers; a lost race answers like the winner. */
async function record(db: Db, keys: CallbackKeys, payload: TCallbackPayload, outputs: OutputFields | null): Promise<WorkflowActionResponse> {
  const completed = outputs !== null;
  try {
    await db.workflowCallback.create({
      data: {
        ...keys,
        status: completed ? CALLBACK_STATUS.completed : CALLBACK_STATUS.blocked,
        payload: (completed ? { ...payload, outputFields: outputs } : payload) as Prisma.InputJsonValue,
        completedAt: completed ? new Date() : null,
      },
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const row = await db.workflowCallback.findUniqueOrThrow({ where: { callbackId: keys.callbackId } });
      return answerFromRow(row);
    }
    throw err;
  }
  logger.info('workflow action answered', { callbackId: keys.callbackId, campaignId: keys.campaignId, blocked: !completed, outcome: outputs?.outcome });
  return completed ? { outputFields: outputs } : blockResponse();
}

function answerFromRow(row: { status: string; payload: unknown }): WorkflowActionResponse {
  const payload = ZCallbackPayload.safeParse(row.payload);
  const outputs = payload.success ? payload.data.outputFields : undefined;
  if (row.status === CALLBACK_STATUS.completed && outputs) return { outputFields: outputs };
  return blockResponse();
}
