// The SQL translation of a segment rule must select exactly the contacts json-logic-js selects.
// Real Postgres; a fixture set with the awkward values (nulls, empty strings, numbers as text,
// JSON of every type in properties, non-ASCII), handwritten rules plus generated ones.
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../support/test-db';
import { compileSegmentRule } from '../../backend/src/domain/segments/segment-rule-compile';
import { scanSegment } from '../../backend/src/domain/segments/segment-scan';
import { validateSegmentRule } from '../../backend/src/domain/segments/segment-rule-validation';

let tdb: TestDatabase;
let portalId: string;

const NAMES = ['Ada', 'ada', '', null, '10', '9', 'Zoë', 'Émile', 'a', 'Acme', '0', ' 5 '];
const PROPS: unknown[] = [undefined, null, 'gold', 'Gold', '', '10', '9', 7, 0, true, false, { tier: 'x' }, ['gold'], '2024-06-01'];

beforeAll(async () => {
  tdb = await createTestDatabase();
  const portal = await tdb.db.portal.create({ data: { hubId: BigInt(Date.now()), name: 'agreement' } });
  portalId = portal.id;
  const consent = ['none', 'express', 'written'] as const;
  const rows = [];
  for (let i = 0; i < 84; i++) {
    const plan = PROPS[i % PROPS.length];
    const score = PROPS[(i * 5) % PROPS.length];
    const properties: Record<string, unknown> = {};
    if (plan !== undefined) properties.plan = plan;
    if (score !== undefined) properties.score = score;
    rows.push({
      portalId,
      phone: `+1202555${String(1000 + i)}`,
      firstName: NAMES[i % NAMES.length] ?? null,
      lastName: NAMES[(i * 7) % NAMES.length] ?? null,
      company: NAMES[(i * 3) % NAMES.length] ?? null,
      email: i % 4 === 0 ? null : `user${i}@${i % 2 ? 'acme.com' : 'example.org'}`,
      timeZone: i % 3 === 0 ? null : 'America/New_York',
      consentType: consent[i % 3]!,
      consentAt: i % 2 ? new Date(Date.UTC(2024, i % 12, 1 + (i % 27), 10, 30)) : null,
      createdAt: new Date(Date.UTC(2024, (i * 5) % 12, 1 + (i % 28))),
      properties: properties as object,
    });
  }
  await tdb.db.contact.createMany({ data: rows });
});

afterAll(async () => {
  await tdb.drop();
});

async function ids(rule: unknown, forceNode: boolean): Promise<string[]> {
  const compiled = compileSegmentRule(rule, { forceNode });
  const out: string[] = [];
  for await (const batch of scanSegment(tdb.db, { portalId, importId: null, compiled }, { batchSize: 25 })) out.push(...batch.map((c) => c.id));
  return out;
}

async function expectAgreement(rule: unknown) {
  expect(validateSegmentRule(rule)).toEqual([]);
  const [viaSql, viaNode] = await Promise.all([ids(rule, false), ids(rule, true)]);
  expect({ rule, ids: viaSql }).toEqual({ rule, ids: viaNode });
  return { viaSql, mode: compileSegmentRule(rule).mode };
}

const HANDWRITTEN: [unknown, 'sql' | 'sql+node' | 'node'][] = [
  [true, 'sql'],
  [{ '==': [{ var: 'firstName' }, 'Ada'] }, 'sql'],
  [{ '!=': [{ var: 'firstName' }, 'Ada'] }, 'sql'],
  [{ '==': [{ var: 'company' }, null] }, 'sql'],
  [{ '===': [{ var: 'company' }, 10] }, 'sql'],
  [{ '==': [{ var: 'firstName' }, { var: 'lastName' }] }, 'sql'],
  [{ '<': [{ var: 'firstName' }, 'b'] }, 'sql'],
  [{ '<': ['10', { var: 'firstName' }] }, 'sql'],
  [{ '<=': ['1', { var: 'properties.plan' }, 'h'] }, 'sql'],
  [{ '>': [{ var: 'firstName' }, '5'] }, 'sql'], // null > "5" is 0 > 5: false
  [{ '<': [{ var: 'firstName' }, '5'] }, 'sql'], // null < "5" is 0 < 5: true
  [{ '>=': [{ var: 'createdAt' }, '2024-06-01'] }, 'sql'],
  [{ '<': [{ var: 'consentAt' }, '2024-03-15T00:00:00.000Z'] }, 'sql'],
  [{ in: [{ var: 'consentType' }, ['express', 'written']] }, 'sql'],
  [{ in: [{ var: 'properties.plan' }, ['gold', null, 7]] }, 'sql'],
  [{ in: ['acme', { var: 'email' }] }, 'sql'],
  [{ in: ['', { var: 'firstName' }] }, 'sql'],
  [{ missing: ['email', 'properties.plan'] }, 'sql'],
  [{ '!': { missing: [['company']] } }, 'sql'],
  [{ missing_some: [1, ['firstName', 'company', 'properties.score']] }, 'sql'],
  [{ '!!': { var: 'properties.score' } }, 'sql'],
  [{ if: [{ var: 'email' }, { '==': [{ var: 'consentType' }, 'written'] }, { var: 'company' }] }, 'sql'],
  [{ or: [{ '==': [{ var: 'properties.plan' }, 'gold'] }, { and: [{ var: 'timeZone' }, { '!': { var: 'consentAt' } }] }] }, 'sql'],
  [{ '==': [{ var: 'properties.score' }, { cat: ['1', '0'] }] }, 'sql'],
  [{ '==': [{ var: 'properties.plan' }, true] }, 'node'],
  [{ '>': [{ var: 'properties.score' }, 5] }, 'node'],
  [{ '==': [{ var: 'properties.score' }, 0] }, 'node'],
  [{ and: [{ '==': [{ var: 'consentType' }, 'express'] }, { '<': [{ var: 'properties.score' }, 8] }] }, 'sql+node'],
  [{ '==': [{ cat: [{ var: 'firstName' }, '!'] }, 'Ada!'] }, 'node'],
  [{ in: [{ var: 'firstName' }, 'Ada Lovelace'] }, 'node'],
  [{ '>': [{ '+': [{ var: 'properties.score' }, 1] }, 7] }, 'node'],
];

describe('segment rules: SQL and Node agree', () => {
  it.each(HANDWRITTEN.map(([rule, mode], i) => [i, JSON.stringify(rule), rule, mode] as const))('#%i %s', async (_i, _s, rule, mode) => {
    const { viaSql, mode: got } = await expectAgreement(rule);
    expect(got).toBe(mode);
    if (rule !== true) expect(viaSql.length).toBeLessThan(84); // a rule that selects everything would prove little
  });

  it('selects every contact for true and none for false', async () => {
    expect((await ids(true, false)).length).toBe(84);
    expect((await ids(false, false)).length).toBe(0);
  });

  it('agrees on generated rules', async () => {
    const field = fc.constantFrom('firstName', 'lastName', 'company', 'email', 'timeZone', 'consentType', 'createdAt', 'consentAt', 'properties.plan', 'properties.score', 'properties.none');
    const text = fc.constantFrom('', 'Ada', 'ada', '10', '9', '5', 'a', 'Zoë', 'gold', 'express', 'acme', '2024-06', 'America/New_York', '0');
    const lit = fc.oneof(text, fc.constantFrom(null, 0, 5, 10, true, false));
    const v = field.map((f) => ({ var: f }));
    const operand = fc.oneof({ weight: 3, arbitrary: v }, { weight: 3, arbitrary: lit });
    const { rule } = fc.letrec<{ rule: unknown; leaf: unknown }>((tie) => ({
      leaf: fc.oneof(
        fc.record({ op: fc.constantFrom('==', '===', '!=', '!==', '<', '<=', '>', '>='), a: operand, b: operand }).map(({ op, a, b }) => ({ [op]: [a, b] })),
        fc.tuple(operand, v, operand).map(([a, b, c]) => ({ '<': [a, b, c] })),
        fc.tuple(v, fc.array(lit, { maxLength: 4 })).map(([a, list]) => ({ in: [a, list] })),
        fc.tuple(text, v).map(([a, b]) => ({ in: [a, b] })),
        fc.array(field, { minLength: 1, maxLength: 3 }).map((keys) => ({ missing: keys })),
        fc.tuple(fc.nat(3), fc.array(field, { minLength: 1, maxLength: 3 })).map(([n, keys]) => ({ missing_some: [n, keys] })),
        v,
      ),
      rule: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        { weight: 4, arbitrary: tie('leaf') },
        fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((xs) => ({ and: xs })),
        fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map((xs) => ({ or: xs })),
        tie('rule').map((x) => ({ '!': x })),
        fc.tuple(tie('rule'), tie('rule'), tie('rule')).map(([a, b, c]) => ({ if: [a, b, c] })),
      ),
    }));
    const modes: Record<string, number> = { sql: 0, 'sql+node': 0, node: 0 };
    await fc.assert(
      fc.asyncProperty(rule, async (r) => {
        const { mode } = await expectAgreement(r);
        modes[mode]!++;
      }),
      { numRuns: 250 },
    );
    expect(modes.sql).toBeGreaterThan(30); // the property must exercise the SQL translation
  });
});
