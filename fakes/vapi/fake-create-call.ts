import crypto from 'node:crypto';
import type { CallInfo, CallScript, FakeOutcome, RefusalForm, VapiFakeOptions } from './fake-options';
import { DEFAULTS, FAKE_OUTCOMES, REFUSAL_FORMS } from './fake-options';
import type { FakeCall, FakeState } from './fake-state';

// POST /call's decisions, apart from HTTP: validate like Vapi's DTO (research/vapi.md §1.1),
// refuse over the concurrency limit in the configured form, otherwise create the call and pick
// its fate. Returns what to answer; the server writes it and starts the simulation.

// CreateCallDTO's properties (OpenAPI / SDK 2.0.1). Anything else: "property X should not exist".
const CREATE_CALL_KEYS = new Set([
  'assistantVersion', 'transport', 'customers', 'name', 'schedulePlan', 'assistantId', 'assistant', 'assistantOverrides',
  'squadId', 'squad', 'squadOverrides', 'workflowId', 'workflow', 'workflowOverrides', 'phoneNumberId', 'phoneNumber', 'customerId', 'customer',
]);

export type CreateDecision =
  | { kind: 'bad_request'; messages: string[] }
  | { kind: 'refused_400' }
  | { kind: 'created'; call: FakeCall; script: CallScript; info: CallInfo; blocked: boolean; endAtStart?: string };

export interface CreateContext {
  state: FakeState;
  options: Required<Pick<VapiFakeOptions, 'concurrencyLimit' | 'attemptIdKey'>> & VapiFakeOptions;
  orgId: string;
  rand: () => number;
  nextRefusal: () => RefusalForm;
}

export function validateCreate(body: unknown, options: VapiFakeOptions): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return ['request body must be a JSON object'];
  const b = body as Record<string, any>;
  const problems = Object.keys(b).filter((k) => !CREATE_CALL_KEYS.has(k)).map((k) => `property ${k} should not exist`);
  if (b.customers) problems.push('customers (batch calls) is not supported by the fake');
  if (!b.assistantId && !b.assistant && !b.squadId && !b.squad) problems.push('Need Either `assistantId`, `assistant`, `squadId`, or `squad`.');
  if (!b.phoneNumberId && !b.phoneNumber) problems.push('Need Either `phoneNumberId` Or `phoneNumber`.');
  if (typeof b.customer?.number !== 'string' || !/^\+[1-9]\d{6,14}$/.test(b.customer.number)) {
    problems.push('customer.number must be a valid phone number in the E.164 format. Hot tip, you may be missing the country code (Eg. US: +1).');
  }
  if (problems.length) return problems;
  if (options.phoneNumberIds && b.phoneNumberId && !options.phoneNumberIds.includes(b.phoneNumberId)) return ["Couldn't Get Phone Number."];
  if (options.assistantIds && b.assistantId && !options.assistantIds.includes(b.assistantId)) return ["Couldn't Get Assistant."];
  return [];
}

export const attemptIdOf = (body: Record<string, any>, key: string): string | null => {
  const v = body.assistantOverrides?.metadata?.[key];
  return typeof v === 'string' && v ? v : null;
};

export function decideCreate(apiKey: string, body: Record<string, any>, ctx: CreateContext): CreateDecision {
  const problems = validateCreate(body, ctx.options);
  if (problems.length) return { kind: 'bad_request', messages: problems };
  const attemptId = attemptIdOf(body, ctx.options.attemptIdKey);
  const entry = attemptId ? ctx.state.entry(attemptId) : undefined;
  const overLimit = ctx.state.liveCalls(apiKey) >= ctx.options.concurrencyLimit;
  const refusal = overLimit ? ctx.nextRefusal() : undefined;
  if (refusal === 'http-400') {
    ctx.state.counters.refusedHttp400 += 1;
    if (entry) entry.refused += 1;
    return { kind: 'refused_400' };
  }

  const now = new Date().toISOString();
  const call: FakeCall = {
    id: crypto.randomUUID(),
    apiKey,
    orgId: ctx.orgId,
    createdAt: now,
    updatedAt: now,
    status: 'queued',
    request: body,
    attemptId,
    outcome: 'refused',
    cost: 0,
    transcript: [],
    toolSteps: [],
    holdsSlot: false,
  };
  const info: CallInfo = { callId: call.id, number: body.customer.number, attemptId, metadata: { ...(body.assistantOverrides?.metadata ?? {}) } };
  ctx.state.calls.set(call.id, call);
  ctx.state.counters.created += 1;
  if (entry) {
    entry.created += 1;
    entry.callIds.push(call.id);
  }
  const script: CallScript = scriptOf(info, ctx);

  if (refusal) {
    if (refusal === 'blocked') ctx.state.counters.refusedBlocked += 1;
    else ctx.state.counters.refusedEndedReason += 1;
    if (entry) entry.refused += 1;
    return { kind: 'created', call, script, info, blocked: refusal === 'blocked', endAtStart: 'call.start.error-subscription-concurrency-limit-reached' };
  }
  if (ctx.options.account === 'insufficient_credits' || ctx.options.account === 'frozen') {
    const reason = ctx.options.account === 'frozen' ? 'call.start.error-subscription-frozen' : 'call.start.error-subscription-insufficient-credits';
    return { kind: 'created', call, script, info, blocked: false, endAtStart: reason };
  }
  call.outcome = script.outcome;
  call.holdsSlot = true;
  ctx.state.takeSlot(apiKey);
  ctx.state.counters.dialed += 1;
  if (entry) entry.dialed += 1;
  return { kind: 'created', call, script, info, blocked: false };
}

function scriptOf(info: CallInfo, ctx: CreateContext): CallScript {
  const chosen = ctx.options.scriptFor?.(info);
  if (typeof chosen === 'string') return { outcome: chosen };
  if (chosen) return chosen;
  return { outcome: pickOutcome(ctx.options.outcomeMix ?? DEFAULTS.outcomeMix, ctx.rand) };
}

export function pickOutcome(mix: Partial<Record<FakeOutcome, number>>, rand: () => number): FakeOutcome {
  const weights = FAKE_OUTCOMES.map((o) => [o, Math.max(0, mix[o] ?? 0)] as const);
  const total = weights.reduce((s, [, w]) => s + w, 0);
  if (total <= 0) return 'answered';
  let r = rand() * total;
  for (const [o, w] of weights) if ((r -= w) < 0) return o;
  return weights.filter(([, w]) => w > 0).at(-1)![0];
}

/** 'rotate' cycles the three forms; anything else is fixed. */
export function refusalPicker(getForm: () => RefusalForm | 'rotate'): () => RefusalForm {
  let i = 0;
  return () => {
    const form = getForm();
    return form === 'rotate' ? REFUSAL_FORMS[i++ % REFUSAL_FORMS.length]! : form;
  };
}
