import { validateSegmentRule, assertValidSegmentRule, ALLOWED_OPERATORS } from '../../backend/src/domain/segments/segment-rule-validation';
import { compileSegmentRule, collectFields, matchesInNode } from '../../backend/src/domain/segments/segment-rule-compile';
import { predicate } from '../../backend/src/domain/segments/segment-rule-sql';
import { checkFieldPath } from '../../backend/src/domain/segments/segment-fields';

const paths = (rule: unknown) => validateSegmentRule(rule).map((p) => p.path);

describe('segment rule validation', () => {
  it('accepts rules over known fields and free properties', () => {
    expect(validateSegmentRule(true)).toEqual([]);
    expect(
      validateSegmentRule({
        and: [
          { in: [{ var: 'consentType' }, ['express', 'written']] },
          { '>=': [{ var: 'createdAt' }, '2024-01-01'] },
          { '!': { missing: ['email'] } },
          { missing_some: [1, ['company', 'properties.Record ID']] },
          { if: [{ var: 'properties.plan' }, { '==': [{ var: 'properties.plan' }, 'gold'] }, false] },
        ],
      }),
    ).toEqual([]);
  });

  it('names the path of each problem', () => {
    expect(paths({ and: [{ '==': [1, 1] }, { or: [{ log: 'x' }] }] })).toEqual(['rule.and[1].or[0].log']);
    expect(paths({ '==': [{ var: 'nope' }, 1] })).toEqual(['rule.==[0].var[0]']);
    expect(paths({ in: [{ var: 'company' }, ['a', { var: 'properties.a.b' }]] })).toEqual(['rule.in[1][1].var[0]']);
    expect(paths({ missing_some: ['one', 'company'] })).toEqual(['rule.missing_some[0]', 'rule.missing_some[1]']);
  });

  it('keeps out prototype paths, also inside properties', () => {
    for (const p of ['__proto__', 'constructor', 'properties.__proto__', 'properties.prototype', '__proto__.polluted']) {
      expect(checkFieldPath(p)).toMatch(/object internals/);
    }
    // As it arrives from JSON.parse: an own key named __proto__, not a prototype.
    expect(paths(JSON.parse('{"__proto__": [1]}'))).toEqual(['rule.__proto__']);
    expect(paths(JSON.parse('{"==": [{"var": "__proto__"}, 1]}'))).toEqual(['rule.==[0].var[0]']);
  });

  it('allows only the listed operators', () => {
    expect(ALLOWED_OPERATORS).not.toContain('log');
    for (const op of ['method', 'log', 'map', 'filter', 'reduce', 'all', 'some', 'none', 'merge', 'toString', 'constructor']) {
      expect(paths({ [op]: [1, 2] })).toEqual([`rule.${op}`]);
    }
  });

  it('bounds depth, size and node count', () => {
    let deep: unknown = true;
    for (let i = 0; i < 10; i++) deep = { '!': deep };
    expect(validateSegmentRule(deep)).toEqual([]);
    expect(validateSegmentRule({ '!': deep })[0]?.message).toMatch(/deeper than 10/);
    expect(validateSegmentRule({ in: ['x', Array.from({ length: 501 }, () => 'a')] })[0]?.message).toMatch(/more than 500/);
    expect(validateSegmentRule({ in: ['x', ['a'.repeat(33_000)]] })[0]?.message).toMatch(/limit is 32768/);
  });

  it('refuses non-finite numbers and NUL characters', () => {
    expect(paths({ '==': [{ var: 'company' }, 'a\u0000b'] })).toEqual(['rule.==[1]']);
  });

  it('throws a 400 SEGMENT_RULE_INVALID naming the first problem', () => {
    expect(() => assertValidSegmentRule({ nope: [] })).toThrow(expect.objectContaining({ code: 'SEGMENT_RULE_INVALID', status: 400, message: expect.stringContaining('rule.nope') }));
  });
});

describe('segment rule compilation', () => {
  it('sends values as parameters, never in the SQL text', () => {
    const evil = "x'); DROP TABLE \"Contact\"; --";
    const sql = predicate({ or: [{ '==': [{ var: 'company' }, evil] }, { in: [evil, { var: 'properties.note' }] }, { '<': [{ var: 'email' }, evil] }] })!;
    expect(sql.sql).not.toContain('DROP');
    expect(sql.values).toContain(evil);
    expect(sql.values).toContain('note'); // property keys are parameters too
  });

  it('runs everything it can in Postgres and says what Node must check', () => {
    expect(compileSegmentRule({ '==': [{ var: 'company' }, 'Acme'] }).mode).toBe('sql');
    const mixed = compileSegmentRule({ and: [{ '==': [{ var: 'company' }, 'Acme'] }, { '>': [{ var: 'properties.score' }, 5] }] });
    expect(mixed.mode).toBe('sql+node');
    expect(mixed.residual).toEqual({ '>': [{ var: 'properties.score' }, 5] });
    expect(mixed.residualFields).toEqual(['properties.score']);
    expect(compileSegmentRule({ or: [{ '==': [{ var: 'company' }, 'Acme'] }, { '>': [{ var: 'properties.score' }, 5] }] }).mode).toBe('node');
    expect(compileSegmentRule(true, { forceNode: true }).mode).toBe('node');
  });

  it('collects the fields a rule reads', () => {
    expect(collectFields({ and: [{ var: 'company' }, { missing: [['email', 'company']] }, { missing_some: [1, ['properties.x']] }] }).sort()).toEqual(['company', 'email', 'properties.x']);
  });

  it('evaluates in Node with JSONLogic semantics over text values', () => {
    expect(matchesInNode({ '>': [{ var: 'properties.score' }, 5] }, ['properties.score'], ['9'])).toBe(true);
    expect(matchesInNode({ '>': [{ var: 'properties.score' }, 5] }, ['properties.score'], ['10'])).toBe(true);
    expect(matchesInNode({ '>': [{ var: 'properties.score' }, '5'] }, ['properties.score'], ['10'])).toBe(false); // text order
    expect(matchesInNode({ missing: ['email'] }, ['email'], [''])).toBe(true);
    expect(matchesInNode({ var: 'properties.__proto__' }, [], [])).toBe(false);
  });
});
