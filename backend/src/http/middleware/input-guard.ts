import type { Request, RequestHandler } from 'express';
import { AppError } from '../../platform/app-error';
import type { RawBodyRequest } from './hubspot-signature';

// Input the parsers accept but the rest of the app cannot take, refused before any handler:
// - a NUL in the query string (%00): Postgres text cannot hold U+0000, so a filter holding one
//   fails in the database instead of matching nothing;
// and in a parsed JSON body:
// - nesting: JSON.stringify, zod and our validators recurse, and a 1 MB body of "[[[[…" is half
//   a million levels, enough to overflow the stack. Real payloads stay far below the limit
//   (script graphs are capped at 32 levels; Vapi and HubSpot payloads nest under 10).
// - text Postgres cannot store: U+0000 (in text and jsonb alike) and unpaired UTF-16 surrogates
//   (jsonb refuses "\ud800"). JSON can only carry these as \u escapes, so the escapes are checked.
export const MAX_JSON_DEPTH = 64;

export type JsonBodyProblem = 'too_deep' | 'unstorable_text';

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const U = 0x75;

const hexAt = (json: Buffer, at: number): number => {
  const code = Number.parseInt(json.toString('latin1', at, at + 4), 16);
  return Number.isNaN(code) ? -1 : code;
};
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

interface JsonScan {
  tooDeep: boolean;
  /** Where each \u escape Postgres cannot store begins (its backslash), in order. */
  unstorable: number[];
}

/** One pass over a JSON text (already parsed once, so well-formed). */
function scanJson(json: Buffer, maxDepth: number): JsonScan {
  const unstorable: number[] = [];
  let depth = 0;
  let inString = false;
  let highAt = -1; // the escaped high surrogate just read, waiting for its low half
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (!inString) {
      if (c === QUOTE) inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (++depth > maxDepth) return { tooDeep: true, unstorable };
      } else if (c === 0x7d || c === 0x5d) depth--;
      continue;
    }
    const unit = c === BACKSLASH && json[i + 1] === U ? hexAt(json, i + 2) : -1;
    if (highAt >= 0) {
      const paired = isLow(unit);
      if (!paired) unstorable.push(highAt);
      highAt = -1;
      if (paired) {
        i += 5;
        continue;
      }
    }
    if (unit >= 0) {
      if (unit === 0 || isLow(unit)) unstorable.push(i);
      else if (isHigh(unit)) highAt = i;
      i += 5;
    } else if (c === BACKSLASH) i++;
    else if (c === QUOTE) inString = false;
  }
  return { tooDeep: false, unstorable };
}

/** The first problem in a JSON text (already parsed once, so well-formed), or null. */
export function jsonBodyProblem(json: Buffer, maxDepth = MAX_JSON_DEPTH): JsonBodyProblem | null {
  const scan = scanJson(json, maxDepth);
  return scan.tooDeep ? 'too_deep' : scan.unstorable.length ? 'unstorable_text' : null;
}

const REPLACEMENT = Buffer.from('\\ufffd', 'latin1');

/** The JSON text with each escape Postgres cannot store replaced by \ufffd (the replacement character). */
export function storableJsonText(json: Buffer): string {
  const { unstorable } = scanJson(json, Number.POSITIVE_INFINITY);
  if (!unstorable.length) return json.toString('utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (const at of unstorable) {
    parts.push(json.subarray(from, at), REPLACEMENT);
    from = at + 6;
  }
  parts.push(json.subarray(from));
  return Buffer.concat(parts).toString('utf8');
}
const MESSAGES: Record<JsonBodyProblem, [string, string]> = {
  too_deep: ['JSON_TOO_DEEP', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`],
  unstorable_text: ['JSON_TEXT_INVALID', 'The JSON body holds a NUL character (\\u0000) or an unpaired UTF-16 surrogate, which cannot be stored as text.'],
};

/** A query string with a NUL in it, in any of its names or values. */
export const queryHasNul = (url: string) => /%00/i.test(url.slice(url.indexOf('?') + 1 || url.length));

// A provider's signed webhook is never refused for such text: Vapi does not retry, so a refusal
// would lose the event. Its body is kept with the characters replaced (the signature is still
// checked over the bytes as sent), and the routes store that text (storedBodyText).
const WEBHOOKS = /^\/webhooks\//;

interface StorableRequest extends RawBodyRequest {
  storableBody?: string;
}

/** The body text to store: the sent bytes, or their storable copy where the guard made one. */
export const storedBodyText = (req: Request): string => {
  const r = req as StorableRequest;
  return r.storableBody ?? (r.rawBody ?? Buffer.from(JSON.stringify(req.body))).toString('utf8');
};

/** 400 for a query string holding NUL, or a parsed JSON body nested too deep or holding text that cannot be stored (webhooks: replaced instead). */
export function guardInput(): RequestHandler {
  return (req, _res, next) => {
    if (queryHasNul(req.originalUrl)) return next(new AppError('QUERY_TEXT_INVALID', 400, 'The query string holds a NUL character (%00).'));
    const raw = (req as RawBodyRequest).rawBody;
    const problem = raw ? jsonBodyProblem(raw) : null;
    if (!problem) return next();
    if (problem === 'unstorable_text' && WEBHOOKS.test(req.path)) {
      const text = storableJsonText(raw!);
      (req as StorableRequest).storableBody = text;
      req.body = JSON.parse(text);
      return next();
    }
    const [code, message] = MESSAGES[problem];
    next(new AppError(code, 400, message));
  };
}
