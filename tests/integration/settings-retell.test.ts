import request from 'supertest';
import { createTestContext, type TestContext } from '../support/test-app';
import { createPortalWithKey } from '../support/factories';
import { createVoiceRouter } from '../../backend/src/providers/voice/voice-router';

// Provider choice per portal in the settings API: switching to Retell needs a Retell account
// (the platform's or the portal's own key) and an agent; a stored key of the other provider
// cannot silently carry over; bad input is 422 with each problem located and nothing written.

describe('settings API: voice provider per portal', () => {
  let ctx: TestContext;
  let auth: Record<string, string>;
  let portalId: string;
  beforeAll(async () => {
    ctx = await createTestContext({ VAPI_API_KEY: 'platform-vapi-key', RETELL_API_KEY: 'platform-retell-key', RETELL_FROM_NUMBER: '+14155550100' });
  });
  beforeEach(async () => {
    const p = await createPortalWithKey(ctx.deps.db);
    auth = p.auth;
    portalId = p.portal.id;
  });
  afterAll(() => ctx.close());

  const put = (body: unknown) => request(ctx.app).put('/api/v1/settings').set(auth).send(body as object);
  const portal = () => ctx.deps.db.portal.findUniqueOrThrow({ where: { id: portalId } });

  it('switches a portal to Retell with an agent and caller number; the voice router then dials it on Retell', async () => {
    const res = await put({ provider: { name: 'retell', retellAgentId: 'agent_abc', retellFromNumber: '+14155550111' } }).expect(200);
    expect(res.body.provider).toMatchObject({ name: 'retell', source: 'platform_default', retell: { agentId: 'agent_abc', fromNumber: '+14155550111' } });
    const p = await portal();
    expect(p.voiceProvider).toBe('retell');
    const lookup = createVoiceRouter(ctx.deps).forPortal(p);
    expect(lookup.ok && lookup.voice.provider.name).toBe('retell');
    expect(lookup.ok && lookup.voice.accountKey).toMatch(/^retell-/);
  });

  it('refuses Retell without an agent, a bad caller number, and Vapi-only fields; nothing is written', async () => {
    const res = await put({ provider: { name: 'retell', retellFromNumber: '555-0100', assistantId: 'asst_1' } }).expect(422);
    expect(res.body.error.code).toBe('SETTINGS_INVALID');
    const paths = res.body.error.details.problems.map((p: { path: string }) => p.path).sort();
    expect(paths).toEqual(['provider.assistantId', 'provider.retellAgentId', 'provider.retellFromNumber']);
    expect((await portal()).voiceProvider).toBe('vapi');
  });

  it('will not carry a stored Vapi key over to Retell; a Retell key of its own is sealed and never returned', async () => {
    await put({ provider: { apiKey: 'own-vapi-key-123' } }).expect(200);
    const refused = await put({ provider: { name: 'retell', retellAgentId: 'agent_abc' } }).expect(422);
    expect(refused.body.error.details.problems).toEqual([expect.objectContaining({ path: 'provider.apiKey' })]);
    const ok = await put({ provider: { name: 'retell', retellAgentId: 'agent_abc', apiKey: 'own-retell-key-456' } }).expect(200);
    expect(ok.body.provider).toMatchObject({ name: 'retell', source: 'own_key', keyHint: '…-456' });
    expect(JSON.stringify(ok.body)).not.toContain('own-retell-key-456');
    const lookup = createVoiceRouter(ctx.deps).forPortal(await portal());
    expect(lookup.ok && lookup.voice.provider.name).toBe('retell');
  });

  it('rejects an unknown provider name', async () => {
    const res = await put({ provider: { name: 'twilio' } }).expect(400);
    expect(JSON.stringify(res.body)).toMatch(/provider\.name|provider/);
    expect((await portal()).voiceProvider).toBe('vapi');
  });
});
