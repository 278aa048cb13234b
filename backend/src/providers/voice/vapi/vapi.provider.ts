import { z } from 'zod';
import type { Vapi } from '@vapi-ai/server-sdk';
import type { AppConfig } from '../../../config/config';
import { VoiceProviderError, type AccountProblem, type CallPlan, type PlaceCallResult, type ProviderCall, type VoiceProvider } from '../voice-provider';
import { createVapiClient, type VapiApi } from './vapi.client';
import { classifyCreateError, statusOf, toReadError } from './vapi-errors';
import { parseVapiEvent } from './vapi-event.mapper';
import { mapVapiStatus, toProviderCall } from './vapi.mapper';
import { classifyEndedReason } from './vapi-outcomes';
import { verifyVapiWebhook, type VapiWebhookAuthOptions } from './vapi-webhook-auth';
import { ZVapiCall, ZVapiCreateResponse } from './vapi-wire';

// VoiceProvider over Vapi. placeCall never throws and never retries; see PlaceCallResult for
// what each answer obliges the caller to do.

export interface VapiProviderOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs?: number;
  /** Verification settings for /webhooks/vapi; `secret` unset refuses every webhook. */
  webhook?: VapiWebhookAuthOptions;
  /** Where Vapi should post this call's server messages, used when the overrides name none. */
  server?: { url: string; headers?: Record<string, string> };
  /** Tests inject a client; production builds the SDK one. */
  client?: VapiApi;
}

// Labels are for people reading Vapi's dashboard. Kept short because Vapi validates the length of
// its reference names (exact caps are not in the SDK types); a long campaign name must never
// turn a dial into a 400.
const LABEL_MAX = 40;

const ZCallPlan = z.object({
  attemptId: z.string().min(1).max(200),
  callerId: z.string().min(1),
  customer: z.object({ number: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number'), name: z.string().optional(), externalId: z.string().optional() }),
});

export function createVapiProvider(options: VapiProviderOptions): VoiceProvider {
  const client = options.client ?? createVapiClient(options);
  const webhook: VapiWebhookAuthOptions = options.webhook ?? { secret: undefined };

  return {
    name: 'vapi',

    async placeCall(plan) {
      const invalid = ZCallPlan.safeParse(plan);
      if (!invalid.success) {
        const issue = invalid.error.issues[0];
        return { kind: 'rejected', error: { code: 'invalid_plan', message: `Call plan ${issue?.path.join('.')} ${issue?.message}.` } };
      }
      let body: unknown;
      try {
        body = await client.createCall(toCreateCallDto(plan, options.server));
      } catch (error) {
        return classifyCreateError(error);
      }
      return interpretCreated(body);
    },

    async getCall(providerCallId) {
      let body: unknown;
      try {
        body = await client.getCall(providerCallId);
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw toReadError(error);
      }
      const call = ZVapiCall.safeParse(body);
      if (!call.success) throw new VoiceProviderError('transient', 'Vapi returned a call without an id.', { code: 'bad_response' });
      return toProviderCall(call.data);
    },

    async listCalls(query) {
      let body: unknown;
      try {
        body = await client.listCalls({ createdAtGe: query.createdAtGe.toISOString(), createdAtLe: query.createdAtLe?.toISOString(), limit: query.limit });
      } catch (error) {
        throw toReadError(error);
      }
      if (!Array.isArray(body)) throw new VoiceProviderError('transient', 'Vapi returned a call list that is not an array.', { code: 'bad_response' });
      const calls: ProviderCall[] = [];
      for (const item of body) {
        const call = ZVapiCall.safeParse(item);
        if (call.success) calls.push(toProviderCall(call.data));
      }
      return calls;
    },

    verifyWebhook: (rawBody, headers) => verifyVapiWebhook(rawBody, headers, webhook),
    parseEvent: parseVapiEvent,
  };
}

/**
 * The provider for the platform account, or a portal's own key. With PUBLIC_BASE_URL set, every
 * call's server messages go to our /webhooks/vapi with the shared secret as a static header:
 * Vapi may not attach a saved credential to a server given in the request (research/vapi.md §3.6).
 */
export function createVapiProviderFromConfig(
  config: Pick<AppConfig, 'vapi' | 'publicBaseUrl'>,
  overrides: Partial<Pick<VapiProviderOptions, 'apiKey' | 'server' | 'timeoutMs'>> & { webhookSecret?: string } = {},
): VoiceProvider {
  const apiKey = overrides.apiKey ?? config.vapi.apiKey;
  if (!apiKey) throw new Error('VAPI_API_KEY is not set and the portal has no Vapi key of its own.');
  const secret = overrides.webhookSecret ?? config.vapi.webhookSecret;
  const server =
    overrides.server ??
    (config.publicBaseUrl ? { url: `${config.publicBaseUrl}/webhooks/vapi`, ...(secret ? { headers: { 'X-Vapi-Secret': secret } } : {}) } : undefined);
  return createVapiProvider({ apiKey, baseUrl: config.vapi.baseUrl, timeoutMs: overrides.timeoutMs, server, webhook: { secret } });
}

export function toCreateCallDto(plan: CallPlan, server?: VapiProviderOptions['server']): Vapi.CreateCallDto {
  const overrides: Record<string, unknown> = { ...(plan.overrides ?? {}) };
  const given = overrides.metadata && typeof overrides.metadata === 'object' ? (overrides.metadata as Record<string, unknown>) : {};
  // There is no top-level metadata on POST /call; Vapi echoes assistantOverrides.metadata back in
  // every webhook and in GET /call, which is how an ambiguous create is reconciled.
  overrides.metadata = { ...given, ...plan.metadata, attemptId: plan.attemptId };
  if (server && !overrides.server) overrides.server = server;
  const customer: Vapi.CreateCustomerDto = { number: plan.customer.number };
  if (plan.customer.name) customer.name = plan.customer.name.slice(0, LABEL_MAX);
  if (plan.customer.externalId) customer.externalId = plan.customer.externalId;
  return {
    ...(plan.agent.kind === 'saved' ? { assistantId: plan.agent.assistantId } : { assistant: plan.agent.assistant as Vapi.CreateAssistantDto }),
    assistantOverrides: overrides as Vapi.AssistantOverrides,
    phoneNumberId: plan.callerId,
    customer,
    ...(plan.label ? { name: plan.label.slice(0, LABEL_MAX) } : {}),
  };
}

function interpretCreated(body: unknown): PlaceCallResult {
  const created = ZVapiCreateResponse.safeParse(body);
  if (!created.success) {
    // A 2xx without an id: the call may exist. Ambiguous, so the caller reconciles.
    return { kind: 'transient', error: { code: 'bad_response', message: 'Vapi accepted the request but its answer carried no call id.' } };
  }
  const call = created.data;
  if (call.subscriptionLimits?.concurrencyBlocked) return { kind: 'capacity', signal: 'concurrency_blocked', providerCallId: call.id };
  if (call.endedReason) {
    const { outcome } = classifyEndedReason(call.endedReason);
    if (outcome === 'capacity') return { kind: 'capacity', signal: 'ended_reason', providerCallId: call.id };
    if (outcome === 'account_blocked') {
      return { kind: 'account', problem: accountProblemOfReason(call.endedReason), reason: `Vapi ended the call at start: ${call.endedReason}.` };
    }
  }
  return { kind: 'placed', providerCallId: call.id, status: mapVapiStatus(call.status) ?? 'queued' };
}

function accountProblemOfReason(endedReason: string): AccountProblem {
  if (/credit|wallet/.test(endedReason)) return 'insufficient_credits';
  if (/phone-number/.test(endedReason)) return 'invalid_phone_number';
  if (/assistant/.test(endedReason)) return 'invalid_assistant';
  return 'account_suspended';
}
