import fc from 'fast-check';

// Hostile JSON, built as a small tree so that what no JS object can hold still goes on the wire:
// keys such as "__proto__" kept as own keys, duplicate keys, numbers that overflow to Infinity
// (1e999), and nesting deeper than JSON.stringify (or any recursive walker) can follow.

export class JsonObj {
  constructor(readonly entries: ReadonlyArray<readonly [string, Json]>) {}
  [fc.toStringMethod]() {
    return jsonText(this);
  }
}
/** JSON text placed on the wire as is. */
export class JsonRaw {
  constructor(readonly text: string) {}
  [fc.toStringMethod]() {
    return this.text;
  }
}
export type Json = null | boolean | number | string | Json[] | JsonObj | JsonRaw;

export function jsonText(value: Json): string {
  if (value instanceof JsonRaw) return value.text;
  if (value instanceof JsonObj) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  return JSON.stringify(value);
}

/** What the server's JSON parser makes of the text (the oracle's view of a case). */
export const parsedJson = (value: Json): unknown => JSON.parse(jsonText(value));

export const obj = (entries: Array<readonly [string, Json]>) => new JsonObj(entries);

export const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', '\u0000', 'a.b', '$where', '__defineGetter__'];

const SPECIAL_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\u202Egnp.exe', '\uD800', '\uDFFF', '\uFEFF', '\r\n\t\b\f', '💥'.repeat(64), 'e\u0301'.repeat(40),
  "' OR 1=1 --", '"; DROP TABLE "Contact"; --', '../../../etc/passwd', '%00', '%s%n%x', '{{7*7}}', '${7*7}', '<script>alert(1)</script>',
  'NaN', 'Infinity', '-0', 'null', 'undefined', 'true', '1e999', '0x10', '__proto__', 'constructor',
];

/** The text with lone surrogates replaced (U+FFFD): what can be percent-encoded into a URL. */
export const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

/** Hostile text short enough for a URL (a request line over 16 KB is refused by Node itself). */
export const shortHostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SPECIAL_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.tuple(fc.constantFrom('x', 'é', '\u0000', '😀'), fc.integer({ min: 100, max: 1_000 })).map(([c, n]) => c.repeat(n)),
);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: shortHostileString },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'é', '\u0000', '😀'), fc.integer({ min: 1_000, max: 200_000 })).map(([c, n]) => c.repeat(n)) },
);

const HUGE = ['1e999', '-1e999', '1E400', '123456789012345678901234567890', '-0', '0.0000000000000000000000000001', '1.7976931348623157e309'];

export const hostileNumber: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(-1, 0, 0.5, -0.5, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, -(2 ** 53) - 2, 1e308, -1e308, 5e-324),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(...HUGE).map((t): Json => new JsonRaw(t)),
);

/** Nesting far past any sane document: arrays or objects, thousands of levels. */
export const deepNesting: fc.Arbitrary<Json> = fc
  .tuple(fc.boolean(), fc.integer({ min: 2_000, max: 100_000 }))
  .map(([arrays, n]) => new JsonRaw(arrays ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n)));

/** Objects meant to reach Object.prototype through a careless merge or assignment. */
export const pollution: fc.Arbitrary<Json> = fc.constantFrom<Json>(
  obj([['__proto__', obj([['polluted', 'yes']])]]),
  obj([['constructor', obj([['prototype', obj([['polluted', 'yes']])]])]]),
  obj([['__proto__', obj([['toString', 'not a function']])]]),
);

/** An object holding text Postgres cannot store (NUL, an unpaired surrogate) in a key or a value. */
export const unstorableText: fc.Arbitrary<Json> = fc
  .tuple(fc.constantFrom('\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '\uDBFF'), fc.boolean(), fc.constantFrom('name', 'rule', 'reason', 'graph'))
  .map(([text, inKey, field]) => obj([inKey ? [text, 'x'] : [field, text]]));

export const hostileScalar: fc.Arbitrary<Json> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));

/** Any hostile JSON value, nested a little (deep nesting comes from deepNesting). */
export const hostileJson: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    pollution,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 })), tie('value')), { maxLength: 4 }).map((e) => obj(e)),
  ),
})).value;

// What a strict JSON parser (express.json) must refuse before any handler runs.
const MALFORMED = [
  '{', '}', '[', '{"a":}', '{"a" 1}', "{'a':1}", '{a:1}', '[1,]', '{"a":1,}', 'NaN', '{"a":NaN}', '{"a":Infinity}', '{"a":undefined}',
  '{"a":01}', '{"a":.5}', '{"a":"\\x41"}', '{"a":"unterminated}', '{"a":"\u0000"}', '{"a":1}{"b":2}', 'true', 'false', 'null', '42', '"text"',
  '\u0000', '<xml/>', '--', '{"a":1}garbage', '[' .repeat(5_000),
];

const isMalformed = (text: string) => {
  if (text.trim() === '') return false; // an empty body is no body
  try {
    JSON.parse(text);
  } catch {
    return true;
  }
  return !/^[ \t\n\r]*[[{]/.test(text); // express.json is strict: objects and arrays only
};

/** Bodies that are not JSON an API accepts: fixed classics, and valid hostile JSON cut or spliced. */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...MALFORMED),
  fc
    .tuple(hostileJson.map(jsonText), fc.nat(), fc.constantFrom('', '}', ']', ',', '"', ':', '\\', '\u0000'))
    .map(([text, at, splice]) => text.slice(0, at % (text.length + 1)) + splice)
    .filter(isMalformed),
  fc.string({ unit: 'binary', maxLength: 60 }).filter(isMalformed),
);
