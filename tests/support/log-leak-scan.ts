// Looks for personal data and secrets in captured output: every phone number, email address,
// token and piece of transcript a run used, in whatever form it could reach a line. Phone numbers
// are matched by their last ten digits with any separators between them ("(415) 555-0123",
// "+14155550123", "415.555.0123" all match), so only the logger's masked form (first digits and
// last four) passes. Text is also looked for as it appears inside a JSON string (escaped).

export type NeedleKind = 'phone' | 'email' | 'token' | 'transcript';

export interface Needle {
  kind: NeedleKind;
  value: string;
  /** Where the value came from, for the failure message. */
  from: string;
}

export interface Leak {
  kind: NeedleKind;
  from: string;
  /** The needle with most of it hidden, so the failure message does not repeat the secret. */
  hint: string;
  lineIndex: number;
  /** The line with the found value replaced by «kind». */
  excerpt: string;
}

const SEP = '[\\s().\\-\\u00a0]*';
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Enough of a number to be someone's: 10+ digits and not one digit repeated. */
export function isDialable(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  return digits.length >= 10 && !/^(\d)\1+$/.test(digits);
}

function matcher(n: Needle): RegExp {
  if (n.kind === 'phone') {
    const core = n.value.replace(/\D/g, '').slice(-10);
    return new RegExp(core.split('').join(SEP), 'g');
  }
  const forms = new Set([n.value, JSON.stringify(n.value).slice(1, -1)]);
  return new RegExp([...forms].map(escapeRe).join('|'), n.kind === 'email' ? 'gi' : 'g');
}

const hide = (v: string) => (v.length <= 6 ? '*'.repeat(v.length) : `${v.slice(0, 2)}…${v.slice(-2)} (${v.length} chars)`);

export function findLeaks(lines: readonly string[], needles: readonly Needle[]): Leak[] {
  const leaks: Leak[] = [];
  const seen = new Set<string>();
  for (const n of needles) {
    const key = `${n.kind}\u0000${n.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const re = matcher(n);
    lines.forEach((line, lineIndex) => {
      re.lastIndex = 0;
      if (!re.test(line)) return;
      re.lastIndex = 0;
      leaks.push({ kind: n.kind, from: n.from, hint: hide(n.value), lineIndex, excerpt: line.replace(re, `«${n.kind}»`).slice(0, 400) });
    });
  }
  return leaks;
}

/** Needles for a set of values, keeping only the ones worth looking for. */
export function needles(kind: NeedleKind, from: string, values: Iterable<string | null | undefined>, minLength = 1): Needle[] {
  const out: Needle[] = [];
  for (const v of values) {
    if (typeof v !== 'string') continue;
    const value = v.trim();
    if (kind === 'phone' ? !isDialable(value) : value.length < minLength) continue;
    out.push({ kind, value, from });
  }
  return out;
}
