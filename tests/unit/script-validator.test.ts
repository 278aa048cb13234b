import fc from 'fast-check';
import { validateScriptGraph } from '../../backend/src/domain/scripts/script-validator';
import { SCRIPT_LIMITS } from '../../backend/src/domain/scripts/script.schema';
import { chainGraph, graphWith, solarGraph, type AnyGraph } from '../fixtures/scripts/script-samples';

// Each rule is proven by breaking one thing in a valid script and checking the exact code,
// node id and JSON path reported.

function errorsOf(graph: unknown) {
  const v = validateScriptGraph(graph);
  if (v.ok) throw new Error('expected the script to be invalid');
  return v.errors;
}

const nodeIndex = (g: AnyGraph, id: string) => g.nodes.findIndex((n: AnyGraph) => n.id === id);
const node = (g: AnyGraph, id: string) => g.nodes[nodeIndex(g, id)];

describe('validateScriptGraph', () => {
  it('accepts the sample script and the generated 50-node chain', () => {
    expect(validateScriptGraph(solarGraph())).toMatchObject({ ok: true, warnings: [] });
    const chain = validateScriptGraph(chainGraph(50));
    expect(chain.ok).toBe(true);
    if (chain.ok) expect(chain.graph.nodes).toHaveLength(50);
  });

  it('reports a target that does not exist at the field naming it', () => {
    const g = solarGraph();
    node(g, 'ask_owner').next = 'nowhere';
    node(g, 'bill_branch').edges[0].to = 'missing_too';
    node(g, 'owner_branch').else = 'gone';
    g.start = 'no_start';
    const errors = errorsOf(g).filter((e) => e.code === 'UNKNOWN_TARGET');
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nodeId: 'ask_owner', path: `$.nodes[${nodeIndex(g, 'ask_owner')}].next` }),
        expect.objectContaining({ nodeId: 'bill_branch', path: `$.nodes[${nodeIndex(g, 'bill_branch')}].edges[0].to` }),
        expect.objectContaining({ nodeId: 'owner_branch', path: `$.nodes[${nodeIndex(g, 'owner_branch')}].else` }),
        expect.objectContaining({ path: '$.start' }),
      ]),
    );
  });

  it('reports nodes no path reaches', () => {
    const g = solarGraph();
    g.nodes.push({ id: 'orphan', type: 'end', disposition: 'x' });
    expect(errorsOf(g)).toEqual([{ code: 'UNREACHABLE_NODE', nodeId: 'orphan', path: `$.nodes[${g.nodes.length - 1}]`, message: expect.stringContaining('orphan') }]);
  });

  it('reports a branch without else', () => {
    const g = solarGraph();
    delete node(g, 'bill_branch').else;
    const errors = errorsOf(g);
    expect(errors).toContainEqual(expect.objectContaining({ code: 'BRANCH_WITHOUT_ELSE', nodeId: 'bill_branch', path: `$.nodes[${nodeIndex(g, 'bill_branch')}].else` }));
    // low_bill was only reachable through that else.
    expect(errors).toContainEqual(expect.objectContaining({ code: 'UNREACHABLE_NODE', nodeId: 'low_bill' }));
  });

  it('reports a loop with no way out, at its first node', () => {
    const g = graphWith([
      { id: 'a', type: 'say', text: 'Hello.', next: 'q' },
      { id: 'q', type: 'ask', text: 'Again?', answer: { name: 'again', type: 'yes_no' }, next: 'b' },
      { id: 'b', type: 'branch', edges: [{ when: { '==': [{ var: 'answers.again' }, true] }, to: 'q' }], else: 'q' },
    ]);
    expect(errorsOf(g)).toEqual([expect.objectContaining({ code: 'CYCLE_WITHOUT_EXIT', nodeId: 'q', path: '$.nodes[1]' })]);
  });

  it('reports a loop that never asks anything, and accepts one that does and can leave', () => {
    const spin = graphWith([
      { id: 'a', type: 'say', text: 'Hello.', next: 'b' },
      { id: 'b', type: 'branch', edges: [{ when: { '==': [{ var: 'contact.company' }, 'Acme'] }, to: 'a' }], else: 'end' },
      { id: 'end', type: 'end', disposition: 'done' },
    ]);
    expect(errorsOf(spin)).toEqual([expect.objectContaining({ code: 'CYCLE_WITHOUT_QUESTION', nodeId: 'a', path: '$.nodes[0]' })]);

    const retry = graphWith([
      { id: 'q', type: 'ask', text: 'Is now a good time?', answer: { name: 'ok', type: 'yes_no' }, next: 'b' },
      { id: 'b', type: 'branch', edges: [{ when: { '==': [{ var: 'answers.ok' }, true] }, to: 'end' }], else: 'q' },
      { id: 'end', type: 'end', disposition: 'done' },
    ]);
    expect(validateScriptGraph(retry).ok).toBe(true);
  });

  it('reports unknown variables in text and in conditions', () => {
    const g = solarGraph();
    node(g, 'greet').text = 'Hi {{contact.nickname}} about {{answers.nothing}}';
    node(g, 'bill_branch').edges[0].when = { '>=': [{ var: 'answers.monthlyBil' }, 150] };
    const i = nodeIndex(g, 'greet');
    const b = nodeIndex(g, 'bill_branch');
    expect(errorsOf(g)).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_VARIABLE', nodeId: 'bill_branch', path: `$.nodes[${b}].edges[0].when[">="][0].var` }),
      expect.objectContaining({ code: 'UNKNOWN_VARIABLE', nodeId: 'greet', path: `$.nodes[${i}].text`, message: expect.stringContaining('contact.nickname') }),
      expect.objectContaining({ code: 'UNKNOWN_VARIABLE', nodeId: 'greet', path: `$.nodes[${i}].text`, message: expect.stringContaining('answers.nothing') }),
    ]);
  });

  it.each([
    ['__proto__', 'VAR_FORBIDDEN'],
    ['contact.constructor', 'VAR_FORBIDDEN'],
    ['answers.ownsHome.__proto__', 'VAR_FORBIDDEN'],
    ['contact.properties.prototype', 'VAR_FORBIDDEN'],
    ['process.env', 'VAR_OUT_OF_SCOPE'],
    ['', 'VAR_OUT_OF_SCOPE'],
    ['contact.firstName.length', 'UNKNOWN_VARIABLE'],
  ])('refuses {"var": %j} with %s', (path, code) => {
    const g = solarGraph();
    node(g, 'owner_branch').edges[0].when = { var: path };
    expect(errorsOf(g)).toEqual([expect.objectContaining({ code, nodeId: 'owner_branch', path: `$.nodes[${nodeIndex(g, 'owner_branch')}].edges[0].when.var` })]);
  });

  it('refuses computed variable paths and checks missing/missing_some names', () => {
    const g = solarGraph();
    const at = `$.nodes[${nodeIndex(g, 'owner_branch')}].edges[0].when`;
    node(g, 'owner_branch').edges[0].when = { or: [{ var: { cat: ['__pro', 'to__'] } }, { missing: ['answers.ownsHome', 'constructor'] }, { missing_some: [1, ['call.secret']] }] };
    expect(errorsOf(g)).toEqual([
      expect.objectContaining({ code: 'VAR_NOT_LITERAL', path: `${at}.or[0].var` }),
      expect.objectContaining({ code: 'VAR_FORBIDDEN', path: `${at}.or[1].missing[1]` }),
      expect.objectContaining({ code: 'UNKNOWN_VARIABLE', path: `${at}.or[2].missing_some[1][0]` }),
    ]);
  });

  it.each(['map', 'filter', 'reduce', 'some', 'all', 'none', 'merge', 'log', 'method', 'eval'])('refuses the %s operator', (op) => {
    const g = solarGraph();
    node(g, 'owner_branch').edges[0].when = { and: [true, { [op]: [[1, 2], { var: 'answers.ownsHome' }] }] };
    expect(errorsOf(g)).toEqual([
      expect.objectContaining({ code: 'LOGIC_OPERATOR_NOT_ALLOWED', nodeId: 'owner_branch', path: `$.nodes[${nodeIndex(g, 'owner_branch')}].edges[0].when.and[1].${op}` }),
    ]);
  });

  it('refuses __proto__ / constructor keys anywhere, before anything else', () => {
    const g = solarGraph();
    g.fallbacks = JSON.parse('{"__proto__": {"polluted": true}}');
    expect(errorsOf(g)).toEqual([{ code: 'KEY_FORBIDDEN', path: '$.fallbacks.__proto__', message: expect.any(String) }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('limits condition depth, document depth, size and node count', () => {
    const deep = solarGraph();
    let when: unknown = true;
    for (let i = 0; i < SCRIPT_LIMITS.maxLogicDepth + 1; i++) when = { '!': [when] };
    node(deep, 'owner_branch').edges[0].when = when;
    expect(errorsOf(deep)).toEqual([expect.objectContaining({ code: 'LOGIC_TOO_DEEP', nodeId: 'owner_branch' })]);

    const nested = solarGraph();
    let junk: unknown = 1;
    for (let i = 0; i < 40; i++) junk = [junk];
    node(nested, 'greet').ui = { x: junk };
    expect(errorsOf(nested)).toEqual([expect.objectContaining({ code: 'DEPTH_LIMIT', path: expect.stringMatching(/^\$\.nodes\[0\]\.ui\.x(\[0\])+$/) })]);

    const big = solarGraph();
    node(big, 'greet').label = 'x'.repeat(SCRIPT_LIMITS.maxBytes);
    expect(errorsOf(big)).toEqual([expect.objectContaining({ code: 'SCRIPT_TOO_LARGE', path: '$' })]);

    expect(errorsOf(chainGraph(SCRIPT_LIMITS.maxNodes + 3))).toEqual([expect.objectContaining({ code: 'TOO_MANY_NODES', path: '$.nodes' })]);
  });

  it('requires the compliance block and keeps opt_out an opted_out end node', () => {
    const g = solarGraph();
    delete g.compliance;
    expect(errorsOf(g)).toEqual([expect.objectContaining({ code: 'COMPLIANCE_REQUIRED', path: '$.compliance' })]);

    const renamed = solarGraph();
    renamed.compliance.callerName = '{{contact.firstName}}';
    expect(errorsOf(renamed)).toEqual([expect.objectContaining({ code: 'COMPLIANCE_INVALID', path: '$.compliance.callerName' })]);

    const retyped = solarGraph();
    retyped.nodes.push({ id: 'opt_out', type: 'end', disposition: 'not_interested' });
    expect(errorsOf(retyped)).toEqual([expect.objectContaining({ code: 'OPT_OUT_NODE_INVALID', nodeId: 'opt_out', path: `$.nodes[${retyped.nodes.length - 1}]` })]);
  });

  it('reports shape problems through zod with the node id and path', () => {
    const g = solarGraph();
    node(g, 'ask_slot').answer = { name: 'slot', type: 'choice', options: ['only one'] };
    node(g, 'greet').type = 'shout';
    expect(errorsOf(g)).toEqual([
      expect.objectContaining({ code: 'SCHEMA_INVALID', nodeId: 'greet', path: '$.nodes[0].type' }),
      expect.objectContaining({ code: 'SCHEMA_INVALID', nodeId: 'ask_slot', path: `$.nodes[${nodeIndex(g, 'ask_slot')}].answer.options` }),
    ]);
  });

  it('reports duplicate ids, duplicate answers and template syntax', () => {
    const g = solarGraph();
    g.nodes.push({ ...node(g, 'low_bill') });
    node(g, 'ask_bill').answer.name = 'ownsHome';
    node(g, 'vip_offer').text = 'Hello {{contact.firstName}';
    const codes = errorsOf(g).map((e) => [e.code, e.nodeId]);
    expect(codes).toEqual(expect.arrayContaining([['DUPLICATE_NODE_ID', 'low_bill'], ['DUPLICATE_ANSWER', 'ask_bill'], ['TEMPLATE_INVALID', 'vip_offer']]));
  });

  it('checks disposition rules against their own scope', () => {
    const g = solarGraph();
    g.dispositionRules[0].when = { '==': [{ var: 'transcript' }, 'x'] };
    g.dispositionRules[1].hubspotProperties.solar_best_slot = '{{answers.unknown}}';
    expect(errorsOf(g)).toEqual([
      expect.objectContaining({ code: 'VAR_OUT_OF_SCOPE', path: '$.dispositionRules[0].when["=="][0].var' }),
      expect.objectContaining({ code: 'UNKNOWN_VARIABLE', path: '$.dispositionRules[1].hubspotProperties.solar_best_slot' }),
    ]);
    // structured.* and endedReason are allowed there, never in the graph itself.
    const ok = solarGraph();
    ok.dispositionRules[0].when = { and: [{ var: 'structured.callbackAt' }, { '!=': [{ var: 'endedReason' }, 'voicemail'] }] };
    expect(validateScriptGraph(ok).ok).toBe(true);
    node(ok, 'owner_branch').edges[0].when = { var: 'structured.callbackAt' };
    expect(errorsOf(ok)).toEqual([expect.objectContaining({ code: 'VAR_OUT_OF_SCOPE', nodeId: 'owner_branch' })]);
  });

  it('warns (without failing) when a contact variable has no fallback', () => {
    const g = solarGraph();
    g.fallbacks = {};
    const v = validateScriptGraph(g);
    expect(v).toMatchObject({ ok: true, warnings: [{ code: 'MISSING_FALLBACK', nodeId: 'greet', path: '$.nodes[0].text' }] });
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const v = validateScriptGraph(value);
        return v.ok || v.errors.every((e) => typeof e.code === 'string' && e.path.startsWith('$'));
      }),
      { numRuns: 300 },
    );
  });
});
