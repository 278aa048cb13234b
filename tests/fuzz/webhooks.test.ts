import fc from 'fast-check';
import request from 'supertest';
import type { z } from 'zod';
import { createFuzzWorld, FUZZ_RETELL_KEY, FUZZ_VAPI_SECRET, hubspotSigned, type FuzzWorld } from './support/fuzz-world';
import { expectStillUp, fuzzTimeout, runFuzzSurface, type Answer } from './support/fuzz-runner';
import { jsonText, malformedJson } from './support/hostile-json';
import { hostileBody } from './support/schema-hostile';
import { signVapiPayload } from '../../backend/src/providers/voice/vapi/vapi-webhook-auth';
import { signRetellPayload } from '../../backend/src/providers/voice/retell/retell-webhook-auth';
import { ZVapiEnvelope } from '../../backend/src/providers/voice/vapi/vapi-wire';
import { ZRetellFunctionCall, ZRetellWebhook } from '../../backend/src/providers/voice/retell/retell-wire';
import { ZHubSpotWebhookBody } from '../../backend/src/domain/privacy/hubspot-webhook.service';
import { ZCampaignOptionsRequest, ZEnrollRequest } from '../../backend/src/domain/workflows/workflow-action.schemas';

// Webhooks and the workflow action under fuzz. Two kinds of case each: a request whose
// credential is missing, wrong, stale or made for other bytes (whatever its body, even a valid
// one), and a correctly signed request whose body is not what the sender sends (malformed JSON,
// too large, not the sender's shape by its own schema). Both must be refused, nothing stored.

let w: FuzzWorld;
beforeAll(async () => {
  w = await createFuzzWorld();
});
afterAll(() => w.close());

type Headers = Record<string, string>;
interface HookCase {
  url: string;
  raw: string;
  headers: Headers;
  contentType?: string;
}

interface Hook {
  /** Each URL and the schema its body must meet. */
  routes: Array<{ url: string; schema: z.ZodType }>;
  /** Bodies the sender could really send, to go with bad credentials. */
  plausible: Array<unknown>;
  signed(url: string, raw: string): fc.Arbitrary<Headers>;
  forged(url: string, raw: string): fc.Arbitrary<Headers>;
  /** Which body cap applies: the provider webhooks' larger one, or the API's. */
  bodyLimit: 'webhook' | 'api';
}

const send = (c: HookCase): Promise<Answer> =>
  request(w.ctx.app)
    .post(c.url)
    .set({ 'Content-Type': c.contentType ?? 'application/json', ...c.headers })
    .send(c.raw)
    .then((r) => ({ status: r.status, body: r.body }));

function hookCases(h: Hook): fc.Arbitrary<HookCase> {
  const route = fc.constantFrom(...h.routes);
  const forged = fc
    .tuple(route, fc.constantFrom(...h.plausible.map((b) => JSON.stringify(b))))
    .chain(([r, raw]) => h.forged(r.url, raw).map((headers) => ({ url: r.url, raw, headers })));
  const signedBody = (raw: string, url: string, contentType?: string) => h.signed(url, raw).map((headers) => ({ url, raw, headers, contentType }));
  const limits = w.ctx.config.limits;
  const oversize = `{"pad":"${'x'.repeat(h.bodyLimit === 'webhook' ? limits.webhookBodyBytes : limits.apiBodyBytes)}"}`;
  const hostile = route.chain((r) =>
    fc.oneof(
      { weight: 6, arbitrary: hostileBody(r.schema).chain((b) => signedBody(jsonText(b), r.url)) },
      { weight: 2, arbitrary: malformedJson.chain((raw) => signedBody(raw, r.url)) },
      { weight: 1, arbitrary: fc.constantFrom(...h.plausible.map((b) => JSON.stringify(b))).chain((raw) => signedBody(raw, r.url, 'text/plain')) },
      { weight: 1, arbitrary: fc.constant(oversize).chain((raw) => signedBody(raw, r.url)) },
    ),
  );
  return fc.oneof({ weight: 2, arbitrary: forged }, { weight: 3, arbitrary: hostile });
}

const now = () => String(Math.floor(Date.now() / 1000));
const headerJunk = fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 40 }).filter((s) => /^[\x20-\x7e]+$/.test(s));

// ---- Vapi -----------------------------------------------------------------------------------

const vapiCall = { id: 'call-fuzz-1', assistantOverrides: { metadata: { attemptId: '0b8e7c1e-3f5d-4a6b-9c2d-1e0f2a3b4c5d' } } };
const vapi: Hook = {
  routes: [{ url: '/webhooks/vapi', schema: ZVapiEnvelope }],
  plausible: [
    { message: { type: 'status-update', status: 'ringing', timestamp: Date.now(), call: vapiCall } },
    { message: { type: 'end-of-call-report', endedReason: 'customer-ended-call', call: vapiCall, artifact: { transcript: 'AI: Hi' } } },
    { message: { type: 'tool-calls', call: vapiCall, toolCallList: [{ id: 't1', name: 'next_step', parameters: {} }] } },
    { message: { type: 'speech-update', status: 'started', role: 'assistant' } },
  ],
  signed: (_url, raw) =>
    fc.oneof(
      fc.constant({ 'X-Vapi-Secret': FUZZ_VAPI_SECRET }),
      fc.constant({ Authorization: `Bearer ${FUZZ_VAPI_SECRET}` }),
      fc.constant(0).map(() => ({ 'x-signature': signVapiPayload(FUZZ_VAPI_SECRET, now(), raw), 'x-timestamp': now() })),
    ),
  forged: (_url, raw) =>
    fc.oneof(
      fc.constant({}),
      headerJunk.map((s) => ({ 'X-Vapi-Secret': s })),
      headerJunk.map((s) => ({ Authorization: `Bearer ${s}` })),
      fc.constant(0).map(() => ({ 'x-signature': signVapiPayload('not-the-secret', now(), raw), 'x-timestamp': now() })),
      fc.constant(0).map(() => {
        const stale = String(Math.floor(Date.now() / 1000) - 600);
        return { 'x-signature': signVapiPayload(FUZZ_VAPI_SECRET, stale, raw), 'x-timestamp': stale };
      }),
      fc.constant(0).map(() => ({ 'x-signature': signVapiPayload(FUZZ_VAPI_SECRET, now(), `${raw} `), 'x-timestamp': now() })),
      fc.constantFrom('abc', '1e3', '-1', '99999999999999999').map((ts) => ({ 'x-signature': signVapiPayload(FUZZ_VAPI_SECRET, ts, raw), 'x-timestamp': ts })),
      fc.constant({ 'x-signature': signVapiPayload(FUZZ_VAPI_SECRET, now(), raw) }),
    ),
  bodyLimit: 'webhook',
};

// ---- Retell ---------------------------------------------------------------------------------

const retellCall = { call_id: 'call-fuzz-1', call_status: 'ongoing', metadata: { attemptId: '0b8e7c1e-3f5d-4a6b-9c2d-1e0f2a3b4c5d' } };
const retell: Hook = {
  routes: [
    { url: '/webhooks/retell', schema: ZRetellWebhook },
    { url: '/webhooks/retell/functions/next_step', schema: ZRetellFunctionCall },
  ],
  plausible: [{ event: 'call_started', call: retellCall }, { event: 'call_ended', call: { ...retellCall, call_status: 'ended' } }, { name: 'next_step', call: retellCall, args: {} }],
  signed: (_url, raw) => fc.constant(0).map(() => ({ 'x-retell-signature': signRetellPayload(FUZZ_RETELL_KEY, raw) })),
  forged: (_url, raw) =>
    fc.oneof(
      fc.constant({}),
      headerJunk.map((s) => ({ 'x-retell-signature': s })),
      fc.constant(0).map(() => ({ 'x-retell-signature': signRetellPayload('not-the-key', raw) })),
      fc.constant(0).map(() => ({ 'x-retell-signature': signRetellPayload(FUZZ_RETELL_KEY, raw, Date.now() - 10 * 60_000) })),
      fc.constant(0).map(() => ({ 'x-retell-signature': signRetellPayload(FUZZ_RETELL_KEY, `${raw} `) })),
      fc.constant({ 'x-retell-signature': `v=99999999999999999999,d=${'0'.repeat(64)}` }),
    ),
  bodyLimit: 'webhook',
};

// ---- HubSpot (app webhooks, workflow action) --------------------------------------------------

const hubspotForged = (url: string, raw: string, v2Counts: boolean) =>
  fc.oneof(
    fc.constant({}),
    fc.constant(0).map(() => hubspotSigned('POST', url, raw, { secret: 'not-the-client-secret' })),
    fc.constant(0).map(() => hubspotSigned('POST', url, raw, { ageMs: 10 * 60_000 })),
    fc.constant(0).map(() => hubspotSigned('POST', url, `${raw} `)),
    fc.constant(0).map(() => hubspotSigned('POST', `${url}/other`, raw)),
    headerJunk.map((s) => ({ 'X-HubSpot-Signature-v3': s, 'X-HubSpot-Request-Timestamp': String(Date.now()) })),
    fc.constant(hubspotSigned('POST', url, raw, { version: 'v2', secret: 'not-the-client-secret' })),
    headerJunk.map((s) => ({ 'X-HubSpot-Signature': s, 'X-HubSpot-Signature-Version': 'v2' })),
    // A correct v2 signature where only v3 is accepted (app webhooks are v3-signed).
    ...(v2Counts ? [] : [fc.constant(hubspotSigned('POST', url, raw, { version: 'v2' }))]),
  );

const event = (extra: Record<string, unknown> = {}) => ({ eventId: 4242, subscriptionId: 7, portalId: 123, occurredAt: Date.now(), subscriptionType: 'contact.deletion', objectId: 99, ...extra });
const hubspotWebhooks: Hook = {
  routes: [{ url: '/hubspot/webhooks', schema: ZHubSpotWebhookBody }],
  plausible: [[event()], [event({ subscriptionType: 'contact.propertyChange', propertyName: 'phone', propertyValue: '+12025550123' })]],
  signed: (url, raw) => fc.constant(0).map(() => hubspotSigned('POST', url, raw)),
  forged: (url, raw) => hubspotForged(url, raw, false),
  bodyLimit: 'api',
};

const execution = { callbackId: 'cb-1', origin: { portalId: 123, actionDefinitionId: 1 }, object: { objectId: 614, objectType: 'CONTACT', properties: { phone: '+12025550123' } }, inputFields: { campaignId: 'x' } };
const workflowAction: Hook = {
  routes: [
    { url: '/hubspot/workflow-actions/enroll', schema: ZEnrollRequest },
    { url: '/hubspot/workflow-actions/campaign-options', schema: ZCampaignOptionsRequest },
  ],
  plausible: [execution, { origin: { portalId: 123 }, inputFieldName: 'campaignId' }],
  signed: (url, raw) => fc.constantFrom<'v2' | 'v3'>('v2', 'v3').map((version) => hubspotSigned('POST', url, raw, { version })),
  forged: (url, raw) => hubspotForged(url, raw, true),
  bodyLimit: 'api',
};

const surfaces: Array<[string, Hook]> = [
  ['vapi-webhook', vapi],
  ['retell-webhook', retell],
  ['hubspot-webhook', hubspotWebhooks],
  ['workflow-action', workflowAction],
];

describe.each(surfaces)('%s', (surface, hook) => {
  it('refuses forged credentials and signed hostile bodies, storing nothing', async () => {
    await runFuzzSurface({ surface, ctx: w.ctx, cases: hookCases(hook), send });
    await expectStillUp(w.ctx);
  }, fuzzTimeout());
});

// The control, last because it writes: the fuzzer's credentials do open each door, so its signed
// cases reached the body checks behind them.
describe('control', () => {
  it('accepts what each sender really sends, signed as the fuzzer signs it', async () => {
    const answers: Array<[string, number]> = [];
    for (const [, hook] of surfaces) {
      for (const { url } of hook.routes) {
        const raw = JSON.stringify(hook.plausible.find((b) => url.includes('functions') === Boolean((b as { name?: string }).name)) ?? hook.plausible[0]);
        const res = await send({ url, raw, headers: fc.sample(hook.signed(url, raw), 1)[0]! });
        answers.push([url, res.status]);
      }
    }
    expect(answers.filter(([, status]) => status !== 200)).toEqual([]);
  });
});
