import { toCreateCallDto } from '../../backend/src/providers/voice/vapi/vapi.provider';
import { findCallsByAttemptId } from '../../backend/src/providers/voice/find-calls-by-attempt';
import type { CallPlan, ListCallsQuery, ProviderCall } from '../../backend/src/providers/voice/voice-provider';

const plan: CallPlan = {
  attemptId: 'att-1',
  agent: { kind: 'saved', assistantId: 'asst-1' },
  overrides: { variableValues: { firstName: 'Jane' }, metadata: { attemptId: 'forged', scriptNode: 'intro' } },
  callerId: 'pn-1',
  customer: { number: '+15555550100', name: 'Jane Doe', externalId: 'hs-1' },
  metadata: { portalId: 'p1', campaignId: 'c1' },
  label: 'A campaign whose name is much longer than forty characters',
};

describe('CallPlan → POST /call body', () => {
  it('puts our attempt id in assistantOverrides.metadata (no top-level metadata), and it wins', () => {
    const dto = toCreateCallDto(plan) as Record<string, any>;
    expect(dto.metadata).toBeUndefined();
    expect(dto.assistantOverrides.metadata).toEqual({ attemptId: 'att-1', scriptNode: 'intro', portalId: 'p1', campaignId: 'c1' });
    expect(dto.assistantOverrides.variableValues).toEqual({ firstName: 'Jane' });
    expect(dto).toMatchObject({ assistantId: 'asst-1', phoneNumberId: 'pn-1', customer: { number: '+15555550100', name: 'Jane Doe', externalId: 'hs-1' } });
    expect(dto.name).toHaveLength(40);
    expect(plan.overrides!.metadata).toEqual({ attemptId: 'forged', scriptNode: 'intro' }); // caller's object untouched
  });

  it('a transient assistant goes in `assistant`; a default server only when the overrides name none', () => {
    const transient = toCreateCallDto({ ...plan, agent: { kind: 'transient', assistant: { name: 'x' } } }, { url: 'https://app/webhooks/vapi' }) as Record<string, any>;
    expect(transient.assistant).toEqual({ name: 'x' });
    expect(transient.assistantId).toBeUndefined();
    expect(transient.assistantOverrides.server).toEqual({ url: 'https://app/webhooks/vapi' });
    const own = toCreateCallDto({ ...plan, overrides: { server: { url: 'https://own' } } }, { url: 'https://default' }) as Record<string, any>;
    expect(own.assistantOverrides.server).toEqual({ url: 'https://own' });
  });
});

describe('findCallsByAttemptId', () => {
  // A provider with `total` calls spread over 10 s, answering at most `limit` per list request.
  function providerWith(total: number, matchAt: number[]) {
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    const calls: ProviderCall[] = Array.from({ length: total }, (_, i) => ({
      providerCallId: `c${i}`,
      attemptId: matchAt.includes(i) ? 'wanted' : `other-${i}`,
      metadata: {},
      status: 'queued',
      createdAt: new Date(t0 + Math.floor((i * 10_000) / total)),
      endedReason: null,
      report: null,
    }));
    const queries: ListCallsQuery[] = [];
    const provider = {
      async listCalls(q: ListCallsQuery) {
        queries.push(q);
        const inWindow = calls.filter((c) => c.createdAt!.getTime() >= q.createdAtGe.getTime() && (!q.createdAtLe || c.createdAt!.getTime() <= q.createdAtLe.getTime()));
        return inWindow.reverse().slice(0, q.limit ?? 100); // newest first, truncated
      },
    };
    return { provider, queries, from: new Date(t0), to: new Date(t0 + 10_000) };
  }

  it('finds the call in one request when the window holds less than a page', async () => {
    const { provider, from, to } = providerWith(30, [7]);
    const found = await findCallsByAttemptId(provider, { attemptId: 'wanted', from, to });
    expect(found).toMatchObject({ complete: true, requests: 1 });
    expect(found.calls.map((c) => c.providerCallId)).toEqual(['c7']);
  });

  it('halves a window whose page came back full, so an old call is not hidden behind newer ones', async () => {
    const { provider, from, to } = providerWith(500, [3, 250]);
    const found = await findCallsByAttemptId(provider, { attemptId: 'wanted', from, to, pageSize: 100, maxRequests: 50 });
    expect(found.complete).toBe(true);
    expect(found.calls.map((c) => c.providerCallId).sort()).toEqual(['c250', 'c3']);
  });

  it('says so when the request budget runs out', async () => {
    const { provider, from, to } = providerWith(500, [3]);
    const found = await findCallsByAttemptId(provider, { attemptId: 'wanted', from, to, pageSize: 100, maxRequests: 2 });
    expect(found).toMatchObject({ complete: false, requests: 2 });
  });
});
