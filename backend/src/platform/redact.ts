// What must never reach a log line (brief: no full phone number, token or transcript body).
// Keys are matched case-insensitively, ignoring _ and -.
const DROP_KEYS = new Set([
  'accesstoken', 'refreshtoken', 'token', 'apikey', 'authorization', 'password', 'secret', 'clientsecret',
  'transcript', 'messages', 'artifact', 'recording', 'code', 'cookie', 'encryptionkey', 'providercredentials',
]);

// E.164 or loosely formatted numbers of 8+ digits: keep the first 2 and last 4 digits.
const PHONE_RE = /(?<![\w.:/-])\+?\d[\d\s().-]{6,}\d(?![\w])/g;
const BEARER_RE = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const KEY_LIKE_RE = /\b(pat|sk|pk|hsk|aic)_[A-Za-z0-9_-]{8,}/g;
// An email address names a person as surely as a number does; nothing we log needs one.
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 8) return value;
  const plus = value.trim().startsWith('+') ? '+' : '';
  return `${plus}${digits.slice(0, plus ? 1 : 2)}${'*'.repeat(Math.max(digits.length - (plus ? 5 : 6), 2))}${digits.slice(-4)}`;
}

export function redactString(value: string): string {
  return value
    .replace(BEARER_RE, '$1 [redacted]')
    .replace(KEY_LIKE_RE, '[redacted-key]')
    .replace(EMAIL_RE, '[email]')
    .replace(PHONE_RE, (m) => (m.replace(/\D/g, '').length >= 8 && !/^\d{4}-\d{2}-\d{2}/.test(m) ? maskPhone(m) : m));
}

const normaliseKey = (k: string) => k.toLowerCase().replace(/[_-]/g, '');

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redactString(value.message), stack: value.stack && redactString(value.stack) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = DROP_KEYS.has(normaliseKey(k)) ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
