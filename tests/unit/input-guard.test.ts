import { jsonBodyProblem, MAX_JSON_DEPTH, queryHasNul, storableJsonText } from '../../backend/src/http/middleware/input-guard';

// The checks behind the input guard: a NUL in the query string; in JSON bodies, nesting counted
// outside strings only, and the \u escapes Postgres cannot store (NUL, unpaired surrogates) told
// apart from text that merely looks like them.
const problem = (text: string) => jsonBodyProblem(Buffer.from(text, 'utf8'));

describe('jsonBodyProblem', () => {
  it('passes ordinary JSON, brackets inside strings, paired surrogates and escaped backslashes', () => {
    for (const ok of ['{}', '[1,{"a":[2]}]', '{"a":"[[[[{{{{"}', '{"e":"\\ud83d\\ude00"}', '{"e":"😀"}', '{"a":"\\\\u0000"}', '{"a":"\\"\\u00e9\\n"}']) {
      expect([ok, problem(ok)]).toEqual([ok, null]);
    }
  });

  it('refuses nesting past the limit, and only past it', () => {
    expect(problem('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeNull();
    expect(problem('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toBe('too_deep');
    expect(problem('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000))).toBe('too_deep');
  });

  it('refuses NUL and unpaired surrogates, in values and keys', () => {
    for (const bad of ['{"a":"x\\u0000"}', '{"\\u0000":1}', '{"a":"\\ud800"}', '{"a":"\\ud800x"}', '{"a":"\\udc00"}', '{"a":"\\ud800\\ud800"}', '["\\uDBFF"]']) {
      expect([bad, problem(bad)]).toEqual([bad, 'unstorable_text']);
    }
  });
});

describe('storableJsonText', () => {
  const storable = (text: string) => storableJsonText(Buffer.from(text, 'utf8'));
  it('replaces exactly the escapes Postgres cannot store, and leaves everything else byte for byte', () => {
    expect(storable('{"a":"x\\u0000y","\\u0000":1}')).toBe('{"a":"x\\ufffdy","\\ufffd":1}');
    expect(storable('["\\ud800","\\ud800x","\\udc00","\\ud800\\ud800","\\ud83d\\ude00"]')).toBe('["\\ufffd","\\ufffdx","\\ufffd","\\ufffd\\ufffd","\\ud83d\\ude00"]');
    for (const ok of ['{"a":"\\\\u0000"}', '{"e":"😀é"}', '[[[["\\u00e9"]]]]']) expect(storable(ok)).toBe(ok);
    // The result parses, and has nothing left to refuse.
    const fixed = storable('{"a":"\\u0000\\ud800","b":[1,{"c":"\\udfff"}]}');
    expect(JSON.parse(fixed)).toEqual({ a: '\ufffd\ufffd', b: [1, { c: '\ufffd' }] });
    expect(jsonBodyProblem(Buffer.from(fixed))).toBeNull();
  });
});

describe('queryHasNul', () => {
  it('finds %00 in the query string only', () => {
    expect(['/a?x=%00', '/a?x=1&y=a%00b', '/a?%00=1', '/a?x=%00'.toUpperCase()].map(queryHasNul)).toEqual([true, true, true, true]);
    expect(['/a', '/a?x=%2500', '/a%00?x=1', '/a?x=100'].map(queryHasNul)).toEqual([false, false, false, false]);
  });
});
