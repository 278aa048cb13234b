import { CallStepCache } from '../../backend/src/domain/scripts/call-step.cache';

const row = (id: string, providerCallId: string | null = `pc-${id}`) => ({ id, provider: 'vapi', providerCallId, marker: id });

describe('CallStepCache', () => {
  it('finds a call by attempt id or by provider call id, and refuses a mismatched pair', () => {
    const c = new CallStepCache<ReturnType<typeof row>>();
    c.set(row('A1'));
    expect(c.get({ attemptId: 'a1', provider: 'vapi' })?.marker).toBe('A1'); // attempt ids compare lower-case
    expect(c.get({ providerCallId: 'pc-A1', provider: 'vapi' })?.marker).toBe('A1');
    expect(c.get({ providerCallId: 'pc-A1', provider: 'retell' })).toBeUndefined();
    expect(c.get({ attemptId: 'a1', providerCallId: 'someone-else', provider: 'vapi' })).toBeUndefined();
  });

  it('forgets the oldest entry beyond its bound, and an entry older than its time to live', () => {
    let now = 0;
    const c = new CallStepCache<ReturnType<typeof row>>(2, 1000, () => now);
    c.set(row('a'));
    c.set(row('b'));
    c.set(row('c'));
    expect(c.get({ attemptId: 'a', provider: 'vapi' })).toBeUndefined();
    expect(c.get({ providerCallId: 'pc-a', provider: 'vapi' })).toBeUndefined();
    expect(c.size).toBe(2);
    now = 1001;
    expect(c.get({ attemptId: 'b', provider: 'vapi' })).toBeUndefined();
    expect(c.size).toBe(1);
  });
});
