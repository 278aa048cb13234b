import { validateScriptGraph } from '../../backend/src/domain/scripts/script-validator';
import { simulateScript } from '../../backend/src/domain/scripts/script-simulator';
import { solarGraph } from '../fixtures/scripts/script-samples';

const graph = (() => {
  const v = validateScriptGraph(solarGraph());
  if (!v.ok) throw new Error('sample invalid');
  return v.graph;
})();

describe('simulateScript', () => {
  it('walks one run: path, instruction per stop, disposition and decision', () => {
    const r = simulateScript(graph, { contact: { firstName: 'Jane' }, runs: [['yes', '300', 'afternoon']] });
    const run = r.runs[0]!;
    expect(run.path).toEqual(['greet', 'vip_check', 'ask_owner', 'owner_branch', 'ask_bill', 'bill_branch', 'ask_slot', 'handoff']);
    expect(run.steps.map((s) => [s.nodeId, s.instruction.action, s.accepted])).toEqual([
      ['ask_owner', 'ask', undefined],
      ['ask_bill', 'ask', true],
      ['ask_slot', 'ask', 300],
      ['handoff', 'transfer', 'afternoon'],
    ]);
    expect(run.steps[0]!.instruction.text).toMatch(/^Say: "Hi, this is Alex.*Hi Jane, I'm following up.*Do you own your home\?" Then wait/);
    expect(run).toMatchObject({ status: 'transferred', disposition: 'qualified', answers: { ownsHome: true, monthlyBill: 300, slot: 'afternoon' }, unusedAnswers: 0 });
    expect(run.decision).toMatchObject({ outcome: 'qualified', hubspotProperties: { solar_best_slot: 'afternoon' } });
  });

  it('shows an invalid answer being asked again, opt-outs, and runs that run out of answers', () => {
    const r = simulateScript(graph, {
      contact: { properties: { tier: 'vip' } },
      runs: [['maybe', 'no'], [{ optOut: true }], ['yes'], ['yes', '10', 'extra']],
    });
    const [retry, optOut, short, low] = r.runs;
    expect(retry!.steps.map((s) => s.invalid ?? s.nodeId)).toEqual(['ask_owner', 'expected yes or no', 'not_owner']);
    expect(retry).toMatchObject({ status: 'ended', disposition: 'not_owner' });
    expect(optOut).toMatchObject({ status: 'opted_out', disposition: 'opted_out', decision: { outcome: 'opted_out', isOptOut: true } });
    expect(short).toMatchObject({ status: 'needs_more_answers', disposition: null, decision: null });
    expect(low).toMatchObject({ status: 'ended', disposition: 'not_qualified', unusedAnswers: 1 });
  });

  it('reports branch coverage over all runs', () => {
    const one = simulateScript(graph, { contact: {}, runs: [['no']] });
    expect(one.coverage).toMatchObject({ edgesTotal: 11, edgesTaken: 4 });
    expect(one.coverage.untaken.map((e) => e.key)).toEqual(expect.arrayContaining(['vip_check:e0', 'owner_branch:e0', 'bill_branch:else']));

    const all = simulateScript(graph, { contact: { properties: { tier: 'vip' } }, runs: [['no'], ['yes', 10], ['yes', 500, 'morning']] });
    const plain = simulateScript(graph, { contact: {}, runs: [['no']] });
    expect(all.coverage.edgesTaken + plain.coverage.edgesTaken).toBeGreaterThanOrEqual(11);
    expect(all.coverage.untaken.map((e) => e.key)).toEqual(['vip_check:else']);
    expect(all.coverage.ratio).toBeCloseTo(10 / 11, 3);
  });
});
