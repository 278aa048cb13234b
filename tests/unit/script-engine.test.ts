import { validateScriptGraph } from '../../backend/src/domain/scripts/script-validator';
import { compileScript, openScript, stepScript, walkFrom, type CompiledScript } from '../../backend/src/domain/scripts/script-engine';
import { buildScriptData, type ScriptData } from '../../backend/src/domain/scripts/script-context';
import { coerceAnswer } from '../../backend/src/domain/scripts/script-answers';
import { evaluateCondition } from '../../backend/src/domain/scripts/script-logic';
import { solarGraph } from '../fixtures/scripts/script-samples';

function compiled(): CompiledScript {
  const v = validateScriptGraph(solarGraph());
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return compileScript(v.graph);
}

const withAnswers = (d: ScriptData, answers: Record<string, unknown>): ScriptData => ({ ...d, answers: { ...d.answers, ...answers } });

describe('edge evaluation', () => {
  const cs = compiled();
  const vip = buildScriptData({ contact: { firstName: 'Jane', properties: { tier: 'vip' } }, call: { attemptNumber: 1 } });
  const plain = buildScriptData({ contact: { firstName: 'Joe' } });

  it('takes the first matching edge, else the else edge', () => {
    expect(walkFrom(cs, 'greet', vip)).toMatchObject({ visited: ['greet', 'vip_check', 'vip_offer', 'ask_owner'], edges: ['greet:next', 'vip_check:e0', 'vip_offer:next'] });
    expect(walkFrom(cs, 'greet', plain)).toMatchObject({ visited: ['greet', 'vip_check', 'ask_owner'], edges: ['greet:next', 'vip_check:else'] });
    expect(walkFrom(cs, 'bill_branch', withAnswers(plain, { monthlyBill: 150 })).stop.id).toBe('ask_slot');
    expect(walkFrom(cs, 'bill_branch', withAnswers(plain, { monthlyBill: 149.99 })).stop.id).toBe('low_bill');
  });

  it('treats a condition that throws or reads nothing as no match', () => {
    expect(evaluateCondition({ '>=': [{ var: 'answers.monthlyBill' }, 150] }, plain)).toBe(false);
    expect(evaluateCondition({ unknown_op: [1] }, plain)).toBe(false);
    expect(evaluateCondition({ in: ['vip', { var: 'contact.properties.tier' }] }, vip)).toBe(true);
  });

  it('opens with the preamble, the opening says and the first question', () => {
    const o = openScript(cs, vip);
    expect(o.walk.stop.id).toBe('ask_owner');
    expect(o.firstMessage).toBe(
      `${cs.graph.compliance.preamble} Hi Jane, I'm following up on your solar quote request. As a valued customer you qualify for our priority install slot. Do you own your home?`,
    );
    expect(o.firstMessage.startsWith('Hi, this is Alex, an automated AI assistant calling on behalf of Acme Solar.')).toBe(true);
    expect(o.instruction).toMatchObject({ action: 'ask', expects: { name: 'ownsHome', type: 'yes_no', hint: 'yes or no' } });
  });

  it('steps with a coerced answer and returns the next instruction', () => {
    const s1 = stepScript(cs, 'ask_owner', { answer: 'Yes.' }, plain);
    expect(s1).toMatchObject({ kind: 'advanced', answer: { name: 'ownsHome', value: true }, walk: { visited: ['owner_branch', 'ask_bill'], edges: ['ask_owner:next', 'owner_branch:e0'] } });
    const s2 = stepScript(cs, 'ask_bill', { answer: '1,200' }, withAnswers(plain, { ownsHome: true }));
    expect(s2).toMatchObject({ kind: 'advanced', answer: { value: 1200 }, instruction: { nodeId: 'ask_slot', expects: { options: ['morning', 'afternoon'] } } });
    const s3 = stepScript(cs, 'ask_slot', { answer: 'Morning' }, withAnswers(plain, { ownsHome: true, monthlyBill: 1200 }));
    expect(s3).toMatchObject({ kind: 'advanced', answer: { value: 'morning' }, instruction: { action: 'transfer', transferTo: '+14155550123' } });
    if (s3.kind === 'advanced') expect(s3.instruction.text).toContain('transferCall');
  });

  it('asks again when the answer does not fit the type', () => {
    const s = stepScript(cs, 'ask_bill', { answer: 'a lot' }, plain);
    expect(s).toMatchObject({ kind: 'invalid_answer', problem: 'expected a number', instruction: { nodeId: 'ask_bill' } });
    const range = stepScript(cs, 'ask_bill', { answer: 20000 }, plain);
    expect(range).toMatchObject({ kind: 'invalid_answer', problem: 'expected a number of at most 10000' });
  });

  it('leads an opt-out to the opt_out node from anywhere', () => {
    const s = stepScript(cs, 'ask_bill', { optOut: true }, plain);
    expect(s).toMatchObject({ kind: 'opted_out', walk: { stop: { id: 'opt_out', disposition: 'opted_out' } }, instruction: { action: 'end' } });
  });

  it('repeats the final instruction once the call is at an end node', () => {
    expect(stepScript(cs, 'low_bill', { answer: 'hello?' }, plain)).toMatchObject({ kind: 'finished', instruction: { nodeId: 'low_bill', action: 'end' } });
  });
});

describe('answer coercion', () => {
  it.each([
    [{ name: 'a', type: 'yes_no' }, 'Yeah!', true],
    [{ name: 'a', type: 'yes_no' }, 'no thanks', false],
    [{ name: 'a', type: 'yes_no' }, false, false],
    [{ name: 'a', type: 'number' }, ' 42 ', 42],
    [{ name: 'a', type: 'number' }, -3.5, -3.5],
    [{ name: 'a', type: 'choice', options: ['Red', 'Blue'] }, 'blue.', 'Blue'],
    [{ name: 'a', type: 'date' }, '2026-02-28', '2026-02-28'],
    [{ name: 'a', type: 'date' }, '2026-03-01T10:00:00Z', '2026-03-01'],
    [{ name: 'a', type: 'text' }, '  next Tuesday ', 'next Tuesday'],
  ] as const)('%j reads %j as %j', (spec, raw, value) => {
    expect(coerceAnswer(spec as never, raw)).toEqual({ ok: true, value });
  });

  it.each([
    [{ name: 'a', type: 'yes_no' }, 'perhaps'],
    [{ name: 'a', type: 'number' }, '12abc'],
    [{ name: 'a', type: 'choice', options: ['Red', 'Blue'] }, 'green'],
    [{ name: 'a', type: 'date' }, '2026-02-30'],
    [{ name: 'a', type: 'date' }, 'tomorrow'],
    [{ name: 'a', type: 'text' }, '   '],
  ] as const)('%j refuses %j', (spec, raw) => {
    expect(coerceAnswer(spec as never, raw)).toMatchObject({ ok: false });
  });
});
