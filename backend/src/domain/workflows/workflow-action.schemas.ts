import { z } from 'zod';

// The custom workflow action's wire format (research/hubspot.md §3): what HubSpot POSTs to the
// action URL and to the options URL, and the output fields we answer with. HubSpot adds fields
// over time (typedInputs, fields, actionExecutionIndexIdentifier…), so unknown keys are kept.

const ZHubId = z.union([z.number().int().positive(), z.string().regex(/^\d{1,18}$/)]).transform((v) => String(v));

export const ZEnrollRequest = z.looseObject({
  callbackId: z.string().trim().min(1).max(200),
  origin: z.looseObject({ portalId: ZHubId, actionDefinitionId: z.union([z.number(), z.string()]).optional() }),
  context: z.looseObject({ workflowId: z.union([z.number(), z.string()]).optional(), source: z.string().optional() }).optional(),
  object: z.looseObject({
    objectId: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).transform((v) => String(v)),
    objectType: z.string().max(50).optional(),
    properties: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
  }),
  inputFields: z.record(z.string(), z.unknown()).default({}),
});
export type TEnrollRequest = z.infer<typeof ZEnrollRequest>;

export const ZCampaignOptionsRequest = z.looseObject({
  origin: z.looseObject({ portalId: ZHubId }),
  inputFieldName: z.string().max(100).optional(),
  fetchOptions: z.looseObject({ q: z.string().max(200).optional(), after: z.string().max(200).optional() }).optional(),
});
export type TCampaignOptionsRequest = z.infer<typeof ZCampaignOptionsRequest>;

/** Output field names, as declared in hubspot-app/app/workflow-actions/call-with-ai-hsmeta.json. */
export const WORKFLOW_OUTPUT_FIELDS = ['outcome', 'disposition', 'durationSeconds', 'summary', 'skipReason'] as const;
/** Values of the `outcome` output (the hsmeta's select options). */
export const WORKFLOW_OUTCOMES = ['completed', 'voicemail', 'no_answer', 'busy', 'failed', 'cancelled', 'skipped', 'expired'] as const;
export type WorkflowOutcome = (typeof WORKFLOW_OUTCOMES)[number];

/** How long HubSpot keeps the action blocked (ISO-8601, sent with BLOCK) and the same in ms. */
export const BLOCK_EXPIRATION = 'P1D';
export const BLOCK_EXPIRY_MS = 24 * 60 * 60 * 1000;
/** A call not yet placed this close to HubSpot's expiry is given up, and the workflow told so. */
export const GIVE_UP_BEFORE_EXPIRY_MS = 15 * 60 * 1000;

export type OutputFields = Record<string, string>;
export interface WorkflowActionResponse {
  outputFields: OutputFields;
}

export const blockResponse = (): WorkflowActionResponse => ({ outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: BLOCK_EXPIRATION } });

/** WorkflowCallback.status values. */
export const CALLBACK_STATUS = { blocked: 'blocked', completing: 'completing', completed: 'completed', failed: 'failed', expired: 'expired' } as const;

/** What we keep about an execution (no phone numbers or names: the CRM has those). */
export const ZCallbackPayload = z.looseObject({
  hubspotObjectId: z.string().optional(),
  workflowId: z.string().optional(),
  campaignContactId: z.string().optional(),
  enrolledByWorkflow: z.boolean().optional(),
  outputFields: z.record(z.string(), z.string()).optional(),
  error: z.string().optional(),
});
export type TCallbackPayload = z.infer<typeof ZCallbackPayload>;
