import { z } from 'zod';
import type { AppConfig } from '../../../config/config';
import { VoiceProviderError, type CallPlan, type PlaceCallResult, type ProviderCall, type VoiceProvider } from '../voice-provider';
import { createRetellClient, type RetellApi, type RetellCreatePhoneCall } from './retell.client';
import { classifyRetellCreateError, statusOf, toRetellReadError } from './retell-errors';
import { parseRetellEvent } from './retell-event.mapper';
import { mapRetellStatus, toProviderCall } from './retell.mapper';
import { classifyDisconnection } from './retell-outcomes';
import { verifyRetellWebhook } from './retell-webhook-auth';
import { ZRetellCall, ZRetellList } from './retell-wire';

// VoiceProvider over Retell. placeCall never throws and never retries; see PlaceCallResult for
// what each answer obliges the caller to do. Retell places a call from a saved agent only
// (override_agent_id); the script reaches it as dynamic variables (retell-script.mapper.ts).

export interface RetellProviderOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs?: number;
  /** Tests inject a client; production builds the SDK one. */
  client?: RetellApi;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const ZCallPlan = z.object({
  attemptId: z.string().min(1).max(200),
  callerId: z.string().regex(E164, 'must be an E.164 caller number (Retell from_number)'),
  customer: z.object({ number: z.string().regex(E164, 'must be an E.164 number') }),
  agent: z.object({ kind: z.literal('saved', { message: 'must be a saved Retell agent (set RETELL_AGENT_ID or the portal setting)' }) }),
});

/** Retell's list page cap (list-calls `limit` maximum). */
const LIST_LIMIT = 1000;

export function createRetellProvider(options: RetellProviderOptions): VoiceProvider {
  const client = options.client ?? createRetellClient(options);

  async function list(request: Parameters<RetellApi['listCalls']>[0]): Promise<{ calls: ProviderCall[]; hasMore: boolean }> {
    let body: unknown;
    try {
      body = await client.listCalls(request);
    } catch (error) {
      throw toRetellReadError(error);
    }
    const page = ZRetellList.safeParse(body);
    if (!page.success) throw new VoiceProviderError('transient', 'Retell returned a call list without items.', { code: 'bad_response' });
    const calls: ProviderCall[] = [];
    for (const item of page.data.items) {
      const call = ZRetellCall.safeParse(item);
      if (call.success) calls.push(toProviderCall(call.data));
    }
    return { calls, hasMore: page.data.has_more === true };
  }

  return {
    name: 'retell',

    async placeCall(plan) {
      const invalid = ZCallPlan.safeParse(plan);
      if (!invalid.success) {
        const issue = invalid.error.issues[0];
        return { kind: 'rejected', error: { code: 'invalid_plan', message: `Call plan ${issue?.path.join('.')} ${issue?.message}.` } };
      }
      let body: unknown;
      try {
        body = await client.createPhoneCall(toCreatePhoneCall(plan));
      } catch (error) {
        return classifyRetellCreateError(error);
      }
      return interpretCreated(body);
    },

    async getCall(providerCallId) {
      let body: unknown;
      try {
        body = await client.getCall(providerCallId);
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw toRetellReadError(error);
      }
      const call = ZRetellCall.safeParse(body);
      if (!call.success) throw new VoiceProviderError('transient', 'Retell returned a call without a call_id.', { code: 'bad_response' });
      return toProviderCall(call.data);
    },

    async listCalls(query) {
      const hi = query.createdAtLe?.getTime() ?? Date.now();
      const { calls } = await list({
        filter_criteria: { start_timestamp: { type: 'range', op: 'bt', value: [query.createdAtGe.getTime(), hi] } },
        sort_order: 'descending',
        limit: Math.min(query.limit ?? 100, LIST_LIMIT),
      });
      return calls;
    },

    // list-calls filters on a top-level metadata key, so recovery is one exact request.
    async findCallsByAttempt(attemptId) {
      const { calls, hasMore } = await list({
        filter_criteria: { metadata: [{ key: 'attemptId', type: 'string', op: 'eq', value: attemptId }] },
        limit: 50,
      });
      return { calls, complete: !hasMore };
    },

    verifyWebhook: (rawBody, headers) => verifyRetellWebhook(rawBody, headers, { apiKey: options.apiKey }),
    parseEvent: parseRetellEvent,
  };
}

export function createRetellProviderFromConfig(config: Pick<AppConfig, 'retell'>, overrides: { apiKey?: string; timeoutMs?: number } = {}): VoiceProvider {
  const apiKey = overrides.apiKey ?? config.retell.apiKey;
  if (!apiKey) throw new Error('RETELL_API_KEY is not set and the portal has no Retell key of its own.');
  return createRetellProvider({ apiKey, baseUrl: config.retell.baseUrl, timeoutMs: overrides.timeoutMs });
}

/** Retell accepts string values only in retell_llm_dynamic_variables. */
export function toDynamicVariables(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    out[key] = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  }
  return out;
}

export function toCreatePhoneCall(plan: CallPlan): RetellCreatePhoneCall {
  const overrides = plan.overrides ?? {};
  const given = overrides.metadata && typeof overrides.metadata === 'object' ? (overrides.metadata as Record<string, unknown>) : {};
  const variables = overrides.dynamicVariables && typeof overrides.dynamicVariables === 'object' ? (overrides.dynamicVariables as Record<string, unknown>) : {};
  return {
    from_number: plan.callerId,
    to_number: plan.customer.number,
    ...(plan.agent.kind === 'saved' ? { override_agent_id: plan.agent.assistantId } : {}),
    // Retell echoes metadata in every webhook and in get/list-calls; list-calls can filter on
    // attemptId, which is how an ambiguous create is reconciled. attemptId always wins.
    metadata: { ...given, ...plan.metadata, attemptId: plan.attemptId },
    retell_llm_dynamic_variables: toDynamicVariables(variables),
  };
}

function interpretCreated(body: unknown): PlaceCallResult {
  const created = ZRetellCall.safeParse(body);
  if (!created.success) {
    // A 2xx without an id: the call may exist. Ambiguous, so the caller reconciles.
    return { kind: 'transient', error: { code: 'bad_response', message: 'Retell accepted the request but its answer carried no call_id.' } };
  }
  const call = created.data;
  if (call.disconnection_reason) {
    const { outcome } = classifyDisconnection(call.disconnection_reason);
    if (outcome === 'capacity') return { kind: 'capacity', signal: 'ended_reason', providerCallId: call.call_id };
    if (outcome === 'account_blocked') return { kind: 'account', problem: call.disconnection_reason === 'no_valid_payment' ? 'payment_required' : 'forbidden', reason: `Retell ended the call at start: ${call.disconnection_reason}.` };
  }
  return { kind: 'placed', providerCallId: call.call_id, status: mapRetellStatus(call.call_status) ?? 'queued' };
}
