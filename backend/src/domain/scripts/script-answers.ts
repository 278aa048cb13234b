import type { TAnswerSpec } from './script.schema';

// The model reports what the callee said as a loose value ("Yes.", "3", "the blue one"); the
// graph's conditions need typed values. Anything we cannot read as the declared type is
// refused, and the assistant is told to ask again rather than guessing.

export type CoercedAnswer = { ok: true; value: string | number | boolean } | { ok: false; problem: string };

const YES = new Set(['yes', 'y', 'yeah', 'yep', 'yup', 'sure', 'correct', 'true', 'ok', 'okay', 'absolutely', 'of course', 'definitely']);
const NO = new Set(['no', 'n', 'nope', 'nah', 'false', 'not really', 'no thanks', 'no thank you', 'negative']);
const MAX_TEXT = 500;

const normalise = (s: string) => s.trim().toLowerCase().replace(/[.!?,]+$/g, '').replace(/\s+/g, ' ');

export function coerceAnswer(spec: TAnswerSpec, raw: unknown): CoercedAnswer {
  switch (spec.type) {
    case 'yes_no': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const s = typeof raw === 'string' ? normalise(raw) : typeof raw === 'number' ? String(raw) : '';
      if (YES.has(s) || s === '1') return { ok: true, value: true };
      if (NO.has(s) || s === '0') return { ok: true, value: false };
      return { ok: false, problem: 'expected yes or no' };
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?[\d,]*\.?\d+\s*$/.test(raw) ? Number(raw.replace(/[,\s]/g, '')) : NaN;
      if (!Number.isFinite(n)) return { ok: false, problem: 'expected a number' };
      if (spec.min !== undefined && n < spec.min) return { ok: false, problem: `expected a number of at least ${spec.min}` };
      if (spec.max !== undefined && n > spec.max) return { ok: false, problem: `expected a number of at most ${spec.max}` };
      return { ok: true, value: n };
    }
    case 'choice': {
      const s = typeof raw === 'string' || typeof raw === 'number' ? normalise(String(raw)) : '';
      const match = spec.options.find((o) => normalise(o) === s);
      return match ? { ok: true, value: match } : { ok: false, problem: `expected one of: ${spec.options.join(', ')}` };
    }
    case 'date': {
      const s = typeof raw === 'string' ? raw.trim() : '';
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(s);
      const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
      if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return { ok: false, problem: 'expected a date as YYYY-MM-DD' };
      return { ok: true, value: `${m[1]}-${m[2]}-${m[3]}` };
    }
    case 'text': {
      const s = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : '';
      return s ? { ok: true, value: s.slice(0, MAX_TEXT) } : { ok: false, problem: 'expected their answer as text' };
    }
  }
}

/** How the instruction tells the model to report an answer of this type. */
export function answerHint(spec: TAnswerSpec): string {
  switch (spec.type) {
    case 'yes_no':
      return 'yes or no';
    case 'number':
      return 'a number';
    case 'choice':
      return `exactly one of: ${spec.options.map((o) => `"${o}"`).join(', ')}`;
    case 'date':
      return 'a date as YYYY-MM-DD';
    case 'text':
      return 'their answer in a few words';
  }
}
