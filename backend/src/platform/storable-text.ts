// Postgres text and jsonb cannot hold U+0000, and jsonb refuses unpaired UTF-16 surrogates: text
// from outside that is stored must be free of both, or the insert fails (a 500, not a 400).
// eslint-disable-next-line no-control-regex -- NUL is the very character looked for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);

export const UNSTORABLE_TEXT_MESSAGE = 'must not hold a NUL character or an unpaired UTF-16 surrogate';
