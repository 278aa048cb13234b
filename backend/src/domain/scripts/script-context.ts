// The data a script's conditions and text read: { contact, answers, call }. Built from our own
// rows (or the simulator's sample) into plain objects holding only the fields a script may name
// (script-variables.ts), so nothing else about a contact can leak into a call.

export interface ContactFacts {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  company?: string | null;
  timeZone?: string | null;
  properties?: unknown;
}

export interface CallFacts {
  attemptNumber?: number | null;
  /** Contact's local time when dialled, "HH:MM" or an ISO timestamp (Call.localTimeAtDial). */
  localTimeAtDial?: string | null;
  localHour?: number | null;
}

export interface ScriptData {
  contact: Record<string, unknown>;
  answers: Record<string, unknown>;
  call: Record<string, unknown>;
}

const clean = (v: string | null | undefined) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function scalarProperties(value: unknown): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[k] = v;
  }
  return out;
}

export function contactData(c: ContactFacts): Record<string, unknown> {
  const firstName = clean(c.firstName);
  const lastName = clean(c.lastName);
  const fullName = [firstName, lastName].filter(Boolean).join(' ') || undefined;
  const out: Record<string, unknown> = { firstName, lastName, fullName, email: clean(c.email), company: clean(c.company), timeZone: clean(c.timeZone) };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  out.properties = scalarProperties(c.properties);
  return out;
}

export function callData(c: CallFacts = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof c.attemptNumber === 'number') out.attemptNumber = c.attemptNumber;
  const hour = typeof c.localHour === 'number' ? c.localHour : parseHour(c.localTimeAtDial);
  if (hour !== undefined) out.localHour = hour;
  return out;
}

function parseHour(value: string | null | undefined): number | undefined {
  const m = value ? /(?:^|T|\s)(\d{1,2}):\d{2}/.exec(value) : null;
  const h = m ? Number(m[1]) : NaN;
  return h >= 0 && h <= 23 ? h : undefined;
}

export function buildScriptData(input: { contact: ContactFacts; answers?: Record<string, unknown>; call?: CallFacts }): ScriptData {
  return { contact: contactData(input.contact), answers: { ...(input.answers ?? {}) }, call: callData(input.call) };
}
