import { validateScriptGraph } from '../../backend/src/domain/scripts/script-validator';
import { buildVapiScriptOverrides, withScriptPrompt } from '../../backend/src/providers/voice/vapi/vapi-script.mapper';
import { solarGraph } from '../fixtures/scripts/script-samples';

const graph = (() => {
  const v = validateScriptGraph(solarGraph());
  if (!v.ok) throw new Error('sample invalid');
  return v.graph;
})();
const version = { id: '0b0e7d7e-2a57-4c5e-9a59-3b8f5f0b8a11', version: 3, graph };

describe('buildVapiScriptOverrides', () => {
  const base = { version, publicBaseUrl: 'https://calls.example.test/', webhookSecret: 'hook-secret-123', attemptId: 'att-1' };

  it('decides contact-only branches before the call and opens with the preamble', () => {
    const vip = buildVapiScriptOverrides({ ...base, contact: { firstName: 'Jane', email: 'jane@example.com', properties: { tier: 'vip' } } });
    expect(vip.precomputedBranches).toEqual({ vip_check: 'vip_offer' });
    expect(vip.openingNodeId).toBe('ask_owner');
    expect(vip.assistantOverrides.firstMessage).toBe(
      `${graph.compliance.preamble} Hi Jane, I'm following up on your solar quote request. As a valued customer you qualify for our priority install slot. Do you own your home?`,
    );
    const plain = buildVapiScriptOverrides({ ...base, contact: {} });
    expect(plain.precomputedBranches).toEqual({ vip_check: 'ask_owner' });
    expect(plain.assistantOverrides.firstMessage).toContain('Hi there, I');
    expect(plain.assistantOverrides.firstMessage).not.toContain('valued customer');
  });

  it('sends only the contact fields the script uses, and the version and attempt ids', () => {
    const m = buildVapiScriptOverrides({ ...base, contact: { firstName: 'Jane', email: 'jane@example.com', lastName: 'Doe', properties: { tier: 'vip', ssn: 'no' } } });
    expect(m.assistantOverrides.variableValues).toMatchObject({
      contact: { firstName: 'Jane', properties_tier: 'vip' },
      script: { versionId: version.id, version: 3, openingNodeId: 'ask_owner', branches: { vip_check: 'vip_offer' } },
    });
    expect(JSON.stringify(m.assistantOverrides.variableValues)).not.toMatch(/jane@example|Doe|ssn/);
    expect(m.assistantOverrides.metadata).toEqual({ scriptVersionId: version.id, scriptVersion: 3, attemptId: 'att-1' });
  });

  it('adds one next_step server tool on /webhooks/vapi, endCall, and transferCall for transfer nodes', () => {
    const tools = buildVapiScriptOverrides({ ...base, contact: {} }).assistantOverrides['tools:append'];
    expect(tools).toEqual([
      {
        type: 'function',
        async: false,
        function: expect.objectContaining({ name: 'next_step', parameters: expect.objectContaining({ type: 'object', properties: expect.objectContaining({ answer: expect.any(Object), optOut: expect.any(Object) }) }) }),
        server: { url: 'https://calls.example.test/webhooks/vapi', timeoutSeconds: 10, headers: { 'X-Vapi-Secret': 'hook-secret-123' } },
      },
      { type: 'endCall' },
      { type: 'transferCall', destinations: [{ type: 'number', number: '+14155550123', description: 'Qualified lead: book the advisor' }] },
    ]);
    expect(tools.filter((t) => t.type === 'function')).toHaveLength(1);
  });

  it('describes the protocol in the system prompt, also as a Liquid variable', () => {
    const m = buildVapiScriptOverrides({ ...base, contact: {} });
    expect(m.systemPrompt).toContain('You are Alex, an automated AI assistant calling on behalf of Acme Solar');
    expect(m.systemPrompt).toContain('call next_step with optOut set to true');
    expect(m.systemPrompt).toContain('First step: Say: "');
    expect(m.assistantOverrides.variableValues.scriptProtocol).toBe(m.systemPrompt);
    const model = withScriptPrompt({ provider: 'openai', model: 'gpt-4o', messages: [{ role: 'system', content: 'old' }, { role: 'assistant', content: 'hi' }] }, m.systemPrompt);
    expect(model.messages).toEqual([{ role: 'system', content: m.systemPrompt }, { role: 'assistant', content: 'hi' }]);
  });

  it('omits the secret header and attempt id when not given', () => {
    const m = buildVapiScriptOverrides({ version, publicBaseUrl: 'https://x.test', contact: {} });
    const tool = m.assistantOverrides['tools:append'][0] as unknown as { server: Record<string, unknown> };
    expect(tool.server).toEqual({ url: 'https://x.test/webhooks/vapi', timeoutSeconds: 10 });
    expect(m.assistantOverrides.metadata).toEqual({ scriptVersionId: version.id, scriptVersion: 3 });
  });
});
