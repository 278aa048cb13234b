import fc from 'fast-check';
import request from 'supertest';
import { createFuzzWorld, type FuzzWorld } from './support/fuzz-world';
import { expectStillUp, fuzzTimeout, runFuzzSurface, type Answer } from './support/fuzz-runner';
import { deepNesting, hostileJson, hostileScalar, JsonObj, JsonRaw, jsonText, obj, type Json } from './support/hostile-json';
import { solarGraph, type AnyGraph } from '../fixtures/scripts/script-samples';

// Scripts and segments under fuzz: script graphs broken in ways that can never be valid (cycles
// that cannot end or ask nothing, targets that do not exist, JSONLogic outside the allow-list,
// prototype keys, sizes past the limits) and segment rules likewise. Every one must be refused
// with a code and located problems, and nothing stored.

let w: FuzzWorld;
beforeAll(async () => {
  w = await createFuzzWorld();
});
afterAll(() => w.close());

const post = (method: 'post' | 'patch', url: string, body: Json): Promise<Answer> =>
  request(w.ctx.app)[method](url).set(w.auth).set('Content-Type', 'application/json').send(jsonText(body)).then((r) => ({ status: r.status, body: r.body }));

// JSONLogic that no rule or condition may hold, whatever surrounds it.
const badOperators = fc.constantFrom('exec', 'method', 'log', 'map', 'filter', 'reduce', 'all', 'some', 'none', 'merge', 'eval', 'require', 'toString', 'valueOf', '$where');
const notNested = (n: number, inner: Json): Json => (n === 0 ? inner : obj([['!', notNested(n - 1, inner)]]));
const forbiddenLogic = (fieldRoot: string): fc.Arbitrary<Json> =>
  fc.oneof(
    fc.tuple(badOperators, hostileJson).map(([op, arg]) => obj([[op, arg]])),
    fc.constantFrom<Json>(
      obj([['var', `${fieldRoot}__proto__`]]),
      obj([['var', `${fieldRoot}constructor.prototype`]]),
      obj([['var', ['constructor', 'prototype']]]),
      obj([['var', 5]]),
      obj([['var', obj([['var', 'x']])]]),
      obj([['var', '']]),
      obj([['var', 'process.env.SECRET']]),
      obj([]),
      obj([['==', [1, 1]], ['!=', [1, 2]]]),
      obj([['__proto__', obj([['polluted', 'yes']])]]),
    ),
    fc.integer({ min: 11, max: 40 }).map((n) => notNested(n, true)),
  );

// ---- scripts ---------------------------------------------------------------------------------

type Mutation = (g: AnyGraph) => unknown;
const nodeOf = (g: AnyGraph, type: string) => g.nodes.find((n: AnyGraph) => n.type === type);
const invalidId = fc.constantFrom<Json>(5, null, '', '1abc', 'a b', 'x'.repeat(65), '__proto__', 'nö', obj([]), []);
const invalidText = fc.constantFrom<Json>('', '   ', 'x'.repeat(2_001), 12, null, [], obj([['text', 'x']]));

/** Edits of the valid sample graph, each of which breaks a rule every script must keep. */
const scriptMutations: fc.Arbitrary<Mutation> = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcdefghij'), minLength: 1, maxLength: 8 }).map((suffix): Mutation => (g) => ((nodeOf(g, 'say').next = `nowhere_${suffix}`), g)),
  fc.constant<Mutation>((g) => ({ ...g, start: 'loop_a', nodes: [{ id: 'loop_a', type: 'say', text: 'Hello.', next: 'loop_b' }, { id: 'loop_b', type: 'say', text: 'Again.', next: 'loop_a' }, nodeOf(g, 'end')] })),
  fc.constant<Mutation>((g) => ({
    ...g,
    start: 'ask_x',
    nodes: [
      { id: 'ask_x', type: 'ask', text: 'Yes or no?', answer: { name: 'x', type: 'yes_no' }, next: 'br_x' },
      { id: 'br_x', type: 'branch', edges: [{ when: { '==': [{ var: 'answers.x' }, true] }, to: 'ask_x' }], else: 'ask_x' },
      ...g.nodes.filter((n: AnyGraph) => n.id === 'opt_out'),
    ],
  })),
  forbiddenLogic('answers.').map((when): Mutation => (g) => ((nodeOf(g, 'branch').edges[0].when = when), g)),
  forbiddenLogic('contact.').map((when): Mutation => (g) => ({ ...g, dispositionRules: [{ when, outcome: 'fuzzed' }] })),
  fc.constantFrom('{{constructor.prototype}}', '{{contact.__proto__}}', '{{process.env.SECRET}}', '{% for x in y %}x{% endfor %}', 'Hi {{contact.firstName', '{{ }}', '{{answers.neverAsked}}').map(
    (text): Mutation => (g) => ((nodeOf(g, 'say').text = text), g),
  ),
  fc.tuple(fc.constantFrom('id', 'next', 'type'), invalidId).map(([field, value]): Mutation => (g) => ((nodeOf(g, 'say')[field] = value), g)),
  invalidText.map((text): Mutation => (g) => ((nodeOf(g, 'ask').text = text), g)),
  fc.constantFrom<Json>(null, '', 'x'.repeat(61), 7, obj([['__proto__', 'x']])).map((callerName): Mutation => (g) => ((g.compliance.callerName = callerName), g)),
  fc.constant<Mutation>((g) => (delete g.compliance, g)),
  fc.constantFrom('12345', '+0123456789', 'tel:+14155550100', '+1415555010000000').map((number): Mutation => (g) => ({ ...g, nodes: [...g.nodes, { id: 'xfer', type: 'transfer', number, reason: 'Sales' }] })),
  fc.constantFrom('__proto__', 'constructor', 'prototype').map((key): Mutation => (g) => obj([...Object.entries(g).map(([k, v]) => [k, asJson(v)] as const), [key, obj([['polluted', 'yes']])]])),
  fc.constant<Mutation>((g) => ({ ...g, nodes: Array.from({ length: 201 }, (_, i) => ({ id: `n${i}`, type: 'say', text: 'x', next: `n${i + 1}` })) })),
  fc.constant<Mutation>((g) => ({ ...g, fallbacks: { 'contact.firstName': 'x'.repeat(300_000) } })),
  deepNesting.map((deep): Mutation => (g) => ({ ...g, nodes: [...g.nodes.slice(1), { ...g.nodes[0], ui: deep }] })),
  fc.oneof(hostileScalar, fc.array(hostileJson, { maxLength: 3 })).map((notAGraph): Mutation => () => notAGraph),
  fc.constant<Mutation>((g) => ({ ...g, nodes: [] })),
  fc.constant<Mutation>((g) => ({ ...g, start: 'nowhere' })),
);

/** A plain graph as Json, keeping any JsonObj/JsonRaw placed inside it. */
function asJson(v: unknown): Json {
  if (v === null || typeof v !== 'object' || v instanceof JsonRaw || v instanceof JsonObj) return v as Json;
  if (Array.isArray(v)) return v.map(asJson);
  return obj(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, asJson(x)] as const));
}

type ScriptCase = { via: 'create' | 'edit'; graph: Json } | { via: 'name'; name: Json };
const scriptCases: fc.Arbitrary<ScriptCase> = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(fc.constantFrom<'create' | 'edit'>('create', 'edit'), scriptMutations).map(([via, mutate]) => ({ via, graph: asJson(mutate(solarGraph())) })) },
  { weight: 1, arbitrary: fc.constantFrom<Json>('', '   ', 'x'.repeat(201), 42, null, [], obj([])).map((name) => ({ via: 'name' as const, name })) },
);

it('refuses script graphs that break the rules, storing nothing', async () => {
  const draftRevision = (await w.ctx.deps.db.script.findUniqueOrThrow({ where: { id: w.ids.scriptId } })).draftRevision;
  await runFuzzSurface({
    surface: 'scripts',
    ctx: w.ctx,
    cases: scriptCases,
    send: (c) => {
      if (c.via === 'name') return post('post', '/api/v1/scripts', obj([['name', c.name], ['graph', asJson(solarGraph())]]));
      if (c.via === 'create') return post('post', '/api/v1/scripts', obj([['name', 'Fuzzed script'], ['graph', c.graph]]));
      return post('patch', `/api/v1/scripts/${w.ids.scriptId}`, obj([['draftRevision', draftRevision], ['graph', c.graph]]));
    },
  });
  await expectStillUp(w.ctx);
}, fuzzTimeout());

// ---- segments --------------------------------------------------------------------------------

const validRule = fc.constantFrom<Json>(obj([['==', [obj([['var', 'firstName']]), 'Ada']]]), obj([['in', ['Acme', obj([['var', 'company']])]]]), true);
const combine = (bad: Json, good: Json[], how: string): Json => (how === '!' ? obj([['!', bad]]) : obj([[how, [...good, bad]]]));

/** Rules no segment may hold: forbidden logic (alone or inside valid logic), wrong arity, unknown fields, sizes. */
const badRules: fc.Arbitrary<Json> = fc.oneof(
  fc.tuple(forbiddenLogic(''), fc.array(validRule, { maxLength: 3 }), fc.constantFrom('and', 'or', '!', 'if')).map(([bad, good, how]) => combine(bad, good, how)),
  fc.constantFrom<Json>(
    obj([['==', [1]]]),
    obj([['!', [true, false]]]),
    obj([['var', 'notAField']]),
    obj([['var', 'properties.a.b']]),
    obj([['var', `properties.${'k'.repeat(101)}`]]),
    obj([['missing', [5]]]),
    obj([['missing_some', ['one', ['firstName']]]]),
    obj([['==', [obj([['var', 'firstName']]), 'a\u0000b']]]),
    obj([['==', [obj([['var', 'firstName']]), new JsonRaw('1e999')]]]),
    obj([['or', Array.from({ length: 501 }, () => true)]]),
    obj([['==', [obj([['var', 'firstName']]), 'x'.repeat(33_000)]]]),
  ),
  fc.oneof(hostileScalar.filter((s) => typeof s !== 'boolean'), fc.array(hostileJson, { maxLength: 3 }), deepNesting),
);

type SegmentCase = { via: 'create' | 'edit' | 'preview'; rule: Json } | { via: 'foreign-import' };
const segmentCases: fc.Arbitrary<SegmentCase> = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(fc.constantFrom<'create' | 'edit' | 'preview'>('create', 'edit', 'preview'), badRules).map(([via, rule]) => ({ via, rule })) },
  { weight: 1, arbitrary: fc.constant<SegmentCase>({ via: 'foreign-import' }) },
);

it('refuses JSONLogic segment rules outside the allow-list, storing nothing', async () => {
  await runFuzzSurface({
    surface: 'segments',
    ctx: w.ctx,
    cases: segmentCases,
    send: (c) => {
      if (c.via === 'foreign-import') return post('post', '/api/v1/segments', obj([['name', 'Theirs'], ['rule', true], ['importId', w.otherIds.importId!]]));
      if (c.via === 'create') return post('post', '/api/v1/segments', obj([['name', 'Fuzzed segment'], ['rule', c.rule]]));
      if (c.via === 'edit') return post('patch', `/api/v1/segments/${w.ids.segmentId}`, obj([['rule', c.rule]]));
      return post('post', '/api/v1/segments/preview', obj([['rule', c.rule]]));
    },
  });
  await expectStillUp(w.ctx);
}, fuzzTimeout());
