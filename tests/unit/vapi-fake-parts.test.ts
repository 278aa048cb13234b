import { pickOutcome, refusalPicker, validateCreate } from '../../fakes/vapi/fake-create-call';
import { FaultBook, RateWindow } from '../../fakes/vapi/fake-faults';
import { FakeState } from '../../fakes/vapi/fake-state';
import { seededRandom } from '../../fakes/vapi/fake-timers';
import { authHeaders } from '../../fakes/vapi/fake-webhooks';
import { verifyVapiWebhook } from '../../backend/src/providers/voice/vapi/vapi-webhook-auth';

describe('Vapi fake parts', () => {
  it('pickOutcome follows the weights', () => {
    const rand = seededRandom(3);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const o = pickOutcome({ answered: 3, busy: 1 }, rand);
      counts[o] = (counts[o] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['answered', 'busy']);
    expect(counts.answered! / 10_000).toBeGreaterThan(0.72);
    expect(counts.answered! / 10_000).toBeLessThan(0.78);
  });

  it('refusal forms rotate, or stay fixed', () => {
    const rotate = refusalPicker(() => 'rotate');
    expect([rotate(), rotate(), rotate(), rotate()]).toEqual(['http-400', 'blocked', 'ended-reason', 'http-400']);
    const fixed = refusalPicker(() => 'blocked');
    expect([fixed(), fixed()]).toEqual(['blocked', 'blocked']);
  });

  it("validates POST /call like Vapi's DTO", () => {
    const ok = { assistantId: 'a', phoneNumberId: 'p', customer: { number: '+15555550100' } };
    expect(validateCreate(ok, {})).toEqual([]);
    expect(validateCreate({ ...ok, metadata: {} }, {})).toEqual(['property metadata should not exist']);
    expect(validateCreate({ phoneNumberId: 'p', customer: { number: '5550100' } }, {})).toHaveLength(2);
    expect(validateCreate(ok, { phoneNumberIds: ['other'] })).toEqual(["Couldn't Get Phone Number."]);
  });

  it('the rate window refuses over max and says how long to wait', () => {
    const w = new RateWindow({ max: 2, windowMs: 1000 });
    expect(w.check('k', true, 0)).toBeUndefined();
    expect(w.check('k', true, 100)).toBeUndefined();
    expect(w.check('k', true, 400)).toBe(600);
    expect(w.check('other', true, 400)).toBeUndefined(); // per account
    expect(w.check('k', false, 400)).toBeUndefined(); // reads are free unless scope is 'all'
    expect(w.check('k', true, 1000)).toBeUndefined(); // a new window
  });

  it('faults are consumed per rule and per route', () => {
    const book = new FaultBook(seededRandom(1));
    book.set([{ fault: { kind: 'status', status: 503 }, times: 2 }, { route: 'get', fault: { kind: 'reset' } }]);
    expect(book.take('list')).toBeUndefined();
    expect(book.take('create')).toMatchObject({ status: 503 });
    expect(book.take('get')).toMatchObject({ kind: 'reset' });
    expect(book.take('create')).toMatchObject({ status: 503 });
    expect(book.take('create')).toBeUndefined();
    expect(book.take('get')).toBeUndefined();
  });

  it('maxCreatesInWindow measures the busiest sliding window; duplicates are attempts dialed twice', () => {
    const s = new FakeState();
    s.createTimes.push(0, 100, 900, 1000, 1050, 1900);
    expect(s.maxCreatesInWindow(1000)).toBe(4); // 100, 900, 1000, 1050
    s.entry('a').dialed = 1;
    s.entry('b').dialed = 2;
    expect(s.duplicates()).toEqual(['b']);
  });

  it("the fake's own signing is accepted by our verifier (and the fake never imports it)", () => {
    const body = '{"message":{"type":"hang"}}';
    const headers = authHeaders({ type: 'hmac', secret: 'shh-secret-1' }, body);
    expect(verifyVapiWebhook(Buffer.from(body), headers, { secret: 'shh-secret-1' })).toEqual({ ok: true, method: 'hmac' });
    const seconds = authHeaders({ type: 'hmac', secret: 'shh-secret-1', timestampUnit: 's' }, body);
    expect(seconds['x-timestamp']).toMatch(/^\d{10}$/);
    expect(verifyVapiWebhook(Buffer.from(body), seconds, { secret: 'shh-secret-1' })).toEqual({ ok: true, method: 'hmac' });
  });
});
